package org.blockwatch.agent.store;

import java.util.List;

/**
 * The store's schema and every statement that reads or writes it: the agent's store writes
 * through these, the exporter (and the tests' second look) reads through them. Stored times are
 * ISO-8601 UTC text, so comparing text is comparing time.
 */
public final class StoreSchema {
    private StoreSchema() {}

    /** Migration i takes the schema from version i to version i + 1. */
    static final List<List<String>> MIGRATIONS = List.of(List.of(
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
            "CREATE INDEX state_changes_target ON state_changes (target, id)"),
            // 2: each measurement's speed, for the agent to compare a target with its own history after a restart;
            // its stable id (OONI's measurement_uid shape), null in rows stored before.
            List.of("ALTER TABLE measurements ADD COLUMN tls_handshake_seconds REAL",
                    "ALTER TABLE measurements ADD COLUMN transfer_bytes_per_second REAL",
                    "ALTER TABLE measurements ADD COLUMN measurement_uid TEXT",
                    "CREATE UNIQUE INDEX measurements_uid ON measurements (measurement_uid)"),
            // 3: the upload queue: a row per measurement to send (written in the measurement's own transaction,
            // so none is ever stored without its place in the queue), and the collector's id of each local report.
            List.of("""
                    CREATE TABLE uploads (
                      measurement_id INTEGER PRIMARY KEY REFERENCES measurements (id),
                      state TEXT NOT NULL,
                      attempts INTEGER NOT NULL DEFAULT 0,
                      next_attempt_at TEXT NOT NULL,
                      collector_measurement_id TEXT,
                      last_error TEXT)""",
                    "CREATE INDEX uploads_due ON uploads (state, next_attempt_at)",
                    """
                    CREATE TABLE upload_reports (
                      report_id TEXT NOT NULL,
                      collector TEXT NOT NULL,
                      collector_report_id TEXT NOT NULL,
                      PRIMARY KEY (report_id, collector))"""),
            // 4: the kind of each measurement (OONI's test_name): the rows before were all Web Connectivity. Their
            // documents are rewritten in their final form by LegacyDocuments, in the same transaction.
            List.of("ALTER TABLE measurements ADD COLUMN test_name TEXT NOT NULL DEFAULT 'web_connectivity'"),
            // 5 (issue 31): what still works in a restricted network: the port-filtering helper's channels that were open
            // (space-separated labels, tcp/3785 udp/53) at the last check while the network was restricted, and when.
            List.of("ALTER TABLE state_changes ADD COLUMN open_channels TEXT",
                    "ALTER TABLE state_changes ADD COLUMN channels_checked_at TEXT"));

    /** The version whose migration also rewrites every stored document ({@link LegacyDocuments}). */
    static final int FINAL_DOCUMENTS = 4;

    /** The schema version this blockwatch writes (SQLite's {@code user_version}). */
    public static final int VERSION = MIGRATIONS.size();

