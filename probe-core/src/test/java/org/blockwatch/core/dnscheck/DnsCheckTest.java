package org.blockwatch.core.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.blockwatch.core.archival.MeasurementUid;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.control.wire.ResolverCheck;
import org.blockwatch.core.dns.DnsResolver;
import org.blockwatch.core.dns.LoopbackResolver;
import org.blockwatch.core.dns.ResolverUrl;
import org.blockwatch.core.dns.Resolvers;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.Nettests;
import org.blockwatch.core.nettest.OoniDocument;
import org.blockwatch.core.nettest.Reach;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.tls.TlsClient;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.sim.CensoredPath;
import org.blockwatch.sim.CertificateAuthority;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.Fault;
import org.blockwatch.sim.FaultServer;
import org.blockwatch.sim.SimDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dnscheck in a loopback world: an honest resolver ("dns.test", at 127.100.9.1) over UDP, TCP, DoT
 * and DoH, a lying one behind a transparent proxy, a censor's paths (an address refused, a name
 * reset in the ClientHello, any handshake reset), and a control that makes the same lookups over
 * the open path ({@link ResolverCheckRunner}, what the helper runs). Every record is validated
 * against docs/ooni-measurement.schema.json.
 */
class DnsCheckTest {
    static final CertificateAuthority CA = CertificateAuthority.root("CN=blockwatch dnscheck test root");
    static final String RESOLVER_IP = "127.100.9.1";
    static final String HONEST = "192.0.2.1";
    static final ProbeInfo PROBE = new ProbeInfo("AS9198", "KZ", "KazakhTelecom", "blockwatch", "test");
    static LoopbackResolver honest, liar, localDns, outsideDns;
    static SimDnsServer injected;
    static SniResetProxy sniCensor;
    static FaultServer resetAll;
    static int udp, liarUdp, closed, dot;
    static CensoredPath open;
    static TlsClient tls;
    static ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    static DnsResolver probeBootstrap, controlBootstrap;
    static Schema schema;

