package org.blockwatch.agent.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoredMeasurement;
import org.blockwatch.core.archival.MeasurementUid;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/** A store with measurements in it, as a sweep leaves them, for the commands that read or send them. */
final class StoredMeasurements {
    static final ProbeInfo PROBE = new ProbeInfo("AS64500", "KZ", "Example Telecom", "blockwatch", "test");

    private StoredMeasurements() {}

    /** One measurement of {@code target}: its uid, as ooni-jsonl exports carry it. */
    record One(String uid, String target, Instant at) {}

    /** Stores a measurement per target, a minute apart from {@code start}, queued for upload when {@code upload}. */
    static List<One> store(Path store, Instant start, boolean upload, String... targets) throws Exception {
        List<One> out = new ArrayList<>();
        Report report = Report.open(start, "web_connectivity", "KZ", PROBE.asn());
        try (MeasurementStore s = MeasurementStore.open(store)) {
            for (int i = 0; i < targets.length; i++) {
                Instant at = start.plusSeconds(60L * i);
                boolean blocked = targets[i].contains("blocked");
                String uid = MeasurementUid.next(at, "KZ", "web_connectivity");
                String json = "{\"data_format_version\":\"0.2.0\",\"input\":\"" + targets[i] + "\",\"measurement_uid\":\"" + uid
                        + "\",\"measurement_start_time\":\"" + at.toString().replace('T', ' ').replace("Z", "")
                        + "\",\"probe_asn\":\"AS64500\",\"probe_cc\":\"KZ\",\"probe_network_name\":\"Example Telecom\",\"report_id\":\"" + report.id()
                        + "\",\"software_name\":\"blockwatch\",\"software_version\":\"test\",\"test_name\":\"web_connectivity\","
                        + "\"test_version\":\"0.4.3\",\"test_start_time\":\"2026-12-01 10:00:00\",\"test_keys\":{"
                        + "\"queries\":[{\"hostname\":\"" + java.net.URI.create(targets[i]).getHost() + "\",\"query_type\":\"A\",\"failure\":null,"
                        + "\"answers\":[{\"answer_type\":\"A\",\"ipv4\":\"10.10.34.35\"}],\"resolver_address\":\"127.0.0.1:53\"}],"
                        + "\"tcp_connect\":[{\"ip\":\"10.10.34.35\",\"port\":443,\"status\":{\"success\":" + !blocked + ",\"failure\":"
                        + (blocked ? "\"connection_reset\"" : "null") + "}}],"
                        + "\"x_verdict\":{\"status\":\"" + (blocked ? "blocked" : "accessible") + "\""
                        + (blocked ? ",\"method\":\"tcp_ip\",\"explanation\":\"the connection to 10.10.34.35:443 was reset; the control reached it\"" : "")
                        + "}}}";
                s.insert(new StoredMeasurement(at, "web_connectivity", targets[i], "NEWS", PROBE, blocked ? Status.BLOCKED : Status.ACCESSIBLE,
                        blocked ? Method.TCP_IP : null, List.of(), org.blockwatch.core.nettest.Speed.UNKNOWN, uid, json), upload);
                out.add(new One(uid, targets[i], at));
            }
        }
        return out;
    }
}
