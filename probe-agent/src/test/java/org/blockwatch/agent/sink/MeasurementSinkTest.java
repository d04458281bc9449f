package org.blockwatch.agent.sink;

import org.blockwatch.core.webconnectivity.WebConnectivity;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blockwatch.agent.metrics.AgentMetrics;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.verdict.Analysis;
import org.blockwatch.core.verdict.HttpComparison;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the sink stores: the sweep's labels and report, a stable id, and never the probe's address. */
class MeasurementSinkTest {
    private static final String PUBLIC = "203.0.113.7";

    private static Measurement echoing(String url) {
        WebObservation o = new WebObservation(url, url, Instant.parse("2026-01-05T07:00:01Z"), 1, "", List.of(), List.of(), null, List.of(),
                List.of(), List.of(), "unknown_failure: the server said you are " + PUBLIC, null, List.of(), List.of());
        return WebConnectivity.measurement(o, ControlResult.none("generic_timeout_error"),
                new Analysis(null, new HttpComparison(null, null, null, null, null), new Verdict(Status.INCONCLUSIVE, null, List.of(), "x")));
    }

    @Test
    void eachKindOfASweepIsAReportOfItsOwnNamedAsOonisBackendNamesThem(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("store.db");
        try (MeasurementStore store = MeasurementStore.open(db); AgentMetrics metrics = new AgentMetrics("t", "AS0", "ZZ", "")) {
            MeasurementSink sink = new MeasurementSink(store, metrics, ProbeInfo.UNKNOWN);
            sink.located(new ProbeInfo("AS64500", "KZ", "KAZTEL", "blockwatch", "t"), ProbeAddressScrubber.NONE);
            sink.sweepStarted(Instant.parse("2026-01-05T07:00:00Z"));
            Measurement web = echoing("http://one.example/");
            sink.measured("http://one.example/", "NEWS", web, Instant.now());
            sink.measured("telegram", "APP", new Measurement("telegram", "0.3.1", web.result()), Instant.now());
            sink.measured("http://two.example/", "NEWS", echoing("http://two.example/"), Instant.now());
        }
        List<String> reports = new ArrayList<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
                var r = c.createStatement().executeQuery("SELECT json FROM measurements ORDER BY id")) {
            while (r.next()) reports.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.getString(1)).path("report_id").asText());
        }
        assertThat(reports.get(0)).matches("20260105T070000Z_webconnectivity_KZ_64500_n1_[A-Za-z0-9]{43}").isEqualTo(reports.get(2));
        assertThat(reports.get(1)).matches("20260105T070000Z_telegram_KZ_64500_n1_[A-Za-z0-9]{43}");
    }

    @Test
    void storedMeasurementsCarryTheNetworkOfTheirSweepTheirReportAnIdAndNoAddressOfTheProbe(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("store.db");
        try (MeasurementStore store = MeasurementStore.open(db); AgentMetrics metrics = new AgentMetrics("t", "AS0", "ZZ", "")) {
            MeasurementSink sink = new MeasurementSink(store, metrics, ProbeInfo.UNKNOWN);
            sink.located(new ProbeInfo("AS64500", "KZ", "KAZTEL", "blockwatch", "t", "192.0.2.53", "AS64511", "RESOLVER-AS"),
                    ProbeAddressScrubber.of(List.of(InetAddress.getByName(PUBLIC))));
            sink.sweepStarted(Instant.parse("2026-01-05T07:00:00Z"));
            sink.measured("http://echo.example/?you=" + PUBLIC, "NEWS", echoing("http://echo.example/?you=" + PUBLIC), Instant.now());
            sink.measured("http://other.example/", "NEWS", echoing("http://other.example/"), Instant.now());
            assertThat(metrics.scrape()).contains("blockwatch_probe_info{asn=\"AS64500\",cc=\"KZ\",network=\"KAZTEL\"} 1");
            // The probe moves: the next sweep's measurements follow, in a report of their own.
            sink.located(new ProbeInfo("AS64520", "UZ", "MOBILE", "blockwatch", "t"), ProbeAddressScrubber.NONE);
            sink.sweepStarted(Instant.parse("2026-01-05T08:00:00Z"));
            sink.measured("http://other.example/", "NEWS", echoing("http://other.example/"), Instant.now());
            assertThat(metrics.scrape()).contains("blockwatch_probe_info{asn=\"AS64520\",cc=\"UZ\",network=\"MOBILE\"} 1").doesNotContain("AS64500");
        }
        List<Map<String, String>> rows = new ArrayList<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
                var r = c.createStatement().executeQuery("SELECT probe_asn, probe_cc, measurement_uid, json, target FROM measurements ORDER BY id")) {
            while (r.next()) rows.add(Map.of("asn", r.getString(1), "cc", r.getString(2), "uid", r.getString(3), "json", r.getString(4),
                    "target", r.getString(5)));
        }
        assertThat(rows).extracting(m -> m.get("asn")).containsExactly("AS64500", "AS64500", "AS64520");
        assertThat(rows.get(0).get("json")).doesNotContain(PUBLIC).startsWith("{\"x_scrubbed_addresses\":").contains("[scrubbed]")
                .contains("\"resolver_ip\":\"192.0.2.53\"", "\"resolver_asn\":\"AS64511\"", "\"x_resolver_elsewhere\":true",
                        "\"measurement_uid\":\"" + rows.get(0).get("uid") + "\"");
        assertThat(rows.get(1).get("json")).doesNotContain(PUBLIC).startsWith("{\"x_scrubbed_addresses\":1,");
        String report0 = rows.get(0).get("json").replaceAll(".*\"report_id\":\"([^\"]+)\".*", "$1");
        assertThat(rows.get(1).get("json")).contains("\"report_id\":\"" + report0 + "\"", "\"test_start_time\":\"2026-01-05 07:00:00\"");
        assertThat(rows.get(2).get("json")).doesNotContain(report0).contains("\"test_start_time\":\"2026-01-05 08:00:00\"", "\"probe_cc\":\"UZ\"");
        assertThat(report0).matches("20260105T070000Z_webconnectivity_[A-Z]{2}_64500_n1_[A-Za-z0-9]{43}");
        // The target label is the list's URL, which the volunteer chose; the row's evidence is scrubbed.
        assertThat(rows).extracting(m -> m.get("uid")).doesNotHaveDuplicates().allMatch(u -> u.matches("\\d{14}\\.\\d{6}_[A-Z]{2}_webconnectivity_[0-9a-f]{16}"));
    }
}
