package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.blockwatch.sim.CertificateAuthority;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.SimDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasureCommandTest {
    private static SimDnsServer dns;
    private static MockWebServer https;
    private static CertificateAuthority ca;
    @TempDir
    static Path tmp;
    private static Path caPem;

    @BeforeAll
    static void start() throws Exception {
        dns = new SimDnsServer().otherwise(DnsBehaviour.answer("127.0.0.1"))
                .on("missing.test", new DnsBehaviour.Code(org.xbill.DNS.Rcode.NXDOMAIN));
        ca = CertificateAuthority.root("CN=cli test root");
        caPem = ca.writePem(tmp.resolve("ca.pem"));
        https = new MockWebServer();
        https.useHttps(ca.issue("news.test").serverContext().getSocketFactory());
        https.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body("<title>News</title>").build();
            }
        });
        https.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterAll
    static void stop() {
        https.close();
        dns.close();
    }

    /**
     * {@code blockwatch} with these arguments; a {@code measure} asks no extra resolver (the default,
     * Cloudflare's DoH, is not on loopback) unless the test gives one.
     */
    private static Cli run(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        if (!all.isEmpty() && all.get(0).equals("measure") && !all.contains("--extra-resolver") && !all.contains("--help")) {
            all.add(1, "--no-extra-resolvers");
        }
        return Cli.run(all.toArray(String[]::new));
    }

    private String url() {
        return "https://news.test:" + https.getPort() + "/";
    }

    @Test
    void jsonPrintsOneMeasurementPerUrlWithItsRecords() throws Exception {
        String missing = "https://missing.test:" + https.getPort() + "/";
        Cli r = run("measure", "--json", "--no-control", "--resolver", dns.address(), "--trust-ca", caPem.toString(), "--timeout", "3", url(), missing);
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode ok = null;
        JsonNode nxdomain = null;
        for (String line : lines) {
            JsonNode m = mapper.readTree(line);
            if (m.get("input").asText().equals(url())) ok = m;
            else nxdomain = m;
        }
        assertThat(ok).isNotNull();
        JsonNode keys = ok.get("test_keys");
        assertThat(keys.get("queries").size()).isEqualTo(2);
        assertThat(keys.get("tcp_connect").get(0).get("status").get("success").asBoolean()).isTrue();
        assertThat(keys.get("tls_handshakes").get(0).get("failure").isNull()).isTrue();
        assertThat(keys.get("tls_handshakes").get(0).get("peer_certificates").size()).isEqualTo(1);
        assertThat(keys.get("requests").get(0).get("response").get("code").asInt()).isEqualTo(200);
        assertThat(ok.get("probe_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(ok.get("resolver_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(nxdomain.get("test_keys").get("dns_experiment_failure").asText()).isEqualTo("dns_nxdomain_error");
        // No control: HTTPS with a valid chain is accessible, a local DNS failure has no verdict.
        assertThat(keys.get("x_verdict").get("status").asText()).isEqualTo("accessible");
        assertThat(keys.get("accessible").asBoolean()).isTrue();
        assertThat(keys.get("blocking").asBoolean()).isFalse();
        assertThat(nxdomain.get("test_keys").get("x_verdict").get("status").asText()).isEqualTo("inconclusive");
        assertThat(nxdomain.get("test_keys").get("blocking").isNull()).isTrue();
    }

    @Test
    void tablePrintsOneRowPerUrl() {
        Cli r = run("measure", "--no-control", "--resolver", dns.address(), "--trust-ca", caPem.toString(), url());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("URL").contains("VERDICT", "METHOD", "EVIDENCE");
        assertThat(lines.get(1)).startsWith(url()).contains("accessible").contains("HTTPS");
    }

    @Test
    void rowsComeAsTheirUrlsCompleteInAlignedColumnsAndNoProgressLineGoesIntoAPipe() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String refused = "http://127.0.0.1:" + closed + "/a-much-longer-path-than-the-other-url";
        Cli r = run("measure", "--no-control", "--resolver", dns.address(), "--trust-ca", caPem.toString(), url(), refused);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        int column = lines.get(0).indexOf("VERDICT");
        assertThat(column).isGreaterThan(refused.length());
        for (String line : lines.subList(1, 3)) assertThat(line.charAt(column - 1)).as(line).isEqualTo(' ');
        assertThat(lines.subList(1, 3)).anySatisfy(l -> assertThat(l).startsWith(refused));
        assertThat(r.err()).doesNotContain("measured 1 of 2");
    }

    @Test
    void withoutTheLabRootTheChainIsAnUnknownAuthority() {
        Cli r = run("measure", "--no-control", "--resolver", dns.address(), url());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("inconclusive").contains("ssl_unknown_authority");
    }

    @Test
    void badInputExitsTwoNamingWhatIsWrong() throws Exception {
        Cli scheme = run("measure", "--no-control", "ftp://files.test/");
        assertThat(scheme.exit()).isEqualTo(2);
        assertThat(scheme.err()).contains("ftp://files.test/").contains("scheme");

        Cli resolver = run("measure", "--no-control", "--resolver", "dns.example", url());
        assertThat(resolver.exit()).isEqualTo(2);
        assertThat(resolver.err()).contains("--resolver").contains("dns.example");

        Cli missingPem = run("measure", "--no-control", "--trust-ca", tmp.resolve("nope.pem").toString(), url());
        assertThat(missingPem.exit()).isEqualTo(2);
        assertThat(missingPem.err()).contains("nope.pem").contains("no such file");

        Path garbage = Files.writeString(tmp.resolve("garbage.pem"), "not a certificate");
        Cli badPem = run("measure", "--no-control", "--trust-ca", garbage.toString(), url());
        assertThat(badPem.exit()).isEqualTo(2);
        assertThat(badPem.err()).contains("garbage.pem");

        Cli timeout = run("measure", "--no-control", "--timeout", "0", url());
        assertThat(timeout.exit()).isEqualTo(2);
        Cli both = run("measure", "--no-control", "--control", "http://127.0.0.1:1/", url());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--no-control");
        Cli range = run("measure", "--no-control", "--public-range", "10.0.0.0/99", url());
        assertThat(range.exit()).isEqualTo(2);
        assertThat(range.err()).contains("10.0.0.0/99");
        assertThat(timeout.exit()).isEqualTo(2);
        assertThat(timeout.err()).contains("--timeout");

        Cli noUrl = run("measure");
        assertThat(noUrl.exit()).isEqualTo(2);
        assertThat(run("frobnicate").exit()).isEqualTo(2);
    }

    @Test
    void helpExitsZero() {
        Cli r = run("measure", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--json", "--resolver", "--trust-ca", "--timeout", "--body-limit", "--control", "--no-control");
    }

    /**
     * Issue 30: an app is measured by its name, at the endpoints of the configuration's
     * tests.<app> keys (here loopback: data centres on 127.0.0.77, where nothing listens on 80 or
     * 443, and the web client on this test's HTTPS server), and printed as OONI's document with
     * the kind's keys, blockwatch's control keys and x_verdict; the table names the app.
     */
    @Test
    void anAppIsMeasuredByItsNameAtTheConfiguredEndpoints() throws Exception {
        Path config = Files.writeString(tmp.resolve("telegram.yaml"), String.join("\n",
                "tests:",
                "  telegram:",
                "    datacenters: [127.0.0.77]",
                "    web: " + url(),
                ""));
        Cli r = run("measure", "--json", "--config", config.toString(), "--no-control", "--resolver", dns.address(), "--trust-ca",
                caPem.toString(), "--timeout", "3", "telegram");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode m = new ObjectMapper().readTree(lines.get(0));
        assertThat(m.get("test_name").asText()).isEqualTo("telegram");
        assertThat(m.get("test_version").asText()).isEqualTo("0.3.1");
        assertThat(m.get("input").isNull()).as("an app has no input, as OONI's").isTrue();
        JsonNode keys = m.get("test_keys");
        assertThat(keys.get("telegram_tcp_blocking").asBoolean()).as("nothing listens on the data centres' ports").isTrue();
        assertThat(keys.get("telegram_http_blocking").asBoolean()).isTrue();
        assertThat(keys.get("telegram_web_status").asText()).as("the web client on the loopback server answered").isEqualTo("ok");
        assertThat(keys.get("telegram_web_failure").isNull()).isTrue();
        assertThat(keys.get("tcp_connect").size()).as("each data centre on 80 and 443, and the web client").isEqualTo(3);
        assertThat(keys.get("requests")).anySatisfy(q -> assertThat(q.get("request").get("url").asText()).isEqualTo(url()));
        assertThat(keys.has("x_control")).isTrue();
        assertThat(keys.get("x_control").isNull()).isTrue();
        assertThat(keys.get("x_control_failure").asText()).contains("no control");
        // Refused here and no control to ask: not enough to tell a block from a service that is down.
        assertThat(keys.get("x_verdict").get("status").asText()).isEqualTo("inconclusive");
        assertThat(keys.get("x_verdict").get("explanation").asText()).startsWith("Telegram");

        Cli table = run("measure", "--config", config.toString(), "--no-control", "--resolver", dns.address(), "--trust-ca", caPem.toString(),
                "--timeout", "3", "telegram");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out().lines().toList()).hasSize(2);
        assertThat(table.out().lines().toList().get(0)).startsWith("INPUT").contains("VERDICT");
        assertThat(table.out().lines().toList().get(1)).startsWith("telegram ").contains("inconclusive");
    }

    /**
     * Issue 31: a resolver is measured by its URL (dnscheck), and {@code dnscheck} alone measures
     * every resolver of the configuration's tests.dnscheck.resolvers; both here on loopback, one
     * honest, one answering the identity query as someone else.
     */
    @Test
    void resolversAreMeasuredByTheirUrlAndDnscheckMeasuresTheConfiguredOnes() throws Exception {
        try (org.blockwatch.agent.run.LoopbackResolver honest = new org.blockwatch.agent.run.LoopbackResolver(
                        org.blockwatch.agent.run.LoopbackResolver.answering(java.util.Map.of("example.org", List.of("127.0.0.1")), "res1.honest.test"));
                org.blockwatch.agent.run.LoopbackResolver impostor = new org.blockwatch.agent.run.LoopbackResolver(
                        org.blockwatch.agent.run.LoopbackResolver.answering(java.util.Map.of("example.org", List.of("127.0.0.1")), "isp-resolver-7"))) {
            String udp = "udp://127.0.0.1:" + honest.udp();
            String tcp = "tcp://127.0.0.1:" + honest.tcp();
            String intercepted = "udp://127.0.0.1:" + impostor.udp();
            Path config = Files.writeString(tmp.resolve("dnscheck.yaml"), String.join("\n",
                    "dns:",
                    "  identities: [\"127.0.0.1=^res[0-9]+\\\\.honest\\\\.test$\"]",
                    "tests:",
                    "  dnscheck:",
                    "    resolvers: [" + udp + ", " + tcp + ", " + intercepted + "]",
                    ""));
            Cli all = run("measure", "--json", "--config", config.toString(), "--no-control", "--timeout", "3", "dnscheck");
            assertThat(all.exit()).as(all.err()).isZero();
            ObjectMapper mapper = new ObjectMapper();
            java.util.Map<String, JsonNode> byInput = new java.util.HashMap<>();
            for (String line : all.out().lines().toList()) {
                JsonNode m = mapper.readTree(line);
                assertThat(m.get("test_name").asText()).isEqualTo("dnscheck");
                assertThat(m.get("test_version").asText()).isEqualTo("0.9.3");
                byInput.put(m.get("input").asText(), m);
            }
            assertThat(byInput).containsOnlyKeys(udp, tcp, intercepted);
            assertThat(byInput.get(udp).get("test_keys").get("domain").asText()).isEqualTo("example.org");
            assertThat(byInput.get(udp).get("test_keys").get("x_verdict").get("status").asText()).isEqualTo("accessible");
            assertThat(byInput.get(tcp).get("test_keys").get("x_verdict").get("status").asText()).isEqualTo("accessible");
            JsonNode verdict = byInput.get(intercepted).get("test_keys").get("x_verdict");
            assertThat(verdict.get("status").asText()).isEqualTo("blocked");
            assertThat(verdict.get("method").asText()).isEqualTo("dns");
            assertThat(verdict.get("flags")).extracting(JsonNode::asText).contains("dns_intercepted");

            // A resolver's URL alone is measured as a resolver.
            Cli one = run("measure", "--config", config.toString(), "--no-control", "--timeout", "3", udp);
            assertThat(one.exit()).as(one.err()).isZero();
            assertThat(one.out().lines().toList()).hasSize(2);
            assertThat(one.out().lines().toList().get(1)).startsWith(udp).contains("accessible");
        }
        Path none = Files.writeString(tmp.resolve("no-resolvers.yaml"), "tests:\n  dnscheck:\n    resolvers: []\n");
        Cli empty = run("measure", "--config", none.toString(), "--no-control", "dnscheck");
        assertThat(empty.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(empty.err()).contains("tests.dnscheck.resolvers is empty");
    }

    /** Issue 31: the extra resolvers of --extra-resolver are asked beside --resolver; refused with what is wrong, or with --no-extra-resolvers. */
    @Test
    void anExtraResolverIsAskedBesideTheResolverAndABadOneIsRefused() throws Exception {
        try (org.blockwatch.agent.run.LoopbackResolver extra = new org.blockwatch.agent.run.LoopbackResolver(
                org.blockwatch.agent.run.LoopbackResolver.answering(java.util.Map.of("news.test", List.of("127.0.0.1")), null))) {
            String tcp = "tcp://127.0.0.1:" + extra.tcp();
            Cli r = run("measure", "--json", "--no-control", "--resolver", dns.address(), "--extra-resolver", tcp, "--trust-ca", caPem.toString(),
                    "--timeout", "3", url());
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode queries = new ObjectMapper().readTree(r.out().lines().toList().get(0)).get("test_keys").get("queries");
            assertThat(queries).anySatisfy(q -> {
                assertThat(q.get("engine").asText()).isEqualTo("tcp");
                assertThat(q.get("resolver_address").asText()).contains("127.0.0.1:" + tcp.substring(tcp.lastIndexOf(':') + 1));
            });
            assertThat(queries).noneSatisfy(q -> assertThat(q.get("engine").asText()).isEqualTo("getaddrinfo"));
            assertThat(extra.count("tcp")).isPositive();
        }
        Cli bad = Cli.run("measure", "--no-control", "--extra-resolver", "quic://dns.example", url());
        assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("--extra-resolver", "scheme 'quic' is not a resolver's");
        Cli both = Cli.run("measure", "--no-control", "--extra-resolver", "udp://127.0.0.1:5353", "--no-extra-resolvers", url());
        assertThat(both.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).contains("--extra-resolver and --no-extra-resolvers exclude each other");
    }

    /**
     * Issue 31: a port-filtering helper is measured by its input, portfilter://HOST, or by the
     * kind's name for the configured helper; here probe-helper's listener on loopback, on the
     * configured ports.
     */
    @Test
    void aPortFilteringHelperIsMeasuredByItsInputOrTheConfiguredOne() throws Exception {
        try (org.blockwatch.helper.ports.PortListener helper = org.blockwatch.helper.ports.PortListener.start(java.net.InetAddress.getLoopbackAddress(),
                List.of(0), List.of(0), org.blockwatch.helper.ports.PortListener.Limits.defaults())) {
            int tcp = helper.tcpPorts().getFirst();
            int udp = helper.udpPorts().getFirst();
            Path config = Files.writeString(tmp.resolve("ports.yaml"), String.join("\n",
                    "tests:",
                    "  portfiltering:",
                    "    helper: 127.0.0.1",
                    "    tcp_ports: [" + tcp + "]",
                    "    dns_ports: [" + udp + "]",
                    "    quic_ports: [" + udp + "]",
                    ""));
            for (String input : List.of("portfiltering", "portfilter://127.0.0.1")) {
                Cli r = run("measure", "--json", "--config", config.toString(), "--no-control", "--timeout", "3", input);
                assertThat(r.exit()).as(r.err()).isZero();
                JsonNode m = new ObjectMapper().readTree(r.out().lines().toList().getFirst());
                assertThat(m.get("test_name").asText()).isEqualTo("portfiltering");
                assertThat(m.get("input").asText()).isEqualTo("portfilter://127.0.0.1");
                assertThat(m.get("test_keys").get("x_surviving")).extracting(JsonNode::asText)
                        .containsExactly("tcp/" + tcp, "udp/" + udp, "quic/" + udp);
                assertThat(m.get("test_keys").get("x_verdict").get("status").asText()).isEqualTo("accessible");
            }
        }
        Cli none = run("measure", "--no-control", "portfiltering");
        assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err()).contains("tests.portfiltering.helper is not set");
    }

    @Test
    void anAppTakesNoInputAndAnUnknownNameIsRefusedNamingTheKinds() {
        Cli r = run("measure", "--no-control", "icq");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("'icq' is no kind's input");
        assertThat(run("measure", "--help").out()).contains("telegram", "whatsapp", "signal", "facebook_messenger");
    }
}
