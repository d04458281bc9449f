package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoreLock;
import org.blockwatch.agent.upload.OoniCollectorStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code blockwatch upload}: what was measured before uploads were turned on goes to the
 * configured collector with one command, once; it says what was sent, what waits and why.
 */
class UploadCommandTest {
    @TempDir
    Path tmp;

    private Path config(String collector) throws Exception {
        return Files.writeString(tmp.resolve("config.yaml"), "store:\n  path: " + tmp.resolve("blockwatch.db") + "\n"
                + (collector == null ? "" : "upload:\n  collector: " + collector + "\n"));
    }

    @Test
    void measurementsStoredWhileUploadsWereOffAreSentOnce() throws Exception {
        List<StoredMeasurements.One> stored = StoredMeasurements.store(tmp.resolve("blockwatch.db"), Instant.parse("2026-12-01T10:00:00Z"), false,
                "https://news.example/", "https://blocked.example/", "https://video.example/");
        try (OoniCollectorStub collector = new OoniCollectorStub()) {
            Path config = config(collector.url());
            Cli r = Cli.run("upload", "--config", config.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(0);
            assertThat(collector.stored.keySet()).containsExactlyInAnyOrderElementsOf(stored.stream().map(StoredMeasurements.One::uid).toList());
            assertThat(r.out()).contains("3 sent now", "3 sent, 0 waiting, 0 rejected");

            // Again: nothing is sent twice.
            Cli again = Cli.run("upload", "--config", config.toString());
            assertThat(again.exit()).as(again.err()).isEqualTo(0);
            assertThat(again.out()).contains("0 sent now", "3 sent, 0 waiting, 0 rejected");
            assertThat(collector.storedText).hasSize(3);
        }
        try (MeasurementStore s = MeasurementStore.open(tmp.resolve("blockwatch.db"))) {
            assertThat(s.uploadCounts()).containsEntry("sent", 3L).doesNotContainKey("pending");
        }
    }

    @Test
    void withoutACollectorItRefusesAndSaysWhichKey() throws Exception {
        StoredMeasurements.store(tmp.resolve("blockwatch.db"), Instant.parse("2026-12-01T10:00:00Z"), false, "https://news.example/");
        Cli r = Cli.run("upload", "--config", config(null).toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("upload.collector is not set");
    }

    @Test
    void aCollectorThatCannotBeReachedLeavesThemWaitingAndSaysWhy() throws Exception {
        StoredMeasurements.store(tmp.resolve("blockwatch.db"), Instant.parse("2026-12-01T10:00:00Z"), false, "https://news.example/",
                "https://video.example/");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Cli r = Cli.run("upload", "--config", config("http://127.0.0.1:" + closed + "/").toString());
        assertThat(r.exit()).isEqualTo(ExitCode.FAILURE);
        assertThat(r.out()).contains("0 sent now", "0 sent, 2 waiting, 0 rejected");
        assertThat(r.err()).contains("http://127.0.0.1:" + closed + "/");
        try (MeasurementStore s = MeasurementStore.open(tmp.resolve("blockwatch.db"))) {
            assertThat(s.uploadCounts()).containsEntry("pending", 2L);
        }
    }

    @Test
    void notWhileAnAgentRunsOnTheStore() throws Exception {
        StoredMeasurements.store(tmp.resolve("blockwatch.db"), Instant.parse("2026-12-01T10:00:00Z"), false, "https://news.example/");
        try (OoniCollectorStub collector = new OoniCollectorStub(); StoreLock agent = StoreLock.acquire(tmp.resolve("blockwatch.db"), "run")) {
            Cli r = Cli.run("upload", "--config", config(collector.url()).toString());
            assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("in use by another blockwatch agent");
            assertThat(collector.stored).isEmpty();
        }
    }
}
