package org.blockwatch.agent.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.agent.store.StoreSchema;
import org.blockwatch.agent.store.StoreException;
import org.sqlite.SQLiteConfig;

/**
 * A store opened read-only for export: its measurements as a cursor in the order a timeline needs
 * (never all in memory), and the outages of the probe's own network. Either a probe's SQLite
 * store, or a collector's PostgreSQL database (every probe's measurements; no outages, which a
 * collector does not receive), read through a server-side cursor.
 */
public final class ExportStore implements AutoCloseable {
    /** Which database, and so which columns. */
    private enum Dialect { SQLITE, POSTGRESQL }

    /** Rows of a fetch without their documents (a few hundred bytes each). */
    static final int ROWS_PER_FETCH = 1000;
    /** Rows of a fetch with their documents: at most 16 times a document's size in memory at once. */
    static final int DOCUMENTS_PER_FETCH = 16;

    private final String name;
    private final Connection db;
    private final Dialect dialect;
    /** A SQLite store's schema version (its measurement_uid column is there from 2 on). */
    private final int version;
    /** {@link #resolver}'s statement, prepared once. */
    private PreparedStatement resolverLookup;

    private ExportStore(String name, Connection db, Dialect dialect) {
        this.name = name;
        this.db = db;
        this.dialect = dialect;
        this.version = 0;
    }

