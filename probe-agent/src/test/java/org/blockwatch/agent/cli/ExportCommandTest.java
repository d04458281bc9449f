package org.blockwatch.agent.cli;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoredMeasurement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import java.util.List;
import org.blockwatch.scenarios.Scenarios;

/** Golden exports of hand-made stores, and the raw export of a real one (the demo's). */
class ExportCommandTest {
    private static final Instant T0 = Instant.parse("2026-01-05T06:00:00Z");
    private static final String ODD = "https://news.example/a,b?q=\"x\"";

    @TempDir
    Path tmp;

    private static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    private static void measure(MeasurementStore s, int minute, String target, String asn, String state, String method) throws Exception {
        measure(s, minute, target, asn, state, method, List.of());
    }

    /**
     * A measurement whose uid is {@code ASN-MINUTE-odd} (or {@code -other}), its resolver, as its document says,
     * Cloudflare's (Google's at minute 120).
     */
    private static void measure(MeasurementStore s, int minute, String target, String asn, String state, String method, List<String> flags)
            throws Exception {
        String uid = asn + "-" + minute + "-" + (target.equals(ODD) ? "odd" : "other");
        String json = "{\"input\":\"" + target.replace("\"", "\\\"") + "\",\"measurement_uid\":\"" + uid + "\",\"probe_ip\":\"127.0.0.1\","
                + (minute == 120 ? "\"resolver_asn\":\"AS15169\",\"resolver_network_name\":\"Google LLC\",\"resolver_ip\":\"8.8.8.8\"}"
                        : "\"resolver_asn\":\"AS13335\",\"resolver_network_name\":\"Cloudflare, Inc.\",\"resolver_ip\":\"1.1.1.1\"}");
        s.insert(new StoredMeasurement(at(minute), "web_connectivity", target, "NEWS", new ProbeInfo(asn, "KZ", "home", "blockwatch", "test"),
                Status.ofLabel(state), Method.ofLabel(method), flags, org.blockwatch.core.nettest.Speed.UNKNOWN, uid, json), false);
    }

    /** Volunteer 1 on AS9198: accessible, then blocked by TLS, an outage of its own network, blocked again. */
    private int stores;

    private Path volunteerOne() throws Exception {
        Path db = tmp.resolve("one-" + ++stores + ".db");
        try (MeasurementStore s = MeasurementStore.open(db)) {
            measure(s, 0, ODD, "AS9198", "accessible", null);
            measure(s, 1, ODD, "AS9198", "accessible", null);
            measure(s, 60, ODD, "AS9198", "blocked", "tls", List.of("tls_mitm", "tls_mitm_government_root"));
            measure(s, 61, ODD, "AS9198", "blocked", "tls", List.of("tls_mitm", "tls_mitm_government_root"));
            measure(s, 120, ODD, "AS9198", "blocked", "tls");
            s.recordNetworkChange(at(180), NetworkState.OFFLINE, new ProbeInfo("AS9198", "KZ", "home", "blockwatch", "test"));
            measure(s, 181, ODD, "AS9198", "inconclusive", null);
            measure(s, 182, ODD, "AS9198", "inconclusive", null);
            s.recordNetworkChange(at(240), NetworkState.ONLINE, new ProbeInfo("AS9198", "KZ", "home", "blockwatch", "test"));
            measure(s, 241, ODD, "AS9198", "blocked", "tls");
            measure(s, 242, ODD, "AS9198", "blocked", "tls");
        }
        return db;
    }

    /** Volunteer 2: on AS9198 too (its measurements join volunteer 1's), then on AS48716. */
    private Path volunteerTwo() throws Exception {
        Path db = tmp.resolve("two.db");
        try (MeasurementStore s = MeasurementStore.open(db)) {
            measure(s, 90, ODD, "AS9198", "blocked", "tls");
            measure(s, 91, ODD, "AS9198", "blocked", "tls");
            measure(s, 0, "https://other.example/", "AS48716", "blocked", "dns");
            measure(s, 1, "https://other.example/", "AS48716", "blocked", "dns");
        }
        return db;
    }

