package org.blockwatch.agent.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;

/**
 * Timeline rows as CSV (RFC 4180 quoting, by Jackson) or as one JSON array, written as they come. The
 * columns are the same in both; a list (flags, changed_between) is a JSON array, and in CSV one cell
 * (flags space-separated, changed_between an ISO-8601 interval {@code start/end}).
 */
public final class TimelineWriters {
    /** Between the values of a column that holds several (a row that saw two resolvers): rare, and never in a value. */
    static final String SEVERAL = " | ";

    /** A column: its name, its value (a string, a count, a list of strings, or null when absent), and how CSV joins a list. */
    private record Column(String name, Function<TimelineRow, Object> value, String csvJoin) {
        Column(String name, Function<TimelineRow, Object> value) {
            this(name, value, null);
        }
    }

    private static final List<Column> TABLE = List.of(
            new Column("target", TimelineRow::target),
            new Column("category", TimelineRow::category),
            new Column("probe_asn", TimelineRow::probeAsn),
            new Column("probe_cc", TimelineRow::probeCc),
            new Column("probe_network_name", r -> joined(r.networkNames())),
            new Column("state", TimelineRow::state),
            new Column("method", TimelineRow::method),
            new Column("flags", TimelineRow::flags, " "),
            new Column("start", r -> time(r.start())),
            new Column("end", r -> time(r.end())),
            new Column("measurements", TimelineRow::measurements),
            new Column("first_measurement_uid", TimelineRow::firstMeasurementUid),
            new Column("last_measurement_uid", TimelineRow::lastMeasurementUid),
            new Column("previous_state", r -> r.previous() == null ? null : r.previous().state()),
            new Column("previous_method", r -> r.previous() == null ? null : r.previous().method()),
            new Column("previous_last_measurement_uid", r -> r.previous() == null ? null : r.previous().uid()),
            new Column("previous_last_time", r -> r.previous() == null ? null : time(r.previous().at())),
            new Column("changed_between", r -> r.previous() == null ? null : List.of(time(r.previous().at()), time(r.start())), "/"),
            new Column("resolver_asn", r -> joined(r.resolvers().stream().map(Resolver::asn).toList())),
            new Column("resolver_network_name", r -> joined(r.resolvers().stream().map(Resolver::networkName).toList())),
            new Column("resolver_ip", r -> joined(r.resolvers().stream().map(Resolver::ip).toList())));

    public static final List<String> COLUMNS = TABLE.stream().map(Column::name).toList();

    private TimelineWriters() {}

    /** A sink for rows; {@link #close()} ends the document (not the underlying writer). */
    public interface RowWriter extends AutoCloseable {
        void write(TimelineRow row);

        @Override
        void close() throws IOException;
    }

    static String time(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Several values in one (the i-th of each resolver column is the i-th resolver); null when there is none. */
    private static String joined(List<String> values) {
        return values.isEmpty() ? null : String.join(SEVERAL, values);
    }

    /** The row's values in {@link #COLUMNS} order. */
    static Object[] values(TimelineRow r) {
        return TABLE.stream().map(c -> c.value().apply(r)).toArray();
    }

    static String[] cells(TimelineRow r) {
        String[] cells = new String[TABLE.size()];
        for (int i = 0; i < cells.length; i++) {
            Object v = TABLE.get(i).value().apply(r);
            cells[i] = v == null ? "" : v instanceof List<?> l ? String.join(TABLE.get(i).csvJoin(), l.stream().map(String::valueOf).toList()) : v.toString();
        }
        return cells;
    }

    public static RowWriter csv(Writer out) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder();
        COLUMNS.forEach(schema::addColumn);
        out.write(String.join(",", COLUMNS) + "\n"); // the header even when no row follows
        // Quotes where RFC 4180 needs them only (Jackson otherwise quotes any long value: every measurement_uid).
        SequenceWriter w = new CsvMapper().enable(com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writerFor(String[].class).with(schema.setUseHeader(false).build()).writeValues(out);
        return new RowWriter() {
            @Override
            public void write(TimelineRow row) {
                try {
                    w.write(cells(row));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() throws IOException {
                w.flush();
            }
        };
    }

    public static RowWriter json(Writer out) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartArray();
        return new RowWriter() {
            @Override
            public void write(TimelineRow r) {
                try {
                    g.writeRaw('\n');
                    g.writeStartObject();
                    Object[] v = values(r);
                    for (int i = 0; i < v.length; i++) {
                        g.writeFieldName(COLUMNS.get(i));
                        if (v[i] instanceof Long n) {
                            g.writeNumber(n);
                        } else if (v[i] instanceof List<?> list) {
                            g.writeStartArray();
                            for (Object o : list) g.writeString(String.valueOf(o));
                            g.writeEndArray();
                        } else {
                            g.writeString((String) v[i]);
                        }
                    }
                    g.writeEndObject();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() throws IOException {
                g.writeRaw('\n');
                g.writeEndArray();
                g.writeRaw('\n');
                g.close();
            }
        };
    }
}