    static final String INSERT_MEASUREMENT = "INSERT INTO measurements (measured_at, target, category, probe_asn, probe_cc, network, status,"
            + " method, flags, json, tls_handshake_seconds, transfer_bytes_per_second, measurement_uid, test_name)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String INSERT_STATE_CHANGE = "INSERT INTO state_changes (changed_at, target, category, state, method, measurement_id,"
            + " probe_asn, probe_cc, network) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String LAST_MEASURED = "SELECT target, MAX(measured_at) FROM measurements GROUP BY target";
    static final String CURRENT_STATES = "SELECT c.target, c.category, c.state, c.method, c.changed_at FROM state_changes c"
            + " JOIN (SELECT target, MAX(id) AS id FROM state_changes WHERE target IS NOT NULL GROUP BY target) l ON c.id = l.id";
    /** The probe's network changes, oldest first: {@code changed_at, state, probe_asn, probe_cc}. */
    public static final String NETWORK_CHANGES = "SELECT changed_at, state, probe_asn, probe_cc FROM state_changes WHERE target IS NULL ORDER BY id";
    static final String LAST_NETWORK_STATE = "SELECT state FROM state_changes WHERE target IS NULL ORDER BY id DESC LIMIT 1";
    /** The probe's last network change: {@code state, changed_at, open_channels, channels_checked_at}. */
    static final String LAST_NETWORK_CHANGE = "SELECT state, changed_at, open_channels, channels_checked_at FROM state_changes"
            + " WHERE target IS NULL ORDER BY id DESC LIMIT 1";
    /** The channels open at a check ({@code open_channels, channels_checked_at}), kept with the last network change when it is restricted. */
    static final String SET_OPEN_CHANNELS = "UPDATE state_changes SET open_channels = ?, channels_checked_at = ?"
            + " WHERE id = (SELECT MAX(id) FROM state_changes WHERE target IS NULL) AND state = 'restricted'";
    /**
     * The newest {@code x_dns_intercepted} of the last 200 web measurements ({@code key, measured_at}): a
     * bounded look, however large the store.
     */
    static final String LAST_DNS_INTERCEPTION = "SELECT json_extract(json, '$.test_keys.x_dns_intercepted'), measured_at FROM"
            + " (SELECT id, json, measured_at FROM measurements WHERE test_name = 'web_connectivity' ORDER BY id DESC LIMIT 200)"
            + " WHERE json_valid(json) AND json_extract(json, '$.test_keys.x_dns_intercepted') IS NOT NULL ORDER BY id DESC LIMIT 1";
    /** The last {@code ?} speeds of each target, oldest first: {@code target, tls_handshake_seconds, transfer_bytes_per_second}. */
    static final String RECENT_SPEEDS = "SELECT target, tls_handshake_seconds, transfer_bytes_per_second FROM (SELECT id, target,"
            + " tls_handshake_seconds, transfer_bytes_per_second, ROW_NUMBER() OVER (PARTITION BY target ORDER BY id DESC) AS n"
            + " FROM measurements WHERE tls_handshake_seconds IS NOT NULL OR transfer_bytes_per_second IS NOT NULL) WHERE n <= ? ORDER BY id";
    public static final String COUNT_MEASUREMENTS = "SELECT COUNT(*) FROM measurements";
    static final String ENQUEUE_UPLOAD = "INSERT INTO uploads (measurement_id, state, next_attempt_at) VALUES (?, 'pending', ?)";
    /** What opening a report at a collector takes from a document (OONI's bk-003), read by SQLite, not by a second parse here. */
    public static final List<String> REPORT_FIELDS = List.of("report_id", "data_format_version", "probe_asn", "probe_cc", "software_name",
            "software_version", "test_name", "test_version", "test_start_time");
    /** Due uploads, oldest first: {@code measurement_id, attempts, json}, then {@link #REPORT_FIELDS} (null for a document that is not JSON). */
    static final String DUE_UPLOADS = "SELECT u.measurement_id, u.attempts, m.json"
            + REPORT_FIELDS.stream().map(f -> ", CASE WHEN json_valid(m.json) THEN json_extract(m.json, '$." + f + "') END").reduce("", String::concat)
            + " FROM uploads u JOIN measurements m ON m.id = u.measurement_id"
            + " WHERE u.state = 'pending' AND u.next_attempt_at <= ? ORDER BY u.measurement_id LIMIT ?";
    static final String UPLOAD_SENT = "UPDATE uploads SET state = 'sent', attempts = attempts + 1, collector_measurement_id = ?, last_error = NULL"
            + " WHERE measurement_id = ?";
    static final String UPLOAD_REJECTED = "UPDATE uploads SET state = 'rejected', attempts = attempts + 1, last_error = ? WHERE measurement_id = ?";
    static final String UPLOAD_RETRY = "UPDATE uploads SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE measurement_id = ?";
    /** {@code blockwatch upload}: every measurement not in the queue (stored while uploads were off) joins it, due at {@code ?}. */
    static final String QUEUE_UNQUEUED = "INSERT INTO uploads (measurement_id, state, next_attempt_at) SELECT m.id, 'pending', ? FROM measurements m"
            + " WHERE NOT EXISTS (SELECT 1 FROM uploads u WHERE u.measurement_id = m.id) ORDER BY m.id";
    /** {@code blockwatch upload}: what waits for a retry is due now, at {@code ?} (asked for by the volunteer). */
    static final String PENDING_DUE_NOW = "UPDATE uploads SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?";
    /**
     * {@code blockwatch list}: the newest measurements first, {@code measurement_uid, measured_at, test_name, target, status,
     * method}, of a target ({@code ?1}, {@code ?2}: it with and without its trailing slash; null: any) and a status ({@code ?3};
     * null: any), at most {@code ?4}.
     */
    static final String RECENT = "SELECT measurement_uid, measured_at, test_name, target, status, method FROM measurements"
            + " WHERE (?1 IS NULL OR target = ?1 OR target = ?2) AND (?3 IS NULL OR status = ?3) ORDER BY measured_at DESC, id DESC LIMIT ?4";
    /** {@code blockwatch show}: the measurements whose uid is {@code ?} or begins with it (at most 2: one, or "not unique"). */
    static final String BY_UID = "SELECT measurement_uid, measured_at, test_name, target, category, probe_asn, probe_cc, network, status,"
            + " method, flags, json FROM measurements WHERE measurement_uid = ?1 OR substr(measurement_uid, 1, length(?1)) = ?1"
            + " ORDER BY measurement_uid = ?1 DESC LIMIT 2";
    /** Why the oldest waiting upload was not sent, if it was tried. */
    static final String LAST_UPLOAD_ERROR = "SELECT last_error FROM uploads WHERE state = 'pending' AND last_error IS NOT NULL"
            + " ORDER BY measurement_id LIMIT 1";
    static final String UPLOADS_BY_STATE = "SELECT state, COUNT(*) FROM uploads GROUP BY state";
    static final String COLLECTOR_REPORT = "SELECT collector_report_id FROM upload_reports WHERE report_id = ? AND collector = ?";
    static final String FORGET_COLLECTOR_REPORT = "DELETE FROM upload_reports WHERE report_id = ? AND collector = ?";
    static final String SAVE_COLLECTOR_REPORT = "INSERT OR REPLACE INTO upload_reports (report_id, collector, collector_report_id) VALUES (?, ?, ?)";

    /**
     * Measurements, {@code id, measured_at, target, category, probe_asn, probe_cc, status, method[, json]},
     * filtered by {@code where} (conditions joined with AND, or empty), by network, target and time
     * ({@code byTarget}) or by time alone.
     */
    public static String selectMeasurements(boolean withJson, String where, boolean byTarget) {
        return "SELECT id, measured_at, target, category, probe_asn, probe_cc, status, method" + (withJson ? ", json" : "")
                + " FROM measurements" + where(where)
                + (byTarget ? " ORDER BY probe_asn, probe_cc, target, measured_at, id" : " ORDER BY measured_at, id");
    }

    /** The earliest and latest {@code measured_at} matching {@code where}. */
    public static String span(String where) {
        return "SELECT MIN(measured_at), MAX(measured_at) FROM measurements" + where(where);
    }

    private static String where(String conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + conditions;
    }
}
