package org.blockwatch.agent.store;

import org.blockwatch.core.nettest.Speed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import java.util.List;
import java.util.Map;

class MeasurementStoreTest {
    private static final ProbeInfo PROBE = new ProbeInfo("AS9198", "KZ", "home", "blockwatch", "test");

    private static StoredMeasurement m(String target, String status, Instant at) {
        return new StoredMeasurement(at, target, "NEWS", PROBE, Status.ofLabel(status), status.equals("blocked") ? Method.TLS : null, List.of(),
                "{\"x\":1}");
    }

    @Test
    void keepsMeasurementsAndStatesAcrossReopening(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("sub/dir/store.db");
        Instant t0 = Instant.parse("2026-01-05T07:00:00Z");
        try (MeasurementStore store = MeasurementStore.open(db)) {
            long a = store.insert(m("https://a.example/", "accessible", t0));
            long b = store.insert(m("https://a.example/", "blocked", t0.plusSeconds(60)));
            assertThat(b).isGreaterThan(a);
            store.recordStateChange(t0, "https://a.example/", "NEWS", Status.ACCESSIBLE, null, a, PROBE);
            store.recordStateChange(t0.plusSeconds(60), "https://a.example/", "NEWS", Status.BLOCKED, Method.TLS, b, PROBE);
            store.recordNetworkChange(t0.plusSeconds(90), NetworkState.OFFLINE, PROBE);
        }
        try (MeasurementStore store = MeasurementStore.open(db)) {
            assertThat(store.count()).isEqualTo(2);
            TargetState s = store.currentStates().get("https://a.example/");
            assertThat(s.state()).isEqualTo(Status.BLOCKED);
            assertThat(s.method()).isEqualTo(Method.TLS);
            assertThat(s.changedAt()).isEqualTo(t0.plusSeconds(60));
            assertThat(s.lastMeasuredAt()).isEqualTo(t0.plusSeconds(60));
            assertThat(store.networkState()).isEqualTo(NetworkState.OFFLINE);
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var r = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(r.getString(1)).isEqualTo("wal");
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var r = c.createStatement().executeQuery("PRAGMA user_version")) {
            assertThat(r.getInt(1)).isEqualTo(MeasurementStore.SCHEMA_VERSION);
        }
    }