    /**
     * A collector's database ({@code jdbc:postgresql:} URL; {@code shown} names it in errors,
     * without a password), read-only.
     */
    public static ExportStore collector(String jdbcUrl, String shown) throws StoreException {
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new StoreException("--from " + shown + ": reading a collector's database is in the operators' package, blockwatch-server "
                    + "(volunteers' blockwatch has no PostgreSQL driver); see docs/operators.md", e);
        }
        try {
            Connection db = java.sql.DriverManager.getConnection(jdbcUrl);
            db.setReadOnly(true);
            db.setAutoCommit(false); // PostgreSQL streams a result (fetch size) only inside a transaction
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT count(*) FROM information_schema.columns WHERE table_name = 'measurements' AND column_name IN ('doc', 'category')")) {
                r.next();
                if (r.getInt(1) != 2) {
                    db.close();
                    throw new StoreException("--from " + shown + ": not a blockwatch collector's database", null);
                }
            }
            return new ExportStore("--from " + shown, db, Dialect.POSTGRESQL);
        } catch (SQLException e) {
            throw new StoreException("--from " + shown + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** A probe's store, read-only. */
    public ExportStore(Path path) throws StoreException {
        this.name = "--db " + path;
        this.dialect = Dialect.SQLITE;
        if (Files.isDirectory(path)) throw new StoreException("--db " + path + ": a folder, not a store (give the .db file in it)", null);
        if (!Files.isRegularFile(path)) throw new StoreException("--db " + path + ": no such file", null);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        try {
            db = config.createConnection("jdbc:sqlite:" + path.toAbsolutePath());
            int version;
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
                version = r.getInt(1);
            }
            if (version < 1 || version > MeasurementStore.SCHEMA_VERSION) {
                db.close();
                throw new StoreException("--db " + path + ": not a blockwatch store of a known version (schema version " + version + ")", null);
            }
            this.version = version;
        } catch (SQLException e) {
            throw new StoreException("--db " + path + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A measurement row, as read: its measurement_uid (null only in a store so old that its document has none), the
     * network's name and the verdict's flags (indexed columns: a timeline reads no document).
     */
    public record Row(String uid, Instant at, String target, String category, String probeAsn, String probeCc, String status, String method,
            String networkName, List<String> flags, String json) {}

    /** A forward-only cursor over measurements; close it. */
    public final class Cursor implements AutoCloseable {
        private final PreparedStatement statement;
        private final ResultSet rows;
        private final boolean withJson;

        private Cursor(PreparedStatement statement, boolean withJson) throws SQLException {
            this.statement = statement;
            this.rows = statement.executeQuery();
            this.withJson = withJson;
        }

        /** The next row, or null at the end. */
        public Row next() throws StoreException {
            try {
                if (!rows.next()) return null;
                Instant at = dialect == Dialect.POSTGRESQL ? rows.getTimestamp(2).toInstant() : Instant.parse(rows.getString(2));
                String category = rows.getString(4);
                String flags = rows.getString(10);
                return new Row(rows.getString(1), at, rows.getString(3), category == null ? "" : category, rows.getString(5), rows.getString(6),
                        rows.getString(7), rows.getString(8), rows.getString(9), flags == null || flags.isBlank() ? List.of() : List.of(flags.strip().split(" +")),
                        withJson ? rows.getString(11) : null);
            } catch (SQLException | java.time.format.DateTimeParseException e) {
                throw new StoreException(name + ": cannot read a measurement (" + e.getMessage() + ")", e);
            }
        }

        @Override
        public void close() {
            try {
                rows.close();
                statement.close();
            } catch (SQLException ignored) {
                // closing a read-only cursor: nothing to lose
            }
        }
    }

    /**
     * A collector's measurement's target, as the agent's store names it: its input, or for a kind
     * measured without one (an app: OONI's {@code input} is null), its test name.
     */
    static final String PG_TARGET = "COALESCE(NULLIF(input, ''), doc->>'test_name')";

    /** A field of a SQLite store's document, null where the document is not JSON (a damaged row stays readable). */
    private static String docField(String field) {
        return "CASE WHEN json_valid(json) THEN json_extract(json, '$." + field + "') END";
    }

    /**
     * Measurements matching the query, by network, target and time (timelines) or by time alone: {@code uid,
     * time, target, category, probe_asn, probe_cc, status, method, network name, flags (space-separated)[, document]}.
     */
    public Cursor measurements(ExportQuery q, boolean byTarget, boolean withJson) throws StoreException {
        List<Object> args = new ArrayList<>();
        String where = where(q, args);
        String sql;
        if (dialect == Dialect.SQLITE) {
            // The uid a document carries is the one ooni-jsonl writes; the column, from schema 2 on, indexes it.
            String uid = version >= 2 ? "COALESCE(measurement_uid, " + docField("measurement_uid") + ")" : docField("measurement_uid");
            sql = "SELECT " + uid + ", measured_at, target, category, probe_asn, probe_cc, status, method, network, flags" + (withJson ? ", json" : "")
                    + " FROM measurements" + (where.isEmpty() ? "" : " WHERE " + where)
                    + (byTarget ? " ORDER BY probe_asn, probe_cc, target, measured_at, id" : " ORDER BY measured_at, id");
        } else {
            sql = "SELECT measurement_uid, measurement_start_time, " + PG_TARGET + ", category, probe_asn, probe_cc, status, method, probe_network_name,"
                    + " array_to_string(flags, ' ')" + (withJson ? ", doc::text" : "")
                    + " FROM measurements" + (where.isEmpty() ? "" : " WHERE " + where)
                    + (byTarget ? " ORDER BY probe_asn, probe_cc, " + PG_TARGET + ", measurement_start_time, measurement_uid"
                            : " ORDER BY measurement_start_time, measurement_uid");
        }
        try {
            PreparedStatement s = db.prepareStatement(sql);
            // PostgreSQL holds a whole fetch in memory: documents (up to a collector's 4 MB each) come
            // a few at a time, so that the heap a fetch needs stays small whatever their size.
            s.setFetchSize(withJson ? DOCUMENTS_PER_FETCH : ROWS_PER_FETCH);
            for (int i = 0; i < args.size(); i++) s.setObject(i + 1, args.get(i));
            return new Cursor(s, withJson);
        } catch (SQLException e) {
            throw new StoreException(name + ": cannot be queried (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The resolver a measurement's document names, found by its measurement_uid (an indexed column); null when this
     * store has no such measurement (or, older than schema 2, no uid column to find it by).
     */
    public Resolver resolver(String uid) throws StoreException {
        if (dialect == Dialect.SQLITE && version < 2) return null;
        String sql = dialect == Dialect.SQLITE
                ? "SELECT " + docField("resolver_asn") + ", " + docField("resolver_network_name") + ", " + docField("resolver_ip")
                        + " FROM measurements WHERE measurement_uid = ?"
                : "SELECT doc->>'resolver_asn', doc->>'resolver_network_name', doc->>'resolver_ip' FROM measurements WHERE measurement_uid = ?";
        try {
            if (resolverLookup == null) resolverLookup = db.prepareStatement(sql);
            resolverLookup.setString(1, uid);
            try (ResultSet r = resolverLookup.executeQuery()) {
                return r.next() ? new Resolver(r.getString(1), r.getString(2), r.getString(3)) : null;
            }
        } catch (SQLException e) {
            throw new StoreException(name + ": cannot be queried (" + e.getMessage() + ")", e);
        }
    }

    /** The earliest and latest measurement matching the query, or null when none does. */
    public Instant[] span(ExportQuery q) throws StoreException {
        List<Object> args = new ArrayList<>();
        String where = where(q, args);
        String sql = dialect == Dialect.SQLITE ? StoreSchema.span(where)
                : "SELECT MIN(measurement_start_time), MAX(measurement_start_time) FROM measurements" + (where.isEmpty() ? "" : " WHERE " + where);
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) s.setObject(i + 1, args.get(i));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (r.getString(1) == null) return null;
                if (dialect == Dialect.POSTGRESQL) return new Instant[] {r.getTimestamp(1).toInstant(), r.getTimestamp(2).toInstant()};
                return new Instant[] {Instant.parse(r.getString(1)), Instant.parse(r.getString(2))};
            }
        } catch (SQLException e) {
            throw new StoreException(name + ": cannot be queried (" + e.getMessage() + ")", e);
        } catch (java.time.format.DateTimeParseException e) {
            throw new StoreException(name + ": a measurement's time is not a time (" + e.getMessage() + ")", e);
        }
    }

    /** The probe's own network outages, offline or restricted: each from the sweep that found it so to the one that found it changed. */
    public List<Outage> outages() throws StoreException {
        List<Outage> out = new ArrayList<>();
        if (dialect == Dialect.POSTGRESQL) return out; // a collector receives measurements, not the probes' network states
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(StoreSchema.NETWORK_CHANGES)) {
            record Network(String asn, String cc) {}
            record Open(NetworkState state, Instant since) {}
            Map<Network, Open> open = new LinkedHashMap<>();
            while (r.next()) {
                Instant at = Instant.parse(r.getString(1));
                Network network = new Network(r.getString(3), r.getString(4));
                NetworkState state = NetworkState.ofLabel(r.getString(2));
                Open was = open.get(network);
                if (was != null && was.state() == state) continue;
                if (was != null) out.add(new Outage(network.asn(), network.cc(), was.state(), open.remove(network).since(), at));
                if (state != NetworkState.ONLINE) open.put(network, new Open(state, at));
            }
            open.forEach((network, o) -> out.add(new Outage(network.asn(), network.cc(), o.state(), o.since(), null)));
        } catch (SQLException e) {
            throw new StoreException(name + ": cannot be queried (" + e.getMessage() + ")", e);
        } catch (java.time.format.DateTimeParseException | IllegalArgumentException e) {
            throw new StoreException(name + ": a network state change is not readable (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** An outage of the probe's network (offline or restricted); {@code until} null while it lasts. */
    public record Outage(String probeAsn, String probeCc, NetworkState state, Instant from, Instant until) {
        boolean covers(String asn, String cc, Instant t) {
            return probeAsn.equals(asn) && probeCc.equals(cc) && !t.isBefore(from) && (until == null || t.isBefore(until));
        }
    }

    /** The query's conditions (joined with AND), their arguments added to {@code args}. */
    private String where(ExportQuery q, List<Object> args) {
        List<String> conditions = new ArrayList<>();
        boolean pg = dialect == Dialect.POSTGRESQL;
        String time = pg ? "measurement_start_time" : "measured_at";
        if (q.since() != null) {
            conditions.add(time + " >= ?");
            args.add(pg ? java.sql.Timestamp.from(q.since()) : q.since().toString());
        }
        if (q.until() != null) {
            conditions.add(time + " < ?");
            args.add(pg ? java.sql.Timestamp.from(q.until()) : q.until().toString());
        }
        List<String> targets = q.targetForms();
        if (pg && !targets.isEmpty()) {
            // A URL by its indexed column; an app (no input) by its test name.
            String marks = "?,".repeat(targets.size() - 1) + "?";
            conditions.add("(input IN (" + marks + ") OR ((input IS NULL OR input = '') AND doc->>'test_name' IN (" + marks + ")))");
            args.addAll(targets);
            args.addAll(targets);
        } else {
            in(conditions, args, pg ? "input" : "target", targets);
        }
        in(conditions, args, "probe_asn", q.asns());
        in(conditions, args, "probe_cc", q.ccs());
        in(conditions, args, "category", q.categories());
        return String.join(" AND ", conditions);
    }

    private static void in(List<String> conditions, List<Object> args, String column, List<String> values) {
        if (values.isEmpty()) return;
        conditions.add(column + " IN (" + "?,".repeat(values.size() - 1) + "?)");
        args.addAll(values);
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // read-only: nothing to lose
        }
    }
}