    @BeforeAll
    static void world() throws Exception {
        Map<String, List<String>> names = Map.of("example.org", List.of(HONEST, "2001:db8::1"), "example.com", List.of("192.0.2.2"));
        honest = new LoopbackResolver(LoopbackResolver.answering(names, "honest-1.fra"));
        liar = new LoopbackResolver(LoopbackResolver.answering(Map.of("example.org", List.of("10.10.34.35")), "isp-box"));
        var context = CA.issue("dns.test", "censored-name.test", "127.0.0.1", RESOLVER_IP).serverContext();
        udp = honest.udp();
        liarUdp = liar.udp();
        dot = honest.dot(context);
        open = new CensoredPath().detour(RESOLVER_IP, 853, dot).detour(RESOLVER_IP, 443, honest.doh(context, "/dns-query"))
                .detour(RESOLVER_IP, 53, honest.tcp());
        localDns = new LoopbackResolver(LoopbackResolver.answering(Map.of("dns.test", List.of(RESOLVER_IP)), null));
        outsideDns = new LoopbackResolver(LoopbackResolver.answering(Map.of("dns.test", List.of(RESOLVER_IP), "censored-name.test", List.of(RESOLVER_IP)), null));
        tls = new TlsClient(TrustRoots.jdkPlus(List.of(CA.certificate())));
        probeBootstrap = Resolvers.at(ResolverUrl.parse("udp://127.0.0.1:" + localDns.udp()), InetAddress.getLoopbackAddress(), setup(open));
        controlBootstrap = Resolvers.at(ResolverUrl.parse("udp://127.0.0.1:" + outsideDns.udp()), InetAddress.getLoopbackAddress(), setup(open));
        injected = new SimDnsServer().on("example.org", new DnsBehaviour.Race(DnsBehaviour.answer("10.66.0.1"), DnsBehaviour.answer(HONEST),
                Duration.ofMillis(20)));
        sniCensor = new SniResetProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), dot), "dns.test");
        resetAll = new FaultServer(Fault.RESET_ON_FIRST_DATA);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (InputStream in = Files.newInputStream(Path.of("../docs/ooni-measurement.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable c : List.<AutoCloseable>of(honest, liar, localDns, outsideDns, injected, sniCensor, resetAll)) c.close();
        executor.shutdownNow();
    }

    static Resolvers.Setup setup(CensoredPath path) {
        return new Resolvers.Setup(path, tls, executor, Duration.ofMillis(100));
    }

    /** The control: the same lookups over the open path, with the outside's resolver for the bootstrap. */
    static DnsCheckControl control() {
        ResolverCheckRunner runner = new ResolverCheckRunner(setup(open), controlBootstrap, ip -> true, Duration.ofSeconds(2));
        return (url, domains) -> new DnsCheckControl.Answer(runner.run(new ResolverCheck.Request(url.text(), domains)), null, "https://helper.test/");
    }

    static DnsCheck kind(CensoredPath probePath, DnsCheckControl control, DnsCheck.Settings settings) {
        return new DnsCheck(setup(probePath), Duration.ofSeconds(2), StepListener.NONE, control, probeBootstrap, settings);
    }

    static DnsCheckResult measure(DnsCheck kind, String input) {
        Measurement m = Nettests.measure(kind, input);
        assertThat(m.result()).isInstanceOf(DnsCheckResult.class);
        ObjectNode doc = OoniDocument.tree(m, PROBE, new OoniDocument.Place(Report.open(m.result().startTime(), m.testName(), "KZ", "AS9198"),
                MeasurementUid.next(m.result().startTime(), "KZ", "dnscheck"), null), ProbeAddressScrubber.NONE);
        assertThat(schema.validate(doc)).as("schema errors of %s", doc).isEmpty();
        return (DnsCheckResult) m.result();
    }

    static JsonNode keys(DnsCheckResult r) {
        return r.testKeys(PROBE);
    }

    static void verdict(DnsCheckResult r, Verdict.Status status, Verdict.Method method, String... flags) {
        assertThat(r.verdict().status()).as(r.verdict().explanation()).isEqualTo(status);
        assertThat(r.verdict().method()).as(r.verdict().explanation()).isEqualTo(method);
        assertThat(r.verdict().flags()).as(r.verdict().explanation()).containsExactlyInAnyOrder(flags);
    }

    @Test
    void aReachableResolverOverEachProtocolIsAccessibleWithOonisKeys() {
        DnsCheck kind = kind(open, control(), DnsCheck.Settings.DEFAULT);
        Map<String, String> inputs = Map.of(
                "udp://127.0.0.1:" + udp, "udp",
                "tcp://dns.test", "tcp",
                "dot://dns.test", "dot",
                "https://dns.test/dns-query", "doh");
        for (var e : inputs.entrySet()) {
            DnsCheckResult r = measure(kind, e.getKey());
            verdict(r, Verdict.Status.ACCESSIBLE, null);
            assertThat(r.reach()).isEqualTo(new Reach(Reach.Control.ANSWERED, true));
            JsonNode k = keys(r);
            assertThat(k.get("domain").asText()).isEqualTo("example.org");
            assertThat(k.get("x_default_addrs").asText()).isEmpty();
            assertThat(k.get("x_residual").asBoolean()).isFalse();
            assertThat(k.get("bootstrap_failure").isNull()).isTrue();
            JsonNode lookups = k.get("lookups");
            assertThat(lookups.size()).as(e.getKey()).isEqualTo(1);
            JsonNode lookup = lookups.elements().next();
            assertThat(lookup.get("agent").asText()).isEqualTo("redirect");
            assertThat(lookup.get("failure").isNull()).isTrue();
            assertThat(lookup.get("queries")).hasSize(2).allSatisfy(q -> assertThat(q.get("engine").asText()).isEqualTo(e.getValue()));
            assertThat(lookup.get("queries").get(0).get("answers").get(0).get("ipv4").asText()).isEqualTo(HONEST);
            if (e.getValue().equals("udp")) {
                assertThat(k.get("bootstrap").isNull()).as("an address needs no bootstrap").isTrue();
                assertThat(lookup.get("tcp_connect").isNull()).isTrue();
            } else {
                assertThat(k.get("bootstrap").get("queries").get(0).get("hostname").asText()).isEqualTo("dns.test");
                assertThat(lookup.get("tcp_connect")).hasSize(2);
            }
            if (e.getValue().equals("dot") || e.getValue().equals("doh")) {
                assertThat(lookup.get("tls_handshakes")).hasSize(2).allSatisfy(h -> assertThat(h.get("server_name").asText()).isEqualTo("dns.test"));
            }
            assertThat(e.getValue().equals("doh") ? lookup.get("requests").size() : 0).isEqualTo(e.getValue().equals("doh") ? 2 : 0);
        }
        assertThat(keys(measure(kind, "dot://dns.test")).get("lookups").fieldNames().next()).isEqualTo("dot://" + RESOLVER_IP);
        assertThat(keys(measure(kind, "https://dns.test/dns-query")).get("lookups").fieldNames().next())
                .isEqualTo("https://" + RESOLVER_IP + "/dns-query");
    }

    @Test
    void aResolverWhoseAddressIsRefusedHereButNotToTheControlIsBlockedByAddress() {
        CensoredPath censored = new CensoredPath(open).detour(RESOLVER_IP, 853, closed);
        DnsCheckResult r = measure(kind(censored, control(), DnsCheck.Settings.DEFAULT), "dot://dns.test");
        verdict(r, Verdict.Status.BLOCKED, Verdict.Method.TCP_IP, "ip_blocked");
        JsonNode lookup = keys(r).get("lookups").get("dot://" + RESOLVER_IP);
        assertThat(lookup.get("failure").asText()).isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(lookup.get("failed_operation").asText()).isEqualTo("connect");
        assertThat(lookup.get("tls_handshakes").isNull()).isTrue();
        assertThat(r.reach()).isEqualTo(new Reach(Reach.Control.ANSWERED, false));
    }

    @Test
    void aResolverWhoseNameIsResetInTheHandshakeWhileNoNamePassesIsBlockedBySni() {
        CensoredPath censored = new CensoredPath(open).detour(RESOLVER_IP, 853, sniCensor.port());
        DnsCheckResult r = measure(kind(censored, control(), DnsCheck.Settings.DEFAULT), "dot://dns.test");
        verdict(r, Verdict.Status.BLOCKED, Verdict.Method.TLS, "sni_blocked");
        JsonNode lookup = keys(r).get("lookups").get("dot://" + RESOLVER_IP);
        assertThat(lookup.get("failed_operation").asText()).isEqualTo("tls_handshake");
        assertThat(lookup.get("failure").asText()).isEqualTo(Failure.CONNECTION_RESET);
        JsonNode comparison = lookup.get("x_sni_comparison").get("tls_handshake");
        assertThat(comparison.get("server_name").asText()).isEmpty();
        assertThat(comparison.get("failure").isNull()).isTrue();
    }

    @Test
    void aResolverWhoseEveryHandshakeIsResetIsBlockedByTlsWithoutTheSniFlag() {
        CensoredPath censored = new CensoredPath(open).detour(RESOLVER_IP, 443, resetAll.port());
        DnsCheckResult r = measure(kind(censored, control(), DnsCheck.Settings.DEFAULT), "https://dns.test/dns-query");
        verdict(r, Verdict.Status.BLOCKED, Verdict.Method.TLS);
        assertThat(keys(r).get("lookups").get("https://" + RESOLVER_IP + "/dns-query").get("x_sni_comparison").get("tls_handshake")
                .get("failure").asText()).isEqualTo(Failure.CONNECTION_RESET);
    }

    @Test
    void answersThatDifferFromTheControlsAreBlockedByDns() throws Exception {
        CensoredPath proxied = new CensoredPath(open).detour(RESOLVER_IP, 53, liar.tcp());
        DnsCheckResult r = measure(kind(proxied, control(), DnsCheck.Settings.DEFAULT), "tcp://dns.test");
        verdict(r, Verdict.Status.BLOCKED, Verdict.Method.DNS);
        assertThat(r.verdict().explanation()).contains("10.10.34.35").contains(HONEST);
    }

    @Test
    void aResolverThatIsNotWhoItShouldBeIsIntercepted() throws Exception {
        DnsCheck.Settings knowing = new DnsCheck.Settings(List.of("example.org"), Map.of("dns.test", Pattern.compile("^honest-"),
                "127.0.0.1", Pattern.compile("^honest-")));
        CensoredPath proxied = new CensoredPath(open).detour(RESOLVER_IP, 53, liar.tcp());
        DnsCheckResult r = measure(kind(proxied, DnsCheckControl.NONE, knowing), "tcp://dns.test");
        verdict(r, Verdict.Status.BLOCKED, Verdict.Method.DNS, "dns_intercepted");
        assertThat(keys(r).get("x_identity").get("answer").asText()).isEqualTo("isp-box");

        DnsCheckResult honestOne = measure(kind(open, DnsCheckControl.NONE, knowing), "tcp://dns.test");
        verdict(honestOne, Verdict.Status.ACCESSIBLE, null);
        assertThat(keys(honestOne).get("x_identity").get("answer").asText()).isEqualTo("honest-1.fra");
        DnsCheckResult overUdp = measure(kind(open, DnsCheckControl.NONE, knowing), "udp://127.0.0.1:" + liarUdp);
        verdict(overUdp, Verdict.Status.BLOCKED, Verdict.Method.DNS, "dns_intercepted");
        assertThat(keys(overUdp).get("x_identity").get("engine").asText()).isEqualTo("udp");
    }

    @Test
    void twoRepliesToOneUdpQueryAreAnInjectionAndKept() {
        DnsCheckResult r = measure(kind(open, DnsCheckControl.NONE, DnsCheck.Settings.DEFAULT), "udp://" + injected.address());
        verdict(r, Verdict.Status.BLOCKED, Verdict.Method.DNS, "dns_intercepted", "dns_injected");
        JsonNode lookup = keys(r).get("lookups").elements().next();
        assertThat(lookup.get("queries").get(0).get("answers").get(0).get("ipv4").asText()).isEqualTo("10.66.0.1");
        assertThat(lookup.get("x_late_replies").get(0).get("answers").get(0).get("ipv4").asText()).isEqualTo(HONEST);
    }

    @Test
    void aResolverThatAnswersNobodyIsDownAndWithoutAControlInconclusive() {
        DnsCheckResult down = measure(kind(open, control(), DnsCheck.Settings.DEFAULT), "dot://127.0.0.1:" + closed);
        verdict(down, Verdict.Status.DOWN, null);
        assertThat(down.reach()).isEqualTo(new Reach(Reach.Control.ANSWERED, false));
        DnsCheckResult unknown = measure(kind(open, DnsCheckControl.NONE, DnsCheck.Settings.DEFAULT), "dot://127.0.0.1:" + closed);
        verdict(unknown, Verdict.Status.INCONCLUSIVE, null);
        assertThat(unknown.reach().nothingAnswered()).isTrue();
        assertThat(keys(unknown).get("x_control_failure").asText()).isEqualTo("no control for dnscheck");
    }

    @Test
    void aResolverWhoseNameDoesNotResolveHereButDoesOutsideIsBlockedByDns() {
        DnsCheckResult r = measure(kind(open, control(), DnsCheck.Settings.DEFAULT), "dot://censored-name.test");
        verdict(r, Verdict.Status.BLOCKED, Verdict.Method.DNS);
        JsonNode k = keys(r);
        assertThat(k.get("bootstrap_failure").asText()).isEqualTo(Failure.DNS_NXDOMAIN);
        assertThat(k.get("lookups").size()).isZero();
        assertThat(k.get("x_control").get("lookups").get(0).get("answered").asBoolean()).isTrue();
    }

    @Test
    void defaultAddrsAreMeasuredWhenTheNameDoesNotResolveAndSeveralNamesAreLookedUp() {
        DnsCheck.Settings two = new DnsCheck.Settings(List.of("example.org", "example.com"), Map.of());
        DnsCheckResult r = measure(kind(open, control(), two), "dot://censored-name.test?tls_server_name=dns.test&default_addrs=" + RESOLVER_IP);
        verdict(r, Verdict.Status.ACCESSIBLE, null);
        JsonNode k = keys(r);
        assertThat(k.get("x_default_addrs").asText()).isEqualTo(RESOLVER_IP);
        assertThat(k.get("x_tls_server_name").asText()).isEqualTo("dns.test");
        assertThat(k.get("x_domains")).hasSize(2);
        assertThat(k.get("lookups").get("dot://" + RESOLVER_IP).get("queries")).extracting(q -> q.get("hostname").asText())
                .containsExactly("example.org", "example.org", "example.com", "example.com");
    }

    @Test
    void whatAMeasurementCosts() {
        DnsCheck kind = kind(open, control(), DnsCheck.Settings.DEFAULT);
        DnsCheckResult udpCheck = measure(kind, "udp://127.0.0.1:" + udp);
        DnsCheckResult dot = measure(kind, "dot://dns.test");
        DnsCheckResult doh = measure(kind, "https://dns.test/dns-query");
        // Two handshakes with their chains, and the queries with their framing, are more than two datagrams.
        assertThat(dot.bytes()).isGreaterThan(udpCheck.bytes() + 2 * 1_500);
        assertThat(doh.bytes()).isGreaterThan(dot.bytes());
        System.out.printf("dnscheck cost on loopback: udp %d B %.3f s, dot %d B %.3f s, doh %d B %.3f s%n", udpCheck.bytes(),
                udpCheck.runtimeSeconds(), dot.bytes(), dot.runtimeSeconds(), doh.bytes(), doh.runtimeSeconds());
    }
}
