package org.blockwatch.agent.store;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** Migration i takes the schema from version i to version i + 1. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE measurements (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              measured_at TEXT NOT NULL,
              target TEXT NOT NULL,
              category TEXT NOT NULL,
              probe_asn TEXT NOT NULL,
              probe_cc TEXT NOT NULL,
              network TEXT NOT NULL,
              status TEXT NOT NULL,
              method TEXT,
              flags TEXT NOT NULL,
              json TEXT NOT NULL)""",
            "CREATE INDEX measurements_target_time ON measurements (target, measured_at)",
            "CREATE INDEX measurements_time ON measurements (measured_at)",
            """
            CREATE TABLE state_changes (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              changed_at TEXT NOT NULL,
              target TEXT,
              category TEXT,
              state TEXT NOT NULL,
              method TEXT,
              measurement_id INTEGER REFERENCES measurements (id),
              probe_asn TEXT NOT NULL,
              probe_cc TEXT NOT NULL,
              network TEXT NOT NULL)""",
            "CREATE INDEX state_changes_target ON state_changes (target, id)"));
    public static final int SCHEMA_VERSION = MIGRATIONS.size();

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
                for (String sql : MIGRATIONS.get(v)) s.execute(sql);
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
    public synchronized long insert(StoredMeasurement m) throws StoreException {
        String sql = "INSERT INTO measurements (measured_at, target, category, probe_asn, probe_cc, network, status, method, flags, json)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement s = db.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, m.measuredAt().toString());
            s.setString(2, m.target());
            s.setString(3, m.category());
            s.setString(4, m.probeAsn());
            s.setString(5, m.probeCc());
            s.setString(6, m.network());
            s.setString(7, m.status());
            s.setString(8, m.method());
            s.setString(9, m.flags());
            s.setString(10, m.json());
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "measurement of " + m.target() + " not stored"), e);
        }
    }

    /**
     * Records a state change; {@code target} null is the probe's own network ({@code online} /
     * {@code offline}).
     */
    public synchronized void recordStateChange(Instant at, String target, String category, String state, String method,
            Long measurementId, String asn, String cc, String network) throws StoreException {
        String sql = "INSERT INTO state_changes (changed_at, target, category, state, method, measurement_id, probe_asn, probe_cc, network)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement s = db.prepareStatement(sql)) {
            s.setString(1, at.toString());
            s.setString(2, target);
            s.setString(3, category);
            s.setString(4, state);
            s.setString(5, method);
            if (measurementId == null) s.setNull(6, java.sql.Types.INTEGER);
            else s.setLong(6, measurementId);
            s.setString(7, asn);
            s.setString(8, cc);
            s.setString(9, network);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "state change of " + (target == null ? "the network" : target) + " not stored"), e);
        }
    }

    /** Each target's latest published state, for a restart to begin where the last run ended. */
    public synchronized Map<String, TargetState> currentStates() throws StoreException {
        Map<String, Instant> lastMeasured = new LinkedHashMap<>();
        Map<String, TargetState> out = new LinkedHashMap<>();
        try (Statement s = db.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT target, MAX(measured_at) FROM measurements GROUP BY target")) {
                while (r.next()) lastMeasured.put(r.getString(1), Instant.parse(r.getString(2)));
            }
            try (ResultSet r = s.executeQuery("SELECT c.target, c.category, c.state, c.method, c.changed_at FROM state_changes c"
                    + " JOIN (SELECT target, MAX(id) AS id FROM state_changes WHERE target IS NOT NULL GROUP BY target) l ON c.id = l.id")) {
                while (r.next()) {
                    String target = r.getString(1);
                    out.put(target, new TargetState(target, r.getString(2), r.getString(3), r.getString(4), Instant.parse(r.getString(5)),
                            lastMeasured.get(target)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    /** The probe's own network state last recorded ({@code online}/{@code offline}), or null. */
    public synchronized String networkState() throws StoreException {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT state FROM state_changes WHERE target IS NULL ORDER BY id DESC LIMIT 1")) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            throw new StoreException(describe(path, e, "cannot be read"), e);
        }
    }

    public synchronized long count() throws StoreException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM measurements")) {
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
