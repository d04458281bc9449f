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

/** Timeline rows as CSV (RFC 4180 quoting, by Jackson) or as one JSON array, written as they come. */
public final class TimelineWriters {
    public static final List<String> COLUMNS = List.of("target", "category", "probe_asn", "probe_cc", "state", "method", "start", "end",
            "measurements", "first_measurement_id", "last_measurement_id");

    private TimelineWriters() {}

    /** A sink for rows; {@link #close()} ends the document (not the underlying writer). */
    public interface RowWriter extends AutoCloseable {
        void write(TimelineRow row);

        @Override
        void close() throws IOException;
    }

    static String time(Instant t) {
        return t == null ? "" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The row's values in {@link #COLUMNS} order: strings (null when absent), and the measurement count. */
    static Object[] values(TimelineRow r) {
        return new Object[] {r.target(), r.category(), r.probeAsn(), r.probeCc(), r.state(), r.method(),
                r.start() == null ? null : time(r.start()), r.end() == null ? null : time(r.end()), r.measurements(),
                r.firstMeasurementId(), r.lastMeasurementId()};
    }

    static String[] cells(TimelineRow r) {
        Object[] v = values(r);
        String[] cells = new String[v.length];
        for (int i = 0; i < v.length; i++) cells[i] = v[i] == null ? "" : v[i].toString();
        return cells;
    }

    public static RowWriter csv(Writer out) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder();
        COLUMNS.forEach(schema::addColumn);
        out.write(String.join(",", COLUMNS) + "\n"); // the header even when no row follows
        SequenceWriter w = new CsvMapper().writerFor(String[].class).with(schema.setUseHeader(false).build()).writeValues(out);
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
                        if (v[i] instanceof Long n) g.writeNumber(n);
                        else g.writeString((String) v[i]);
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
