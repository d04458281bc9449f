package org.blockwatch.collector;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;

/**
 * The collector's PostgreSQL: a small pool (HikariCP), the schema migrated by Flyway at start,
 * reports and measurements written through prepared statements, each month's partition created
 * before its first row. A measurement already stored (same {@code measurement_uid}, whatever its
 * start; or, for one whose uid the collector assigned, the same content) is recognised, not stored
 * twice. Thread-safe.
 */
public final class CollectorStore implements AutoCloseable {

    private final HikariDataSource pool;
    private final Set<YearMonth> partitions = ConcurrentHashMap.newKeySet();
    /** Reports known to exist, and their probe ("" without tokens): a report is never deleted, so a hit needs no query. */
    private final java.util.Map<String, String> knownReports = new ConcurrentHashMap<>();
    private static final int MAX_KNOWN_REPORTS = 100_000;
    /** Measurements written in one transaction, at most. */
    static final int BATCH = 64;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;
    private final MeasurementLinks links;

    /** What storing a submission did: the measurement's uid (a repeat's is the one first stored), and whether it is new. */
    public record Stored(String uid, boolean fresh) {}

    /** A stored measurement's document and the probe that submitted it (null without tokens). */
    public record Document(String json, String probe) {}

    /** Opens the database at {@code jdbcUrl} and brings its schema up to date. */
    public CollectorStore(String jdbcUrl, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("collector");
        config.setConnectionTimeout(10_000);
        this.pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            this.links = new MeasurementLinks(linkKey());
        } catch (RuntimeException | SQLException e) {
            pool.close();
            if (e instanceof SQLException q) throw new IllegalStateException("the link key: " + q.getMessage(), q);
            throw (RuntimeException) e;
        }
        // Half the pool writes; the rest serves reads (reports, /measurements, readiness).
        for (int i = 0; i < Math.max(1, poolSize / 2); i++) {
            writers.add(Thread.ofPlatform().daemon().name("collector-writer-" + i).start(this::write));
        }
    }

    /** The key of signed links: made once, by the first collector to start on this database (the others read it). */
    private byte[] linkKey() throws SQLException {
        byte[] fresh = new byte[32];
        new java.security.SecureRandom().nextBytes(fresh);
        byte[][] pads = MeasurementLinks.pads(fresh);
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO link_key (id, key, inner_pad, outer_pad) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                s.setBytes(1, fresh);
                s.setBytes(2, pads[0]);
                s.setBytes(3, pads[1]);
                s.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT key FROM link_key WHERE id = 1")) {
                r.next();
                return r.getBytes(1);
            }
        }
    }

    /** Checks and signs links to measurements. */
    MeasurementLinks links() {
        return links;
    }

    /** Opens a report; its id has OONI's shape of today ({@link ReportIds}), with 256 random bits (bk-003). */
    public String openReport(String probeAsn, String probeCc, String softwareName, String softwareVersion, String testName, String probe)
            throws SQLException {
        String id = ReportIds.next(Instant.now(), testName, probeCc, probeAsn);
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO reports (report_id, probe_asn, probe_cc, software_name, software_version, test_name, probe) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, probeAsn);
            s.setString(3, probeCc);
            s.setString(4, softwareName);
            s.setString(5, softwareVersion);
            s.setString(6, testName);
            s.setString(7, probe);
            s.executeUpdate();
        }
        return id;
    }

    /** The probe that opened the report (null without tokens), or empty when there is no such report. */
    public Optional<Optional<String>> report(String reportId) throws SQLException {
        String known = knownReports.get(reportId);
        if (known != null) return Optional.of(known.isEmpty() ? Optional.empty() : Optional.of(known));
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement("SELECT probe FROM reports WHERE report_id = ?")) {
            s.setString(1, reportId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) return Optional.empty();
                String probe = r.getString(1);
                if (knownReports.size() > MAX_KNOWN_REPORTS) knownReports.clear();
                knownReports.put(reportId, probe == null ? "" : probe);
                return Optional.of(Optional.ofNullable(probe));
            }
        }
    }

    /** Stores a checked submission; false when it was already stored (a repeat). */
    public boolean store(Submission m) throws SQLException {
        return submit(m).fresh();
    }

    /**
     * Stores a checked submission: its uid, and whether it is new (not a repeat). Concurrent calls
     * are written together by the store's writers: one transaction, one round trip and one WAL
     * flush for up to {@value #BATCH} measurements. It returns once its row is committed.
     */
    public Stored submit(Submission m) throws SQLException {
        Pending p = new Pending(m, new CompletableFuture<>());
        if (closed) throw new SQLException("the collector's store is closed");
        queue.add(p);
        try {
            return p.stored().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while storing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException q) throw q;
            throw new SQLException(e.getCause());
        }
    }

    private record Pending(Submission m, CompletableFuture<Stored> stored) {}

    private void write() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, BATCH - 1);
            try {
                write(batch);
            } catch (SQLException | RuntimeException e) {
                if (batch.size() == 1) batch.getFirst().stored().completeExceptionally(e);
                else for (Pending p : batch) writeAlone(p); // one bad row must not fail the others
            }
            batch.clear();
        }
        for (Pending p; (p = queue.poll()) != null; ) p.stored().completeExceptionally(new SQLException("the collector's store is closed"));
    }

    private void writeAlone(Pending p) {
        try {
            write(List.of(p));
        } catch (SQLException | RuntimeException e) {
            p.stored().completeExceptionally(e);
        }
    }

    private void write(List<Pending> batch) throws SQLException {
        for (Pending p : batch) ensurePartition(YearMonth.from(p.m().start().atOffset(ZoneOffset.UTC)));
        boolean[] fresh = new boolean[batch.size()];
        String[] uid = new String[batch.size()];
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement uids = c.prepareStatement(
                    "INSERT INTO measurement_uids (measurement_uid, content_sha256) VALUES (?, ?) ON CONFLICT DO NOTHING");
                    PreparedStatement first = c.prepareStatement("SELECT measurement_uid FROM measurement_uids WHERE content_sha256 = ?");
                    PreparedStatement s = c.prepareStatement("""
                    INSERT INTO measurements (measurement_uid, measurement_start_time, report_id, probe_asn, probe_cc, probe_network_name, input,
                      test_start_time, status, method, flags, doc, category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                    ON CONFLICT (measurement_uid, measurement_start_time) DO NOTHING""")) {
                // First the uids: one already known (whatever its start time) is a repeat, and its row is not written.
                // A uid the collector assigned is new each time: its repeat is the same content (a conflict on content_sha256).
                for (Pending p : batch) {
                    uids.setString(1, p.m().uid());
                    uids.setBytes(2, p.m().contentDigest());
                    uids.addBatch();
                }
                int[] counts = uids.executeBatch();
                boolean any = false;
                for (int i = 0; i < batch.size(); i++) {
                    fresh[i] = counts[i] == 1;
                    uid[i] = batch.get(i).m().uid();
                    if (!fresh[i] && batch.get(i).m().assigned()) {
                        first.setBytes(1, batch.get(i).m().contentDigest());
                        try (ResultSet r = first.executeQuery()) {
                            if (r.next()) uid[i] = r.getString(1);
                        }
                    }
                    if (!fresh[i]) continue;
                    any = true;
                    Submission m = batch.get(i).m();
                    s.setString(1, m.uid());
                    s.setTimestamp(2, Timestamp.from(m.start()));
                    s.setString(3, m.reportId());
                    s.setString(4, m.probeAsn());
                    s.setString(5, m.probeCc());
                    s.setString(6, m.networkName());
                    s.setString(7, m.input());
                    s.setTimestamp(8, Timestamp.from(m.testStart()));
                    s.setString(9, m.status());
                    s.setString(10, m.method());
                    s.setArray(11, c.createArrayOf("text", m.flags().toArray()));
                    s.setString(12, m.json());
                    s.setString(13, m.category());
                    s.addBatch();
                }
                if (any) s.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        // Two submissions of one measurement in one batch: the first stores it, the second is a repeat.
        for (int i = 0; i < batch.size(); i++) batch.get(i).stored().complete(new Stored(uid[i], fresh[i]));
    }

    /** The stored document of a measurement, by its uid, with the probe whose report holds it. */
    public Optional<Document> measurement(String uid) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT m.doc::text, r.probe FROM measurements m JOIN reports r ON r.report_id = m.report_id WHERE m.measurement_uid = ? LIMIT 1")) {
            s.setString(1, uid);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Document(r.getString(1), r.getString(2))) : Optional.empty();
            }
        }
    }

    public long count() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM measurements")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Whether the database answers (readiness). */
    public boolean ready() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void ensurePartition(YearMonth month) throws SQLException {
        if (partitions.contains(month)) return;
        synchronized (partitions) {
            if (partitions.contains(month)) return;
            String name = String.format("measurements_y%04dm%02d", month.getYear(), month.getMonthValue());
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                // Names and bounds are made here from a YearMonth, not from input.
                s.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF measurements FOR VALUES FROM ('" + month.atDay(1)
                        + "') TO ('" + month.plusMonths(1).atDay(1) + "')");
            }
            partitions.add(month);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : writers) w.interrupt();
        for (Thread w : writers) {
            try {
                w.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Pending p; (p = queue.poll()) != null; ) p.stored().completeExceptionally(new SQLException("the collector's store is closed"));
        pool.close();
    }
}