    /**
     * Issue 31 (schema 5): the channels still open are kept with the network's change while it is
     * restricted, the last check's replacing the one before; never on another state.
     */
    @Test
    void theChannelsStillOpenAreKeptWithTheRestrictedNetworkOnly(@TempDir Path tmp) throws Exception {
        Instant t0 = Instant.parse("2026-01-05T07:00:00Z");
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("store.db"))) {
            assertThat(store.networkRecord()).isEmpty();
            assertThat(store.recordOpenChannels(List.of("tcp/443"), t0)).as("no network change yet").isFalse();
            store.recordNetworkChange(t0, NetworkState.OFFLINE, PROBE);
            assertThat(store.recordOpenChannels(List.of("tcp/443"), t0)).as("offline: nothing to keep them with").isFalse();
            store.recordNetworkChange(t0.plusSeconds(60), NetworkState.RESTRICTED, PROBE);
            assertThat(store.networkRecord().orElseThrow().openChannels()).isEmpty();
            assertThat(store.networkRecord().orElseThrow().channelsCheckedAt()).isNull();
            assertThat(store.recordOpenChannels(List.of("tcp/443", "tcp/3785", "udp/53"), t0.plusSeconds(70))).isTrue();
            assertThat(store.recordOpenChannels(List.of("tcp/3785", "udp/53"), t0.plusSeconds(80))).isTrue();
            MeasurementStore.NetworkRecord n = store.networkRecord().orElseThrow();
            assertThat(n.state()).isEqualTo(NetworkState.RESTRICTED);
            assertThat(n.since()).isEqualTo(t0.plusSeconds(60));
            assertThat(n.openChannels()).containsExactly("tcp/3785", "udp/53");
            assertThat(n.channelsCheckedAt()).isEqualTo(t0.plusSeconds(80));
            assertThat(store.recordOpenChannels(List.of(), t0.plusSeconds(90))).isTrue();
            assertThat(store.networkRecord().orElseThrow().openChannels()).as("nothing open").isEmpty();
            store.recordNetworkChange(t0.plusSeconds(120), NetworkState.ONLINE, PROBE);
            assertThat(store.recordOpenChannels(List.of("tcp/443"), t0.plusSeconds(130))).isFalse();
            assertThat(store.networkRecord().orElseThrow().openChannels()).isEmpty();
        }
    }

    @Test
    void aStoreOfTheFirstSchemaIsUpgradedAndKeepsItsRows(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("store.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
            for (String sql : StoreSchema.MIGRATIONS.get(0)) s.execute(sql);
            s.execute("PRAGMA user_version = 1");
            s.execute("INSERT INTO measurements (measured_at, target, category, probe_asn, probe_cc, network, status, method, flags, json)"
                    + " VALUES ('2026-01-05T07:00:00Z', 'https://old.example/', 'NEWS', 'AS1', 'KZ', 'home', 'accessible', NULL, '', '{}')");
        }
        try (MeasurementStore store = MeasurementStore.open(db)) {
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.recentSpeeds(24)).isEmpty();
            store.insert(new StoredMeasurement(Instant.parse("2026-01-05T08:00:00Z"), "web_connectivity", "https://old.example/", "NEWS", PROBE, Status.ACCESSIBLE,
                    null, List.of(), new Speed(0.05, 250_000.0), null, "{}"));
            assertThat(store.recentSpeeds(24)).containsExactly(Map.entry("https://old.example/", List.of(new Speed(0.05, 250_000.0))));
        }
    }

    @Test
    void recentSpeedsAreTheLastOfEachTargetOldestFirst(@TempDir Path tmp) throws Exception {
        Instant t0 = Instant.parse("2026-01-05T07:00:00Z");
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("store.db"))) {
            for (int i = 0; i < 5; i++) {
                for (String target : List.of("https://a.example/", "https://b.example/")) {
                    store.insert(new StoredMeasurement(t0.plusSeconds(i), "web_connectivity", target, "NEWS", PROBE, Status.ACCESSIBLE, null, List.of(),
                            new Speed(i * 0.1, target.contains("a.") ? null : 1000.0 * i), null, "{}"));
                }
            }
            store.insert(m("https://c.example/", "accessible", t0)); // nothing timed: no history
            Map<String, List<Speed>> speeds = store.recentSpeeds(3);
            assertThat(speeds).containsOnlyKeys("https://a.example/", "https://b.example/");
            assertThat(speeds.get("https://a.example/")).extracting(Speed::tlsHandshakeSeconds).containsExactly(0.2, 0.30000000000000004, 0.4);
            assertThat(speeds.get("https://b.example/")).extracting(Speed::transferBytesPerSecond).containsExactly(2000.0, 3000.0, 4000.0);
        }
    }

    @Test
    void aMeasurementStoredThisSecondIsDueForUploadWhateverTheFractionOfNow(@TempDir Path tmp) throws Exception {
        Instant second = Instant.parse("2026-12-01T10:00:11Z");
        try (MeasurementStore store = MeasurementStore.open(tmp.resolve("store.db"))) {
            store.insert(new StoredMeasurement(second, "web_connectivity", "https://a.example/", "NEWS", PROBE, Status.ACCESSIBLE, null, List.of(), Speed.UNKNOWN,
                    "uid-1", "{}"), true);
            assertThat(store.dueUploads(second.plusMillis(500), 10)).hasSize(1);
            assertThat(store.dueUploads(second, 10)).hasSize(1);
            assertThat(store.dueUploads(second.minusMillis(1), 10)).isEmpty();
            store.uploadRetry(store.dueUploads(second, 10).get(0).id(), second.plusMillis(30_500), "down");
            assertThat(store.dueUploads(second.plusSeconds(30), 10)).isEmpty();
            assertThat(store.dueUploads(second.plusMillis(31_200), 10)).hasSize(1);
        }
    }

    @Test
    void anUnwritablePathIsAClearError(@TempDir Path tmp) throws Exception {
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            boolean root = Files.isWritable(locked); // root writes anywhere: then a file in the way stands in
            Path target = root ? Files.writeString(tmp.resolve("file"), "x").resolve("store.db") : locked.resolve("store.db");
            assertThatThrownBy(() -> MeasurementStore.open(target)).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("store " + target + ": ");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFileThatIsNotAStoreIsNamed(@TempDir Path tmp) throws Exception {
        Path garbage = Files.write(tmp.resolve("garbage.db"), "this is not a database, just text that is long enough".repeat(100).getBytes());
        assertThatThrownBy(() -> MeasurementStore.open(garbage)).isInstanceOf(StoreException.class)
                .hasMessageContaining("garbage.db").hasMessageContaining("damaged or not a blockwatch store");
    }

    @Test
    void anotherProgramsDatabaseIsRefusedAndLeftUntouched(@TempDir Path tmp) throws Exception {
        Path foreign = tmp.resolve("notes.sqlite");
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + foreign); var s = db.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
            s.execute("INSERT INTO notes (text) VALUES ('shopping list')");
        }
        byte[] before = Files.readAllBytes(foreign);

        assertThatThrownBy(() -> MeasurementStore.open(foreign)).isInstanceOf(StoreException.class)
                .hasMessage("store " + foreign + ": an SQLite database of another program (tables: notes), left as it is; give blockwatch a file of its own");

        assertThat(Files.readAllBytes(foreign)).as("not a byte changed").isEqualTo(before);
        assertThat(Files.exists(tmp.resolve("notes.sqlite-wal"))).isFalse();
    }

    @Test
    void aNewerSchemaIsRefused(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("new.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> MeasurementStore.open(db)).hasMessageContaining("schema version 99 is newer");
    }
}
