package org.blockwatch.agent.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.blockwatch.agent.export.ExportQuery;
import org.blockwatch.agent.export.Exporter;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.schedule.BandwidthBudget;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.upload.CollectorClient;
import org.blockwatch.agent.upload.OoniCollectorStub;
import org.blockwatch.agent.upload.Uploader;
import org.blockwatch.core.archival.HttpBody;
import org.blockwatch.core.archival.HttpHeaders;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.verdict.Analysis;
import org.blockwatch.core.verdict.HttpComparison;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.webconnectivity.WebConnectivity;
import org.blockwatch.sim.MovingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement is written once, when it is made: the document the store keeps, the
 * {@code content} an upload sends and the line {@code export --format ooni-jsonl} prints are the
 * same bytes, the probe's address already scrubbed from all three.
 */
class OneDocumentTest {
    private static final ProbeInfo PROBE = new ProbeInfo("AS64500", "KZ", "home", "blockwatch", "test");

    @TempDir
    Path tmp;

    @Test
    void theStoredDocumentTheUploadedContentAndTheExportedLineAreTheSameBytes() throws Exception {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-01T10:00:00Z"));
        Path db = tmp.resolve("s.db");
        String stored;
        try (OoniCollectorStub collector = new OoniCollectorStub(); MeasurementStore store = MeasurementStore.open(db);
                AgentMetrics metrics = new AgentMetrics("t", PROBE.asn(), PROBE.cc(), PROBE.networkName())) {
            MeasurementSink sink = new MeasurementSink(store, metrics, PROBE);
            sink.located(PROBE, ProbeAddressScrubber.of(List.of(InetAddress.getByName("198.51.100.23"))));
            sink.uploadTo(() -> {});
            sink.sweepStarted(clock.instant());
            sink.measured("https://echo.example/", "NEWS", echoing("198.51.100.23", clock.instant()), clock.instant());

            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); ResultSet r = c.createStatement().executeQuery(
                    "SELECT json FROM measurements")) {
                r.next();
                stored = r.getString(1);
            }
            assertThat(stored).doesNotContain("198.51.100.23").contains(ProbeAddressScrubber.SCRUBBED).contains("\"x_scrubbed_addresses\":1")
                    .contains("\"x_verdict\":{");

            Uploader uploader = new Uploader(store, new CollectorClient(collector.url(), null, Duration.ofSeconds(5)),
                    new BandwidthBudget(Long.MAX_VALUE), metrics, clock, new Random(1));
            assertThat(uploader.uploadDue().sent()).isEqualTo(1);
            assertThat(collector.storedText.values()).singleElement().isEqualTo(stored);
        }
        StringWriter exported = new StringWriter();
        new Exporter(List.of(db), new ExportQuery(null, null, List.of(), List.of(), List.of(), Duration.ofHours(3)), Exporter.Format.OONI_JSONL)
                .writeTo(exported);
        assertThat(exported.toString()).isEqualTo(stored + "\n");
    }

    /** A page that writes its client's address into its body, as some do. */
    private static Measurement echoing(String address, Instant at) {
        HttpHeaders none = new HttpHeaders(List.of());
        HttpTransaction page = new HttpTransaction("tcp", "203.0.113.5:443", "http/1.1",
                new HttpTransaction.Request("GET", "https://echo.example/", none, "", false),
                new HttpTransaction.Response(200, none, new HttpBody(("<p>you are " + address + "</p>").getBytes()), false, null), null,
                Map.of(), 0, 1, 1);
        WebObservation o = new WebObservation("https://echo.example/", "https://echo.example/", at, 1, "", List.of(), List.of(), null, List.of(),
                List.of(), List.of(page), null, null, List.of(), List.of());
        return WebConnectivity.measurement(o, ControlResult.none("generic_timeout_error"),
                new Analysis(null, new HttpComparison(null, null, null, null, null), new Verdict(Verdict.Status.INCONCLUSIVE, null, List.of(), "no control")));
    }
}