    /**
     * Issue 32: a row names its first and last measurement by measurement_uid (not the store's row id), the network,
     * the flags, the resolver, and the last measurement of the state before it: the change happened between the two.
     */
    @Test
    void oneStoreGivesIntervalsAndItsOutageAsRowsWithQuotedUrls() throws Exception {
        Cli r = Cli.run("export", "--db", volunteerOne().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                target,category,probe_asn,probe_cc,probe_network_name,state,method,flags,start,end,measurements,first_measurement_uid,\
                last_measurement_uid,previous_state,previous_method,previous_last_measurement_uid,previous_last_time,changed_between,\
                resolver_asn,resolver_network_name,resolver_ip
                "https://news.example/a,b?q=""x""\",NEWS,AS9198,KZ,home,accessible,,,2026-01-05T06:00:00Z,2026-01-05T06:01:00Z,2,\
                AS9198-0-odd,AS9198-1-odd,,,,,,AS13335,"Cloudflare, Inc.",1.1.1.1
                "https://news.example/a,b?q=""x""\",NEWS,AS9198,KZ,home,blocked,tls,tls_mitm tls_mitm_government_root,2026-01-05T07:00:00Z,\
                2026-01-05T08:00:00Z,3,AS9198-60-odd,AS9198-120-odd,accessible,,AS9198-1-odd,2026-01-05T06:01:00Z,\
                2026-01-05T06:01:00Z/2026-01-05T07:00:00Z,AS13335 | AS15169,"Cloudflare, Inc. | Google LLC",1.1.1.1 | 8.8.8.8
                "https://news.example/a,b?q=""x""\",NEWS,AS9198,KZ,home,blocked,tls,,2026-01-05T10:01:00Z,2026-01-05T10:02:00Z,2,\
                AS9198-241-odd,AS9198-242-odd,blocked,tls,AS9198-120-odd,2026-01-05T08:00:00Z,2026-01-05T08:00:00Z/2026-01-05T10:01:00Z,\
                AS13335,"Cloudflare, Inc.",1.1.1.1
                ,,AS9198,KZ,,offline,,,2026-01-05T09:01:00Z,2026-01-05T09:02:00Z,2,AS9198-181-odd,AS9198-182-odd,,,,,,,,
                """);
    }

    @Test
    void storesMergeIntoOneTimelinePerNetwork() throws Exception {
        Cli r = Cli.run("export", "--db", volunteerOne().toString(), "--db", volunteerTwo().toString(), "--format", "timeline-json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0).get("probe_asn").asText()).isEqualTo("AS48716");
        assertThat(rows.get(0).get("first_measurement_uid").asText()).isEqualTo("AS48716-0-other");
        // Volunteer 2's two measurements at 90 and 91 minutes fall inside volunteer 1's blocked interval.
        JsonNode blocked = rows.get(2);
        assertThat(blocked.get("state").asText()).isEqualTo("blocked");
        assertThat(blocked.get("start").asText()).isEqualTo("2026-01-05T07:00:00Z");
        assertThat(blocked.get("end").asText()).isEqualTo("2026-01-05T08:00:00Z");
        assertThat(blocked.get("measurements").asLong()).isEqualTo(5);
        assertThat(blocked.get("first_measurement_uid").asText()).isEqualTo("AS9198-60-odd");
        assertThat(blocked.get("last_measurement_uid").asText()).isEqualTo("AS9198-120-odd");
        assertThat(blocked.get("flags")).extracting(JsonNode::asText).containsExactly("tls_mitm", "tls_mitm_government_root");
        assertThat(blocked.get("changed_between")).extracting(JsonNode::asText).containsExactly("2026-01-05T06:01:00Z", "2026-01-05T07:00:00Z");
        assertThat(blocked.get("previous_state").asText()).isEqualTo("accessible");
        assertThat(blocked.get("resolver_network_name").asText()).as("its first and last measurement's").isEqualTo("Cloudflare, Inc. | Google LLC");
        assertThat(rows.get(1).get("method").isNull()).isTrue();
        assertThat(rows.get(1).get("changed_between").isNull()).as("the first row of its series").isTrue();
    }

    @Test
    void filtersSelectRowsAndTimes() throws Exception {
        Path one = volunteerOne();
        Cli blocked = Cli.run("export", "--db", one.toString(), "--state", "blocked", "--since", "2026-01-05T06:30:00Z");
        assertThat(blocked.out().lines().skip(1)).hasSize(2).allMatch(l -> l.contains(",blocked,tls,"));
        Cli offline = Cli.run("export", "--db", one.toString(), "--state", "offline");
        assertThat(offline.out().lines().skip(1)).singleElement().asString().startsWith(",,AS9198,KZ,,offline,");
        Cli none = Cli.run("export", "--db", one.toString(), "--target", "https://elsewhere.example/", "--state", "blocked");
        assertThat(none.out().lines()).hasSize(1);
    }

    @Test
    void badInputIsNamed() throws Exception {
        Cli missing = Cli.run("export", "--db", tmp.resolve("nope.db").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.db", "no such file");
        Cli format = Cli.run("export", "--db", volunteerOne().toString(), "--format", "xml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("--format", "xml");
        Cli since = Cli.run("export", "--db", volunteerOne().toString(), "--since", "yesterday");
        assertThat(since.exit()).isEqualTo(2);
        assertThat(since.err()).contains("--since", "yesterday");
        Path notAStore = Files.writeString(tmp.resolve("notes.db"), "not sqlite at all, just text");
        Cli garbage = Cli.run("export", "--db", notAStore.toString());
        assertThat(garbage.exit()).isEqualTo(2);
        assertThat(garbage.err()).contains("notes.db");
        // A folder where a file belongs: said so, exit 2 (not "no such file", nor "Is a directory" from a temporary name).
        Cli folderDb = Cli.run("export", "--db", tmp.toString());
        assertThat(folderDb.exit()).isEqualTo(2);
        assertThat(folderDb.err()).contains("--db " + tmp + ": a folder, not a store");
        Cli folderOut = Cli.run("export", "--db", volunteerOne().toString(), "--out", tmp.toString());
        assertThat(folderOut.exit()).isEqualTo(2);
        assertThat(folderOut.err()).contains("--out " + tmp + ": a folder; give a file name");
        // A damaged row (a time that is not one): the export says which store, every format.
        Path damaged = volunteerOne();
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + damaged); var st = db.createStatement()) {
            st.execute("UPDATE measurements SET measured_at = 'last tuesday' WHERE id = (SELECT MIN(id) FROM measurements)");
        }
        for (String kind : List.of("html", "timeline-csv", "ooni-jsonl")) {
            Cli r = Cli.run("export", "--db", damaged.toString(), "--format", kind);
            assertThat(r.exit()).as(kind).isEqualTo(2);
            assertThat(r.err()).as(kind).contains(damaged.toString()).doesNotContain("Exception\n\tat ");
        }
    }

    @Test
    void anOutFileAppearsWholeOrNotAtAll() throws Exception {
        Path out = tmp.resolve("timeline.csv");
        Cli r = Cli.run("export", "--db", volunteerOne().toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out)).startsWith("target,category,").contains(",offline,");
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }

    @Test
    void ooniJsonlValidatesAgainstTheSchemaWrittenFromOonisSpecAndSharesOneReportPerRun() throws Exception {
        Path store = tmp.resolve("demo.db");
        assertThat(Cli.run("demo", "--metrics-listen", "127.0.0.1:0", "--store", store.toString()).exit()).isZero();
        Cli r = Cli.run("export", "--db", store.toString(), "--format", "ooni-jsonl");
        assertThat(r.exit()).as(r.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.newInputStream(Path.of("../docs/ooni-measurement.schema.json")));
        // The demo runs the agent's sweep twice: the first confirms each new state with a second measurement,
        // the second measures each site once more (twice where a state changed again).
        int targets = Scenarios.ALL.size() + 2 + 4 + 2; // the web pages, the two STUN servers, the four apps and the two resolvers
        // ...and the port-filtering helper's check, once, in the first sweep's report.
        assertThat(r.out().lines().count()).isBetween(3L * targets + 1, 4L * targets + 1);
        java.util.Map<String, Set<String>> reports = new java.util.HashMap<>();
        Set<String> starts = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        List<String> uids = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            JsonNode m = json.readTree(line);
            assertThat(schema.validate(m)).as("%s", m.get("input")).isEmpty();
            assertThat(m.get("test_keys").has("verdict")).as("blockwatch's own key is x_-prefixed").isFalse();
            assertThat(m.get("test_keys").get("x_verdict").get("status").asText()).isNotEmpty();
            if (m.get("test_name").asText().equals("web_connectivity")) {
                assertThat(m.get("test_helpers").get("backend").get("type").asText()).as("the demo's helper is plain HTTP").isEqualTo("http");
            }
            kinds.add(m.get("test_name").asText() + " " + m.get("test_version").asText());
            reports.computeIfAbsent(m.get("report_id").asText(), k -> new HashSet<>())
                    .add(m.get("test_name").asText() + " " + m.get("test_start_time").asText());
            starts.add(m.get("test_start_time").asText());
            uids.add(m.get("measurement_uid").asText());
        }
        assertThat(starts).as("one test start per sweep: the demo's two").hasSize(2);
        assertThat(reports.values()).as("one report per kind and sweep: one kind, one test start").allMatch(v -> v.size() == 1);
        assertThat(reports).as("each of the two sweeps' kinds its own report").hasSizeGreaterThanOrEqualTo(2 * 7);
        assertThat(reports.keySet()).allMatch(id -> id.matches("\\d{8}T\\d{6}Z_[a-z]+_[A-Z]{2}_\\d+_n1_[A-Za-z0-9]{43}"));
        assertThat(kinds).containsExactlyInAnyOrder("web_connectivity 0.4.3", "stunreachability 0.4.0", "facebook_messenger 0.2.1",
                "telegram 0.3.1", "whatsapp 0.11.0", "signal 0.2.5", "dnscheck 0.9.3", "portfiltering 0.1.0");
        assertThat(uids).doesNotHaveDuplicates();
        // Ids are stable: a second export gives the same.
        Cli again = Cli.run("export", "--db", store.toString(), "--format", "ooni-jsonl");
        assertThat(again.out().lines().map(l -> {
            try {
                return json.readTree(l).get("measurement_uid").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList()).isEqualTo(uids);
    }

    @Test
    void theSchemaRejectsWhatOoniWouldNot() throws Exception {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.newInputStream(Path.of("../docs/ooni-measurement.schema.json")));
        ObjectMapper json = new ObjectMapper();
        Path store = tmp.resolve("demo.db");
        assertThat(Cli.run("demo", "--metrics-listen", "127.0.0.1:0", "--store", store.toString()).exit()).isZero();
        String line = Cli.run("export", "--db", store.toString(), "--format", "ooni-jsonl").out().lines().findFirst().orElseThrow();
        for (String[] change : new String[][] {{"report_id", ""}, {"probe_ip", "203.0.113.7"}, {"test_version", "0.5.0"}}) {
            com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            m.put(change[0], change[1]);
            assertThat(schema.validate(m)).as(change[0]).isNotEmpty();
        }
        com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("test_keys")).put("verdict", "blocked");
        assertThat(schema.validate(m)).as("an unprefixed key of our own").isNotEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("test_keys")).remove("verdict");
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("test_keys")).put("client_resolver", "127.0.0.1:53");
        assertThat(schema.validate(m)).as("client_resolver with a port").isNotEmpty();
    }

    @Test
    void aRestrictedNetworkIsARowOfItsOwnLikeAnOutage() throws Exception {
        Path db = tmp.resolve("restricted.db");
        ProbeInfo probe = new ProbeInfo("AS9198", "KZ", "home", "blockwatch", "test");
        try (MeasurementStore s = MeasurementStore.open(db)) {
            measure(s, 0, ODD, "AS9198", "accessible", null);
            measure(s, 1, ODD, "AS9198", "accessible", null);
            s.recordNetworkChange(at(60), NetworkState.RESTRICTED, probe);
            measure(s, 61, ODD, "AS9198", "inconclusive", null);
            s.recordNetworkChange(at(120), NetworkState.OFFLINE, probe);
            s.recordNetworkChange(at(180), NetworkState.ONLINE, probe);
            measure(s, 181, ODD, "AS9198", "accessible", null);
            measure(s, 182, ODD, "AS9198", "accessible", null);
        }
        Cli r = Cli.run("export", "--db", db.toString(), "--format", "timeline-csv", "--state", "restricted", "--state", "offline");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().skip(1).toList()).containsExactly(
                ",,AS9198,KZ,,restricted,,,2026-01-05T07:01:00Z,2026-01-05T07:01:00Z,1,AS9198-61-odd,AS9198-61-odd,,,,,,,,",
                ",,AS9198,KZ,,offline,,,2026-01-05T08:00:00Z,2026-01-05T09:00:00Z,0,,,,,,,,,,");
    }

    private static List<String> rows(Cli r) {
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().lines().skip(1).toList();
    }

    /** Issue 32: --asn (with or without AS) and --cc select networks; their outages follow them. */
    @Test
    void networksAndCountriesAreFilters() throws Exception {
        String one = volunteerOne().toString();
        String two = volunteerTwo().toString();
        List<String> all = rows(Cli.run("export", "--db", one, "--db", two));
        assertThat(all).anyMatch(l -> l.contains(",AS48716,")).anyMatch(l -> l.contains(",AS9198,"));
        List<String> kt = rows(Cli.run("export", "--db", one, "--db", two, "--asn", "9198"));
        assertThat(kt).isNotEmpty().allMatch(l -> l.contains(",AS9198,KZ,")).anyMatch(l -> l.contains(",offline,"));
        assertThat(rows(Cli.run("export", "--db", one, "--db", two, "--asn", "as9198"))).isEqualTo(kt);
        assertThat(rows(Cli.run("export", "--db", one, "--db", two, "--asn", "AS48716", "--asn", "AS9198"))).hasSameSizeAs(all);
        assertThat(rows(Cli.run("export", "--db", one, "--db", two, "--cc", "kz"))).isEqualTo(all);
        assertThat(rows(Cli.run("export", "--db", one, "--db", two, "--cc", "UZ"))).as("no row, not even the KZ probe's outage").isEmpty();
        Cli bad = Cli.run("export", "--db", one, "--asn", "Kazakhtelecom");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--asn", "Kazakhtelecom", "AS9198 or 9198");
        Cli badCc = Cli.run("export", "--db", one, "--cc", "KAZ");
        assertThat(badCc.exit()).isEqualTo(2);
        assertThat(badCc.err()).contains("--cc", "KAZ");
    }

    /** Issue 32: --target https://other.example (no trailing slash), or with its host in capitals, is the listed https://other.example/. */
    @Test
    void aTargetMatchesWithOrWithoutItsTrailingSlashAndInAnyCaseOfItsHost() throws Exception {
        String two = volunteerTwo().toString();
        List<String> listed = rows(Cli.run("export", "--db", two, "--target", "https://other.example/"));
        assertThat(listed).singleElement().asString().startsWith("https://other.example/,NEWS,AS48716,");
        assertThat(rows(Cli.run("export", "--db", two, "--target", "https://other.example"))).isEqualTo(listed);
        assertThat(rows(Cli.run("export", "--db", two, "--target", "HTTPS://Other.Example"))).isEqualTo(listed);
        assertThat(rows(Cli.run("export", "--db", two, "--target", "https://other.example/page"))).isEmpty();
    }

    /** Issue 32: --since takes a date, a time to the minute, with a space, with a zone; without a zone it is local time. */
    @Test
    void sinceTakesDatesMinutesAndZones() throws Exception {
        String one = volunteerOne().toString();
        List<String> utc = rows(Cli.run("export", "--db", one, "--since", "2026-01-05T06:30:00Z", "--until", "2026-01-05T10:00Z"));
        assertThat(utc).hasSize(2);
        assertThat(utc.get(0)).contains(",blocked,tls,tls_mitm tls_mitm_government_root,2026-01-05T07:00:00Z,");
        assertThat(utc.get(1)).startsWith(",,AS9198,KZ,,offline,,,2026-01-05T09:01:00Z,");
        assertThat(rows(Cli.run("export", "--db", one, "--since", "2026-01-05T11:30+05:00", "--until", "2026-01-05T15:00+05:00"))).isEqualTo(utc);
        assertThat(rows(Cli.run("export", "--db", one, "--since", "2026-01-05T11:30+05:00[Asia/Almaty]", "--until", "2026-01-05T10:00Z"))).isEqualTo(utc);
        // Without a zone: the local time zone's clock.
        java.time.ZoneId local = java.time.ZoneId.systemDefault();
        String since = java.time.LocalDateTime.ofInstant(Instant.parse("2026-01-05T06:30:00Z"), local).toString();
        String until = java.time.LocalDateTime.ofInstant(Instant.parse("2026-01-05T10:00:00Z"), local).toString();
        assertThat(since).hasSize(16); // 2026-01-05T11:30: to the minute
        assertThat(rows(Cli.run("export", "--db", one, "--since", since, "--until", until))).isEqualTo(utc);
        assertThat(rows(Cli.run("export", "--db", one, "--since", since.replace('T', ' '), "--until", until.replace('T', ' ')))).isEqualTo(utc);
        String day = java.time.LocalDate.ofInstant(Instant.parse("2026-01-05T12:00:00Z"), local).toString();
        String dayStart = java.time.LocalDate.parse(day).atStartOfDay(local).toOffsetDateTime().toString();
        assertThat(rows(Cli.run("export", "--db", one, "--since", day))).isEqualTo(rows(Cli.run("export", "--db", one, "--since", dayStart)));
        for (String bad : List.of("07:00", "2026-13-01", "yesterday", "05.01.2026")) {
            Cli r = Cli.run("export", "--db", one, "--since", bad);
            assertThat(r.exit()).as(bad).isEqualTo(2);
            assertThat(r.err()).as(bad).contains("--since", bad, "2026-12-07T10:00", "2026-12-07T10:00+05:00", "local time");
        }
    }

    /** Issue 32: postgres:// (libpq's and most hosts' spelling) is a database URL like postgresql://; another scheme is named. */
    @Test
    void postgresUrlsAreAccepted() throws Exception {
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = closed.getLocalPort();
            closed.close();
            Cli r = Cli.run("export", "--from", "postgres://bw:secret@127.0.0.1:" + port + "/blockwatch");
            assertThat(r.exit()).isEqualTo(2);
            // Taken as a database (nothing listens there), not refused as a URL; the password not shown.
            assertThat(r.err()).contains("--from postgres://bw:***@127.0.0.1:" + port + "/blockwatch: cannot be read").doesNotContain("secret");
        }
        // The collector's --database takes both spellings too.
        assertThat(org.blockwatch.agent.settings.Keys.COLLECTOR_DATABASE.parse(List.of("postgres://bw@127.0.0.1/blockwatch")))
                .isEqualTo("postgres://bw@127.0.0.1/blockwatch");
        Cli mysql = Cli.run("export", "--from", "mysql://bw@127.0.0.1/blockwatch");
        assertThat(mysql.exit()).isEqualTo(2);
        assertThat(mysql.err()).contains("--from", "mysql://bw@127.0.0.1/blockwatch", "postgresql://", "postgres://");
    }

    /** Issue 32: the uids of a real store's timeline rows are measurement_uids of its ooni-jsonl export, with the document's network and resolver. */
    @Test
    void timelineUidsJoinTheOoniExport() throws Exception {
        Path store = tmp.resolve("demo.db");
        assertThat(Cli.run("demo", "--metrics-listen", "127.0.0.1:0", "--store", store.toString()).exit()).isZero();
        ObjectMapper json = new ObjectMapper();
        java.util.Map<String, JsonNode> byUid = new java.util.HashMap<>();
        for (String line : Cli.run("export", "--db", store.toString(), "--format", "ooni-jsonl").out().lines().toList()) {
            JsonNode m = json.readTree(line);
            byUid.put(m.get("measurement_uid").asText(), m);
        }
        Cli r = Cli.run("export", "--db", store.toString(), "--format", "timeline-json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode rows = json.readTree(r.out());
        assertThat(rows.size()).isPositive();
        for (JsonNode row : rows) {
            if (row.get("target").asText().isEmpty()) continue;
            for (String key : List.of("first_measurement_uid", "last_measurement_uid")) {
                JsonNode m = byUid.get(row.get(key).asText());
                assertThat(m).as("%s %s in the ooni-jsonl export", key, row.get(key)).isNotNull();
                assertThat(m.get("probe_asn").asText()).isEqualTo(row.get("probe_asn").asText());
                assertThat(row.get("probe_network_name").asText()).isEqualTo(m.get("probe_network_name").asText());
            }
            JsonNode first = byUid.get(row.get("first_measurement_uid").asText());
            if (!first.path("resolver_ip").asText().isEmpty()) {
                assertThat(row.get("resolver_ip").asText()).contains(first.get("resolver_ip").asText());
            }
        }
    }

    /** Every column of a timeline is in the contract, docs/interfaces.md, in its order. */
    @Test
    void everyTimelineColumnIsInTheContract() throws Exception {
        String doc = Files.readString(Path.of("../docs/interfaces.md"));
        String formats = doc.substring(doc.indexOf("## Export formats"));
        int at = 0;
        for (String column : org.blockwatch.agent.export.TimelineWriters.COLUMNS) {
            int i = formats.indexOf("`" + column + "`", at);
            assertThat(i).as("%s in docs/interfaces.md's export formats, after the columns before it", column).isGreaterThanOrEqualTo(0);
            at = i;
        }
    }
}
