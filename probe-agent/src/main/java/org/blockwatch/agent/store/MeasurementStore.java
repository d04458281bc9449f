package org.blockwatch.agent.store;

import org.blockwatch.core.nettest.Speed;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Every measurement (its full JSON and indexed columns) and every state change, in an embedded
 * SQLite database: WAL mode, {@code synchronous=FULL} (a power cut loses nothing committed), a
 * schema versioned by {@code user_version} with migrations applied in order. A measurement counts
 * as stored only once {@link #insert} returned its id, after the commit.
 *
 * <p>One connection, used under this object's lock: SQLite has one writer anyway.
 */
public final class MeasurementStore implements AutoCloseable {
    /** The schema version this blockwatch writes. */
    public static final int SCHEMA_VERSION = StoreSchema.VERSION;

    private final Path path;
    private final Connection db;

    private MeasurementStore(Path path, Connection db) {
        this.path = path;
        this.db = db;
    }

    /** Opens (creating when needed) the store at {@code path} and brings its schema up to date. */
    public static MeasurementStore open(Path path) throws StoreException {
        Path parent = path.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (AccessDeniedException e) {
            throw new StoreException("store " + path + ": cannot create " + parent + ": permission denied", e);
        } catch (IOException e) {
            throw new StoreException("store " + path + ": cannot create " + parent + " (" + e.getClass().getSimpleName() + ")", e);
        }
        if (!Files.isWritable(parent) || (Files.exists(path) && !Files.isWritable(path))) {
            throw new StoreException("store " + path + ": not writable", null);
        }
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath());
            refuseForeign(path, db);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
            }
            MeasurementStore store = new MeasurementStore(path, db);
            store.migrate();
            return store;
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be opened"), e);
        }
    }

    /**
     * Plays a full disk, or ends it: with {@code full}, every write fails (SQLite's
     * {@code query_only}), as writes do when the disk has no room. For tests of what the agent
     * does when its writes fail.
     */
    public void simulateFullDisk(boolean full) throws StoreException {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA query_only = " + (full ? "ON" : "OFF"));
        } catch (SQLException e) {
            throw new StoreException("store " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * An SQLite file of another program (tables, and no blockwatch schema version) is left as it
     * is, untouched, rather than given blockwatch's tables beside its own.
     */
    private static void refuseForeign(Path path, Connection db) throws SQLException, StoreException {
        int version;
        List<String> tables = new java.util.ArrayList<>();
        try (Statement s = db.createStatement()) {
            try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
                version = r.getInt(1);
            }
            try (ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                while (r.next()) tables.add(r.getString(1));
            }
        }
        if (version == 0 && !tables.isEmpty()) {
            db.close();
            throw new StoreException("store " + path + ": an SQLite database of another program (tables: "
                    + String.join(", ", tables.subList(0, Math.min(5, tables.size()))) + (tables.size() > 5 ? ", ..." : "")
                    + "), left as it is; give blockwatch a file of its own", null);
        }
    }

    private void migrate() throws SQLException, StoreException {
        int version;
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            version = r.getInt(1);
        }
        if (version > SCHEMA_VERSION) {
            throw new StoreException("store " + path + ": schema version " + version + " is newer than this blockwatch knows ("
                    + SCHEMA_VERSION + "); upgrade blockwatch", null);
        }
        for (int v = version; v < SCHEMA_VERSION; v++) {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                for (String sql : StoreSchema.MIGRATIONS.get(v)) s.execute(sql);
                if (v + 1 == StoreSchema.FINAL_DOCUMENTS) LegacyDocuments.rewriteAll(db);
                s.execute("PRAGMA user_version = " + (v + 1));
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        }
    }

    /** Stores a measurement; returns its id once committed. */
    public long insert(StoredMeasurement m) throws StoreException {
        return insert(m, false);
    }

    /**
     * Stores a measurement, and when {@code upload}, its place in the upload queue in the same
     * transaction: a measurement is never stored without it. Returns its id once committed.
     */
    public synchronized long insert(StoredMeasurement m, boolean upload) throws StoreException {
        try {
            db.setAutoCommit(false);
            long id;
            try (PreparedStatement s = db.prepareStatement(StoreSchema.INSERT_MEASUREMENT, Statement.RETURN_GENERATED_KEYS)) {
                s.setString(1, m.measuredAt().toString());
                s.setString(2, m.target());
                s.setString(3, m.category());
                s.setString(4, m.probe().asn());
                s.setString(5, m.probe().cc());
                s.setString(6, m.probe().networkName());
                s.setString(7, m.status().label());
                s.setString(8, m.method() == null ? null : m.method().label());
                s.setString(9, String.join(" ", m.flags()));
                s.setString(10, m.json());
                setDouble(s, 11, m.speed().tlsHandshakeSeconds());
                setDouble(s, 12, m.speed().transferBytesPerSecond());
                s.setString(13, m.uid());
                s.setString(14, m.testName());
                s.executeUpdate();
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            if (upload) {
                try (PreparedStatement q = db.prepareStatement(StoreSchema.ENQUEUE_UPLOAD)) {
                    q.setLong(1, id);
                    q.setString(2, m.measuredAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
                    q.executeUpdate();
                }
            }
            db.commit();
            return id;
        } catch (SQLException e) {
            rollback();
            throw new StoreException(describe(path, e, "measurement of " + m.target() + " not stored"), e);
        } finally {
            autoCommit();
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // nothing was committed; the connection reports its own state on the next use
        }
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the next statement reports a broken connection by name
        }
    }

    /** A measurement waiting to be uploaded: its row id, attempts so far, and its JSON as stored. */
    /**
     * A measurement to send: its document, as stored, and what opening its report takes from it
     * ({@link StoreSchema#REPORT_FIELDS}: empty when the document is not JSON).
     */
    public record PendingUpload(long id, int attempts, String json, java.util.Map<String, String> report) {}

    /** Up to {@code limit} uploads due at {@code now}, oldest first. */
    public synchronized java.util.List<PendingUpload> dueUploads(Instant now, int limit) throws StoreException {
        java.util.List<PendingUpload> out = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement(StoreSchema.DUE_UPLOADS)) {
            // Whole seconds, as measured_at is stored: Instant.toString leaves out a zero fraction, and as
            // text "...:11Z" sorts after "...:11.5Z"; against whole seconds, a time of this second is due.
            s.setString(1, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    java.util.Map<String, String> report = new java.util.LinkedHashMap<>();
                    for (int i = 0; i < StoreSchema.REPORT_FIELDS.size(); i++) {
                        String v = r.getString(4 + i);
                        if (v != null) report.put(StoreSchema.REPORT_FIELDS.get(i), v);
                    }
                    out.add(new PendingUpload(r.getLong(1), r.getInt(2), r.getString(3), report));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    /** The collector stored it, under {@code collectorId}. */
    public void uploadSent(long id, String collectorId) throws StoreException {
        update(StoreSchema.UPLOAD_SENT, "upload of measurement " + id + " not recorded", collectorId, id);
    }

    /** The collector refused it for good (a 4xx); kept, with why, and never sent again. */
    public void uploadRejected(long id, String why) throws StoreException {
        update(StoreSchema.UPLOAD_REJECTED, "upload of measurement " + id + " not recorded", why, id);
    }

    /** Not sent this time (the collector down, a 5xx, a timeout): tried again from {@code next}. */
    public void uploadRetry(long id, Instant next, String why) throws StoreException {
        // Stored in whole seconds (rounded up), as every time the queue compares.
        Instant whole = next.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (whole.isBefore(next)) whole = whole.plusSeconds(1);
        update(StoreSchema.UPLOAD_RETRY, "upload of measurement " + id + " not recorded", whole.toString(), why, id);
    }

    /**
     * Puts in the upload queue, due at {@code now}, every measurement that is not in it (those
     * stored before uploads were turned on), and makes what waits for a retry due now too; returns
     * how many joined. A measurement already sent or rejected is not queued again.
     */
    public synchronized int queueEverythingUnsent(Instant now) throws StoreException {
        String at = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        try {
            db.setAutoCommit(false);
            int queued;
            try (PreparedStatement q = db.prepareStatement(StoreSchema.QUEUE_UNQUEUED);
                    PreparedStatement due = db.prepareStatement(StoreSchema.PENDING_DUE_NOW)) {
                q.setString(1, at);
                queued = q.executeUpdate();
                due.setString(1, at);
                due.setString(2, at);
                due.executeUpdate();
            }
            db.commit();
            return queued;
        } catch (SQLException e) {
            rollback();
            throw new StoreException(describe(path, e, "the upload queue not filled"), e);
        } finally {
            autoCommit();
        }
    }

    /** Why the oldest waiting upload was not sent at its last attempt, if it was tried. */
    public synchronized java.util.Optional<String> lastUploadError() throws StoreException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(StoreSchema.LAST_UPLOAD_ERROR)) {
            return r.next() ? java.util.Optional.ofNullable(r.getString(1)) : java.util.Optional.empty();
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    /** How many uploads are in each state: pending, sent, rejected. */
    public synchronized Map<String, Long> uploadCounts() throws StoreException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(StoreSchema.UPLOADS_BY_STATE)) {
            while (r.next()) out.put(r.getString(1), r.getLong(2));
            return out;
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    /** The collector's id of the local report {@code reportId}, once opened there. */
    public synchronized java.util.Optional<String> collectorReport(String reportId, String collector) throws StoreException {
        try (PreparedStatement s = db.prepareStatement(StoreSchema.COLLECTOR_REPORT)) {
            s.setString(1, reportId);
            s.setString(2, collector);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? java.util.Optional.of(r.getString(1)) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    public void saveCollectorReport(String reportId, String collector, String collectorReportId) throws StoreException {
        update(StoreSchema.SAVE_COLLECTOR_REPORT, "the collector's report id not recorded", reportId, collector, collectorReportId);
    }

    public void forgetCollectorReport(String reportId, String collector) throws StoreException {
        update(StoreSchema.FORGET_COLLECTOR_REPORT, "the collector's report id not forgotten", reportId, collector);
    }

    private synchronized void update(String sql, String what, Object... args) throws StoreException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, what), e);
        }
    }

    private static void setDouble(PreparedStatement s, int column, Double value) throws SQLException {
        if (value == null) s.setNull(column, java.sql.Types.REAL);
        else s.setDouble(column, value);
    }

    /** The last {@code perTarget} known speeds of each target, oldest first. */
    public synchronized Map<String, List<Speed>> recentSpeeds(int perTarget) throws StoreException {
        Map<String, List<Speed>> out = new LinkedHashMap<>();
        try (PreparedStatement s = db.prepareStatement(StoreSchema.RECENT_SPEEDS)) {
            s.setInt(1, perTarget);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), t -> new ArrayList<>()).add(new Speed(getDouble(r, 2), getDouble(r, 3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    private static Double getDouble(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    /** Records that a target's published state changed, after {@code measurementId} confirmed it. */
    public void recordStateChange(Instant at, String target, String category, Status state, Method method, Long measurementId,
            ProbeInfo probe) throws StoreException {
        insertChange(at, target, category, state.label(), method == null ? null : method.label(), measurementId, probe,
                "state change of " + target + " not stored");
    }

    /** Records that the probe's own network went offline or came back, as of {@code at}. */
    public void recordNetworkChange(Instant at, NetworkState state, ProbeInfo probe) throws StoreException {
        insertChange(at, null, null, state.label(), null, null, probe, "state change of the network not stored");
    }

    private synchronized void insertChange(Instant at, String target, String category, String state, String method, Long measurementId,
            ProbeInfo probe, String what) throws StoreException {
        try (PreparedStatement s = db.prepareStatement(StoreSchema.INSERT_STATE_CHANGE)) {
            s.setString(1, at.toString());
            s.setString(2, target);
            s.setString(3, category);
            s.setString(4, state);
            s.setString(5, method);
            if (measurementId == null) s.setNull(6, java.sql.Types.INTEGER);
            else s.setLong(6, measurementId);
            s.setString(7, probe.asn());
            s.setString(8, probe.cc());
            s.setString(9, probe.networkName());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, what), e);
        }
    }

    /** Each target's latest published state, for a restart to begin where the last run ended. */
    public synchronized Map<String, TargetState> currentStates() throws StoreException {
        Map<String, Instant> lastMeasured = new LinkedHashMap<>();
        Map<String, TargetState> out = new LinkedHashMap<>();
        try (Statement s = db.createStatement()) {
            try (ResultSet r = s.executeQuery(StoreSchema.LAST_MEASURED)) {
                while (r.next()) lastMeasured.put(r.getString(1), Instant.parse(r.getString(2)));
            }
            try (ResultSet r = s.executeQuery(StoreSchema.CURRENT_STATES)) {
                while (r.next()) {
                    String target = r.getString(1);
                    out.put(target, new TargetState(target, r.getString(2), Status.ofLabel(r.getString(3)), Method.ofLabel(r.getString(4)),
                            Instant.parse(r.getString(5)),
                            lastMeasured.get(target)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    /** The probe's own network state last recorded, or null. */
    public synchronized NetworkState networkState() throws StoreException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(StoreSchema.LAST_NETWORK_STATE)) {
            return r.next() ? NetworkState.ofLabel(r.getString(1)) : null;
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    /**
     * The probe's network as last recorded: its state, since when, and while restricted the
     * channels the port-filtering helper still answered through at the last check (empty and null
     * when none was made).
     */
    public record NetworkRecord(NetworkState state, Instant since, List<String> openChannels, Instant channelsCheckedAt) {
        public NetworkRecord {
            openChannels = List.copyOf(openChannels);
        }
    }

    /** The last network change, or empty when the network was never anything but online. */
    public synchronized java.util.Optional<NetworkRecord> networkRecord() throws StoreException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(StoreSchema.LAST_NETWORK_CHANGE)) {
            if (!r.next()) return java.util.Optional.empty();
            String open = r.getString(3);
            String checked = r.getString(4);
            return java.util.Optional.of(new NetworkRecord(NetworkState.ofLabel(r.getString(1)), Instant.parse(r.getString(2)),
                    open == null || open.isBlank() ? List.of() : List.of(open.strip().split(" +")), checked == null ? null : Instant.parse(checked)));
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    /**
     * Keeps, with the last network change when it is {@code restricted}, the channels still open at
     * a check made at {@code at} (each check replaces the last). Returns whether there was such a
     * change to keep them with.
     */
    public synchronized boolean recordOpenChannels(List<String> open, Instant at) throws StoreException {
        try (PreparedStatement s = db.prepareStatement(StoreSchema.SET_OPEN_CHANNELS)) {
            s.setString(1, String.join(" ", open));
            s.setString(2, at.toString());
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "the open channels not stored"), e);
        }
    }

    /** A web measurement's {@code x_dns_intercepted} as stored (JSON), and when it was measured. */
    public record DnsInterceptionRecord(String json, Instant measuredAt) {}

    /** The newest {@code x_dns_intercepted} among the last web measurements, if any of them had one. */
    public synchronized java.util.Optional<DnsInterceptionRecord> lastDnsInterception() throws StoreException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(StoreSchema.LAST_DNS_INTERCEPTION)) {
            return r.next() ? java.util.Optional.of(new DnsInterceptionRecord(r.getString(1), Instant.parse(r.getString(2))))
                    : java.util.Optional.empty();
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    /** A measurement as {@code blockwatch list} shows it. */
    public record Listed(String uid, Instant measuredAt, String testName, String target, Status status, Method method) {}

    /**
     * The newest {@code limit} measurements, newest first, of {@code target} (with or without its
     * trailing slash; null: every target) with {@code status} (null: any).
     */
    public synchronized List<Listed> recent(String target, Status status, int limit) throws StoreException {
        List<Listed> out = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement(StoreSchema.RECENT)) {
            String bare = target == null ? null : target.replaceFirst("/+$", "");
            s.setString(1, bare);
            s.setString(2, bare == null ? null : bare + "/");
            s.setString(3, status == null ? null : status.label());
            s.setInt(4, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Listed(r.getString(1), Instant.parse(r.getString(2)), r.getString(3), r.getString(4),
                            Status.ofLabel(r.getString(5)), Method.ofLabel(r.getString(6))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    /** One measurement whole: its columns and its document as stored. */
    public record Found(String uid, Instant measuredAt, String testName, String target, String category, String asn, String cc,
            String network, Status status, Method method, List<String> flags, String json) {}

    /**
     * The measurement whose {@code measurement_uid} is {@code uid}, or the only one it begins;
     * empty when none is, and a {@link StoreException} saying so when several are.
     */
    public synchronized java.util.Optional<Found> find(String uid) throws StoreException {
        List<Found> found = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement(StoreSchema.BY_UID)) {
            s.setString(1, uid);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String flags = r.getString(11);
                    found.add(new Found(r.getString(1), Instant.parse(r.getString(2)), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getString(7), r.getString(8), Status.ofLabel(r.getString(9)), Method.ofLabel(r.getString(10)),
                            flags == null || flags.isBlank() ? List.of() : List.of(flags.strip().split(" +")), r.getString(12)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
        if (found.size() > 1 && !found.get(0).uid().equals(uid)) {
            throw new StoreException("'" + uid + "' begins more than one measurement's id (" + found.get(0).uid() + ", " + found.get(1).uid()
                    + ", ...); give more of it", null);
        }
        return found.stream().findFirst();
    }

    /** Where the store is. */
    public Path path() {
        return path;
    }

    /**
     * A file kept beside the store at {@code store} and named after it: {@code blockwatch.paused}
     * for {@code blockwatch.db} and suffix {@code .paused}. Two agents with stores in one folder keep apart.
     */
    public static Path beside(Path store, String suffix) {
        Path s = store.toAbsolutePath();
        return s.resolveSibling(s.getFileName().toString().replaceFirst("\\.db$", "") + suffix);
    }

    /** The latest measurement's time and network: where and when the agent last measured. */
    public record Latest(Instant at, String asn, String cc, String network) {}

    /** The latest measurement, if any. */
    public synchronized java.util.Optional<Latest> latest() throws StoreException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                "SELECT measured_at, probe_asn, probe_cc, network FROM measurements ORDER BY measured_at DESC, id DESC LIMIT 1")) {
            return r.next() ? java.util.Optional.of(new Latest(Instant.parse(r.getString(1)), r.getString(2), r.getString(3), r.getString(4)))
                    : java.util.Optional.empty();
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    public synchronized long count() throws StoreException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(StoreSchema.COUNT_MEASUREMENTS)) {
            return r.getLong(1);
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    static String describe(Path path, SQLException e, String what) {
        String why = e.getMessage();
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            why = switch (code.code & 0xff) {
                case 13 -> "the disk is full";                    // SQLITE_FULL
                case 8 -> "the file is read-only";                // SQLITE_READONLY
                case 14 -> "the file cannot be opened";           // SQLITE_CANTOPEN
                case 11, 26 -> "the file is damaged or not a blockwatch store"; // SQLITE_CORRUPT, SQLITE_NOTADB
                case 10 -> "an input/output error";               // SQLITE_IOERR
                default -> code.message;
            };
        }
        return "store " + path + ": " + what + ": " + why;
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing a connection that failed has nothing more to lose
        }
    }
}
