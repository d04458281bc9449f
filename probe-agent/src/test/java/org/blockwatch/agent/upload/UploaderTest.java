package org.blockwatch.agent.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.schedule.BandwidthBudget;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoredMeasurement;
import org.blockwatch.core.archival.MeasurementUid;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.verdict.Verdict.Status;
import org.blockwatch.sim.MovingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload queue against OONI's collector protocol: everything sent once, outages and 5xx
 * retried with backoff, a 4xx kept and never resent, a restart or a lost answer sending nothing
 * twice, a forgotten report opened again.
 */
class UploaderTest {
    private static final ProbeInfo PROBE = new ProbeInfo("AS64500", "KZ", "home", "blockwatch", "test");

    @TempDir
    Path tmp;

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final Report report = Report.open(clock.instant(), "web_connectivity", "KZ", PROBE.asn());

    /** Stores {@code n} measurements of one sweep, each queued for upload. */
    private void store(MeasurementStore s, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            String uid = MeasurementUid.next(clock.instant().minusSeconds(n - i), "KZ", "web_connectivity");
            String json = "{\"data_format_version\":\"0.2.0\",\"input\":\"https://site" + i + ".example/\",\"measurement_uid\":\"" + uid
                    + "\",\"probe_asn\":\"AS64500\",\"probe_cc\":\"KZ\",\"report_id\":\"" + report.id()
                    + "\",\"software_name\":\"blockwatch\",\"software_version\":\"test\",\"test_name\":\"web_connectivity\","
                    + "\"test_version\":\"0.4.3\",\"test_start_time\":\"2026-12-01 10:00:00\",\"test_keys\":{\"x_verdict\":{\"status\":\"accessible\"}}}";
            s.insert(new StoredMeasurement(clock.instant().minusSeconds(n - i), "web_connectivity", "https://site" + i + ".example/", "NEWS", PROBE, Status.ACCESSIBLE, null,
                    List.of(), org.blockwatch.core.nettest.Speed.UNKNOWN, uid, json), true);
        }
    }

    /** A loopback port nothing listens on: the collector is down. */
    private static int closedPort() throws java.io.IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private Uploader uploader(MeasurementStore s, String url, AgentMetrics metrics) {
        return new Uploader(s, new CollectorClient(url, null, Duration.ofSeconds(5)), new BandwidthBudget(Long.MAX_VALUE), metrics, clock,
                new Random(7));
    }

    @Test
    void everyQueuedMeasurementIsSentOnceUnderTheCollectorsReport() throws Exception {
        try (OoniCollectorStub collector = new OoniCollectorStub(); MeasurementStore s = MeasurementStore.open(tmp.resolve("s.db"));
                AgentMetrics metrics = new AgentMetrics("t", "AS64500", "KZ", "home")) {
            store(s, 3);
            Uploader.Pass p = uploader(s, collector.url(), metrics).uploadDue();
            assertThat(p.sent()).isEqualTo(3);
            assertThat(collector.reports).hasSize(1);
            assertThat(collector.stored).hasSize(3);
            String report = collector.reports.iterator().next();
            assertThat(collector.storedUnder.values()).containsOnly(report);
            // What was sent is the document as stored, byte for byte (its report_id the probe's own).
            assertThat(collector.stored.values()).allSatisfy(m -> assertThat(m.path("report_id").asText()).isEqualTo(this.report.id()));
            assertThat(s.uploadCounts()).containsEntry("sent", 3L).doesNotContainKey("pending");
            assertThat(metrics.scrape()).contains("blockwatch_upload_queue_length 0.0").contains("blockwatch_uploads_total{result=\"sent\"} 3.0");
            // Nothing is due any more: a second pass sends nothing.
            assertThat(uploader(s, collector.url(), metrics).uploadDue().sent()).isZero();
            assertThat(collector.submissions).hasValue(3);
        }
    }

    @Test
    void anUnreachableCollectorIsTriedLessAndLessOftenHoweverManyMeasurementsWait() throws Exception {
        int port = closedPort();
        try (MeasurementStore s = MeasurementStore.open(tmp.resolve("s.db")); AgentMetrics metrics = new AgentMetrics("t", "AS64500", "KZ", "")) {
            store(s, 40);
            Uploader u = uploader(s, "http://127.0.0.1:" + port + "/", metrics);
            // The agent's loop: a pass every 30 s, for an hour. Each measurement waiting its first
            // try must not make the collector be tried again at once.
            int tries = 0;
            for (int i = 0; i < 120; i++) {
                tries += u.uploadDue().retried();
                clock.advance(Duration.ofSeconds(30));
            }
            // 30 s doubling with jitter (0.5 to 1.5 times): at most 8 tries in an hour, not 120.
            assertThat(tries).isBetween(3, 8);
            assertThat(s.uploadCounts()).containsEntry("pending", 40L);
        }
    }

    @Test
    void anOutageKeepsEverythingQueuedAndBacksOffUntilTheCollectorIsBack() throws Exception {
        int port = closedPort();
        try (MeasurementStore s = MeasurementStore.open(tmp.resolve("s.db")); AgentMetrics metrics = new AgentMetrics("t", "AS64500", "KZ", "")) {
            store(s, 4);
            Uploader u = uploader(s, "http://127.0.0.1:" + port + "/", metrics);
            Uploader.Pass down = u.uploadDue();
            assertThat(down.sent()).isZero();
            assertThat(down.retried()).as("one failure ends the pass: the collector is not hammered").isEqualTo(1);
            assertThat(s.uploadCounts()).containsEntry("pending", 4L);
            assertThat(metrics.scrape()).contains("blockwatch_upload_queue_length 4.0");
            // Still backing off: nothing is tried before the time comes.
            assertThat(u.uploadDue().retried()).isZero();
            try (OoniCollectorStub collector = new OoniCollectorStub(port)) {
                clock.advance(Uploader.MAX_BACKOFF);
                assertThat(u.uploadDue().sent()).isEqualTo(4);
                assertThat(collector.stored).hasSize(4);
            }
        }
    }

    @Test
    void aRefusalIsKeptAndNeverSentAgainWhileTheOthersGoOn() throws Exception {
        try (OoniCollectorStub collector = new OoniCollectorStub(); MeasurementStore s = MeasurementStore.open(tmp.resolve("s.db"));
                AgentMetrics metrics = new AgentMetrics("t", "AS64500", "KZ", "")) {
            store(s, 3);
            collector.fault = m -> m.path("input").asText().contains("site1.") ? 413 : 200;
            Uploader u = uploader(s, collector.url(), metrics);
            Uploader.Pass p = u.uploadDue();
            assertThat(p.sent()).isEqualTo(2);
            assertThat(p.rejected()).isEqualTo(1);
            clock.advance(Duration.ofDays(1));
            assertThat(u.uploadDue().sent()).isZero();
            assertThat(collector.submissions).hasValue(3);
            assertThat(s.uploadCounts()).containsEntry("rejected", 1L).containsEntry("sent", 2L);
        }
    }

    @Test
    void aLostAnswerOrARestartSendsNothingTwice() throws Exception {
        try (OoniCollectorStub collector = new OoniCollectorStub()) {
            try (MeasurementStore s = MeasurementStore.open(tmp.resolve("s.db")); AgentMetrics metrics = new AgentMetrics("t", "AS64500", "KZ", "")) {
                store(s, 3);
                // The collector stores the second one, then its answer is lost (a 502 from a proxy, a cut connection).
                collector.storeBeforeFault = true;
                collector.fault = m -> m.path("input").asText().contains("site1.") ? 502 : 200;
                Uploader.Pass p = uploader(s, collector.url(), metrics).uploadDue();
                assertThat(p.sent()).isEqualTo(1);
                assertThat(p.retried()).isEqualTo(1);
            }
            collector.fault = m -> 200;
            clock.advance(Uploader.MAX_BACKOFF);
            // A restart: a new agent on the same store.
            try (MeasurementStore s = MeasurementStore.open(tmp.resolve("s.db")); AgentMetrics metrics = new AgentMetrics("t", "AS64500", "KZ", "")) {
                assertThat(uploader(s, collector.url(), metrics).uploadDue().sent()).isEqualTo(2);
                assertThat(s.uploadCounts()).containsEntry("sent", 3L);
            }
            assertThat(collector.stored).as("each measurement once, the repeat recognised by its measurement_uid").hasSize(3);
            assertThat(collector.reports).as("the sweep's report opened once, its id kept in the store").hasSize(1);
        }
    }

    @Test
    void aReportTheCollectorForgotIsOpenedAgain() throws Exception {
        try (OoniCollectorStub collector = new OoniCollectorStub(); MeasurementStore s = MeasurementStore.open(tmp.resolve("s.db"));
                AgentMetrics metrics = new AgentMetrics("t", "AS64500", "KZ", "")) {
            store(s, 1);
            Uploader u = uploader(s, collector.url(), metrics);
            assertThat(u.uploadDue().sent()).isEqualTo(1);
            collector.forgetReports();
            store(s, 1);
            assertThat(u.uploadDue().retried()).isEqualTo(1);
            clock.advance(Uploader.MAX_BACKOFF);
            assertThat(u.uploadDue().sent()).isEqualTo(1);
            assertThat(collector.stored).hasSize(2);
        }
    }

    /**
     * Issue 29, finding 1: whatever answers a submission with a 2xx but no {@code measurement_uid} (nor {@code measurement_id})
     * (an empty body, {@code {}}, {@code null}, ...) has not said it stored anything: the
     * measurement stays pending, retried with backoff, and reaches the real collector when it is back.
     */
    @Test
    void aTwoHundredWithoutAMeasurementIdIsRetriedNeverSent() throws Exception {
        for (String body : new String[] {"", "{}", "null", "[]", "{\"measurement_id\":\"\"}", "{\"measurement_id\":null}",
                "{\"measurement_uid\":\"\"}", "{\"measurement_uid\":null}", "<html>ok</html>"}) {
            Path db = tmp.resolve("s" + Math.abs(body.hashCode()) + ".db");
            try (OoniCollectorStub collector = new OoniCollectorStub(); MeasurementStore s = MeasurementStore.open(db);
                    AgentMetrics metrics = new AgentMetrics("t", "AS64500", "KZ", "")) {
                store(s, 3);
                collector.submitAnswer = m -> new OoniCollectorStub.Answer(200, body, null);
                Uploader u = uploader(s, collector.url(), metrics);
                Uploader.Pass p = u.uploadDue();
                assertThat(p.sent()).as("answer %s", body).isZero();
                assertThat(p.retried()).as("answer %s", body).isEqualTo(1);
                assertThat(s.uploadCounts()).as("answer %s", body).containsEntry("pending", 3L).doesNotContainKeys("sent", "rejected");
                collector.submitAnswer = null;
                clock.advance(Uploader.MAX_BACKOFF);
                assertThat(u.uploadDue().sent()).as("answer %s", body).isEqualTo(3);
                assertThat(collector.stored).hasSize(3);
            }
        }
    }

    /** A report opened with a 2xx but no {@code report_id} is not a report: retried, nothing sent under it. */
    @Test
    void aReportOpenedWithoutAnIdIsRetried() throws Exception {
        for (String body : new String[] {"", "{}", "null", "{\"report_id\":7}"}) {
            Path db = tmp.resolve("r" + Math.abs(body.hashCode()) + ".db");
            try (OoniCollectorStub collector = new OoniCollectorStub(); MeasurementStore s = MeasurementStore.open(db);
                    AgentMetrics metrics = new AgentMetrics("t", "AS64500", "KZ", "")) {
                store(s, 2);
                collector.openAnswer = new OoniCollectorStub.Answer(200, body, null);
                Uploader u = uploader(s, collector.url(), metrics);
                assertThat(u.uploadDue().retried()).as("answer %s", body).isEqualTo(1);
                assertThat(s.uploadCounts()).as("answer %s", body).containsEntry("pending", 2L);
                collector.openAnswer = null;
                clock.advance(Uploader.MAX_BACKOFF);
                assertThat(u.uploadDue().sent()).as("answer %s", body).isEqualTo(2);
            }
        }
    }

    /**
     * Issue 29, finding 2: a 3xx (an http-to-https redirect, a moved collector) is not a refusal:
     * not followed, the measurement stays pending and is sent once the collector answers again.
     */
    @Test
    void aRedirectIsRetriedNeverRejectedAndNotFollowed() throws Exception {
        for (int status : new int[] {301, 302, 303, 307, 308, 300, 304}) {
            try (OoniCollectorStub collector = new OoniCollectorStub(); OoniCollectorStub elsewhere = new OoniCollectorStub();
                    MeasurementStore s = MeasurementStore.open(tmp.resolve("x" + status + ".db"));
                    AgentMetrics metrics = new AgentMetrics("t", "AS64500", "KZ", "")) {
                store(s, 2);
                Uploader u = uploader(s, collector.url(), metrics);
                // Opening the report redirected.
                collector.openAnswer = new OoniCollectorStub.Answer(status, "", elsewhere.url() + "report");
                Uploader.Pass p = u.uploadDue();
                assertThat(p.rejected()).as("HTTP %s", status).isZero();
                assertThat(p.retried()).as("HTTP %s", status).isEqualTo(1);
                assertThat(s.uploadCounts()).as("HTTP %s", status).containsEntry("pending", 2L).doesNotContainKeys("sent", "rejected");
                // The submission redirected.
                collector.openAnswer = null;
                collector.submitAnswer = m -> new OoniCollectorStub.Answer(status, "", elsewhere.url() + "report/x");
                clock.advance(Uploader.MAX_BACKOFF);
                p = u.uploadDue();
                assertThat(p.rejected()).as("HTTP %s", status).isZero();
                assertThat(p.retried()).as("HTTP %s", status).isEqualTo(1);
                assertThat(s.uploadCounts()).as("HTTP %s", status).containsEntry("pending", 2L).doesNotContainKeys("sent", "rejected");
                assertThat(elsewhere.submissions).as("not followed").hasValue(0);
                assertThat(elsewhere.reports).as("not followed").isEmpty();
                // The collector back.
                collector.submitAnswer = null;
                clock.advance(Uploader.MAX_BACKOFF);
                assertThat(u.uploadDue().sent()).as("HTTP %s", status).isEqualTo(2);
                assertThat(s.uploadCounts()).as("HTTP %s", status).containsEntry("sent", 2L).doesNotContainKeys("pending", "rejected");
            }
        }
    }

    /**
     * Issue 29: every answer is read to a bound and within a deadline. A collector's answer that
     * trickles is given up at the client's timeout; one that never ends is read to 64 KiB, the
     * connection dropped there. Both are failures to retry.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void anAnswerThatTricklesOrNeverEndsIsAFailureWithinTheTimeout() throws Exception {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        long sends = 256L << 20;
        try (ServerSocket raw = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                for (int n = 0; n < 2; n++) {
                    try (java.net.Socket s = raw.accept()) {
                        var in = s.getInputStream();
                        StringBuilder head = new StringBuilder();
                        while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
                        if (m.find()) in.readNBytes(Integer.parseInt(m.group(1)));
                        var out = s.getOutputStream();
                        if (n == 0) {
                            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            out.flush();
                            done.await();
                        } else {
                            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            byte[] chunk = new byte[64 * 1024];
                            while (written.get() < sends) {
                                out.write(chunk);
                                written.addAndGet(chunk.length);
                            }
                        }
                    } catch (java.io.IOException | InterruptedException e) {
                        // the client hung up
                    }
                }
            });
            CollectorClient c = new CollectorClient("http://127.0.0.1:" + raw.getLocalPort() + "/", null, Duration.ofSeconds(1));
            try {
                assertThat(c.submit("r", "{}")).isInstanceOf(CollectorClient.Failed.class);
            } finally {
                done.countDown();
            }
            assertThat(c.submit("r", "{}")).isInstanceOf(CollectorClient.Failed.class);
            server.join();
            assertThat(written.get()).as("the client stopped reading at its bound").isLessThan(sends);
        }
    }

    @Test
    void backoffDoublesToAnHourWithJitter() {
        Random r = new Random(1);
        for (int attempts = 0; attempts < 30; attempts++) {
            Duration d = Uploader.backoff(attempts, r);
            long base = Math.min(Uploader.MAX_BACKOFF.toMillis(), Uploader.FIRST_BACKOFF.toMillis() << Math.min(attempts, 20));
            assertThat(d.toMillis()).isBetween(base / 2, base * 3 / 2);
        }
    }
}
