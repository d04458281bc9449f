package org.blockwatch.core.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.tcp.DirectSocketFactory;
import org.blockwatch.core.tls.TlsClient;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.sim.CertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Each wire resolver against one loopback resolver served over UDP, TCP, DoT and DoH: what it asks, answers and records. */
class WireResolversTest {
    static final CertificateAuthority CA = CertificateAuthority.root("CN=blockwatch resolver test root");
    static LoopbackResolver server;
    static int udp, tcp, dot, doh, closed;
    static ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    static Resolvers.Setup setup;
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @BeforeAll
    static void start() throws Exception {
        server = new LoopbackResolver(LoopbackResolver.answering(Map.of("example.org", List.of("192.0.2.1", "2001:db8::1"),
                "dns.test", List.of("127.0.0.1")), "honest-resolver-1"));
        var tls = CA.issue("dns.test", "127.0.0.1").serverContext();
        udp = server.udp();
        tcp = server.tcp();
        dot = server.dot(tls);
        doh = server.doh(tls, "/dns-query");
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closed = s.getLocalPort();
        }
        setup = new Resolvers.Setup(DirectSocketFactory.INSTANCE, new TlsClient(TrustRoots.jdkPlus(List.of(CA.certificate()))), executor,
                Duration.ofMillis(50));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        executor.shutdownNow();
    }

    static StepContext context() {
        return StepContext.standalone(Duration.ofSeconds(3), Duration.ofSeconds(20), StepListener.NONE);
    }

    static WireResolver at(String url) {
        return Resolvers.at(ResolverUrl.parse(url), LOOPBACK, setup);
    }

    static void answersExampleOrg(WireResolver.Traced t, String engine, String address) {
        assertThat(t.lookup().failure()).isNull();
        assertThat(t.failedOperation()).isNull();
        assertThat(t.answered()).isTrue();
        List<DnsQuery> q = t.lookup().queries();
        assertThat(q).extracting(DnsQuery::queryType).containsExactly("A", "AAAA");
        assertThat(q).extracting(DnsQuery::engine).containsOnly(engine);
        assertThat(q).extracting(DnsQuery::resolverAddress).containsOnly(address);
        assertThat(q.get(0).addresses()).containsExactly("192.0.2.1");
        assertThat(q.get(1).addresses()).containsExactly("2001:db8:0:0:0:0:0:1");
        assertThat(q.get(0).transactionId()).isNotEqualTo(q.get(1).transactionId());
    }

    @Test
    void udpAsksOneDatagramPerQueryAndRecordsNoConnection() {
        WireResolver r = at("udp://127.0.0.1:" + udp);
        WireResolver.Traced t = r.trace("example.org", context());
        answersExampleOrg(t, "udp", "127.0.0.1:" + udp);
        assertThat(t.transcript()).isEqualTo(Transcript.EMPTY);
    }

    @Test
    void tcpConnectsOncePerQueryAndRecordsTheConnectAndTheBytes() {
        int before = server.count("tcp");
        WireResolver.Traced t = at("tcp://127.0.0.1:" + tcp).trace("example.org", context());
        answersExampleOrg(t, "tcp", "127.0.0.1:" + tcp);
        assertThat(server.count("tcp") - before).isEqualTo(2);
        assertThat(t.transcript().tcpConnect()).hasSize(2).allSatisfy(c -> {
            assertThat(c.success()).isTrue();
            assertThat(c.port()).isEqualTo(tcp);
        });
        assertThat(t.transcript().tlsHandshakes()).isEmpty();
        assertThat(t.transcript().networkEvents()).extracting(e -> e.operation()).containsOnly("connect", "write", "read");
        assertThat(t.transcript().networkEvents()).filteredOn(e -> e.operation().equals("write"))
                .allSatisfy(e -> assertThat(e.numBytes()).isEqualTo(2L + 29)); // length prefix and the query for example.org
    }

    @Test
    void dotSendsTheResolversNameAsSniAndRecordsTheChainAsSent() {
        WireResolver.Traced t = at("dot://dns.test:" + dot).trace("example.org", context());
        answersExampleOrg(t, "dot", "127.0.0.1:" + dot);
        assertThat(t.transcript().tlsHandshakes()).hasSize(2).allSatisfy(h -> {
            assertThat(h.failure()).isNull();
            assertThat(h.serverName()).isEqualTo("dns.test");
            assertThat(h.address()).isEqualTo("127.0.0.1:" + dot);
            assertThat(h.peerCertificates()).hasSize(1);
            assertThat(h.trustAnchor()).isNotNull();
            assertThat(h.alpn()).isEmpty();
        });
        assertThat(t.transcript().networkEvents()).extracting(e -> e.operation())
                .contains("connect", "tls_handshake_start", "tls_handshake_done", "write", "read");
    }

    @Test
    void dotAtAnAddressAloneSendsNoSniAndTheCertificateMustBeValidForTheAddress() {
        WireResolver.Traced t = at("dot://127.0.0.1:" + dot).trace("example.org", context());
        answersExampleOrg(t, "dot", "127.0.0.1:" + dot);
        assertThat(t.transcript().tlsHandshakes()).extracting(TlsHandshake::serverName).containsOnly("");
    }

    @Test
    void dotWhoseCertificateIsNotTheNamesFailsInTheHandshakeAndAsksNothing() {
        int before = server.count("dot");
        WireResolver.Traced t = at("dot://other.test:" + dot).trace("example.org", context());
        assertThat(t.lookup().failure()).isEqualTo(Failure.SSL_INVALID_HOSTNAME);
        assertThat(t.failedOperation()).isEqualTo(Operation.TLS_HANDSHAKE);
        assertThat(t.answered()).isFalse();
        assertThat(t.transcript().tlsHandshakes()).extracting(TlsHandshake::failure).containsOnly(Failure.SSL_INVALID_HOSTNAME);
        assertThat(t.transcript().tlsHandshakes().get(0).peerCertificates()).isNotEmpty(); // kept though rejected
        assertThat(t.lookup().queries()).extracting(DnsQuery::rcode).containsOnlyNulls();
        assertThat(server.count("dot")).isEqualTo(before);
    }

    @Test
    void dohPostsTheMessageWithTheNameAsSniAndHostAndRecordsTheRoundTrip() {
        WireResolver r = at("https://dns.test:" + doh + "/dns-query");
        assertThat(r.address()).isEqualTo("https://127.0.0.1:" + doh + "/dns-query");
        WireResolver.Traced t = r.trace("example.org", context());
        answersExampleOrg(t, "doh", "https://127.0.0.1:" + doh + "/dns-query");
        assertThat(t.transcript().tlsHandshakes()).extracting(TlsHandshake::serverName).containsOnly("dns.test");
        assertThat(t.transcript().tlsHandshakes()).extracting(TlsHandshake::negotiatedProtocol).containsOnly("http/1.1");
        assertThat(t.transcript().requests()).hasSize(2).allSatisfy(h -> {
            assertThat(h.failure()).isNull();
            assertThat(h.request().method()).isEqualTo("POST");
            assertThat(h.request().url()).isEqualTo("https://dns.test:" + doh + "/dns-query");
            assertThat(h.request().headersList().first("Host")).isEqualTo("dns.test:" + doh);
            assertThat(h.request().headersList().first("Content-Type")).isEqualTo("application/dns-message");
            assertThat(h.response().code()).isEqualTo(200);
            assertThat(h.response().body().length()).isPositive();
        });
    }

    @Test
    void aDohServerThatDoesNotAnswerWithADnsMessageMisbehaves() {
        WireResolver.Traced t = at("https://dns.test:" + doh + "/elsewhere").trace("example.org", context());
        assertThat(t.lookup().failure()).isEqualTo(Failure.DNS_SERVER_MISBEHAVING);
        assertThat(t.answered()).isFalse();
        assertThat(t.transcript().requests()).extracting(h -> h.response().code()).containsOnly(404);
    }

    @Test
    void aRefusedConnectIsTheLookupsFailureInTheConnect() {
        WireResolver.Traced t = at("dot://dns.test:" + closed).trace("example.org", context());
        assertThat(t.lookup().failure()).isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(t.failedOperation()).isEqualTo(Operation.CONNECT);
        assertThat(t.transcript().tcpConnect()).extracting(c -> c.failure()).containsOnly(Failure.CONNECTION_REFUSED);
        assertThat(t.transcript().tlsHandshakes()).isEmpty();
    }

    @Test
    void anyMessageGoesOverEveryTransportAsOneStep() throws Exception {
        Message identity = Message.newQuery(Record.newRecord(Name.fromString("id.server."), Type.TXT, DClass.CH));
        for (String url : List.of("udp://127.0.0.1:" + udp, "tcp://127.0.0.1:" + tcp, "dot://dns.test:" + dot, "https://dns.test:" + doh + "/dns-query")) {
            java.util.List<StepKind> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
            StepContext context = StepContext.standalone(Duration.ofSeconds(3), Duration.ofSeconds(20), new StepListener() {
                @Override
                public void started(StepKind step, String subject) {
                    steps.add(step);
                }
            });
            DnsExchange e = at(url).exchange(identity, context);
            assertThat(e.answered()).as(url).isTrue();
            TXTRecord txt = (TXTRecord) e.response().getSection(Section.ANSWER).get(0);
            assertThat(txt.getStrings()).as(url).containsExactly("honest-resolver-1");
            assertThat(steps).as(url).filteredOn(s -> s == StepKind.DNS).hasSize(1);
        }
    }

    @Test
    void aResolverGivenByNameIsBootstrappedAndTheBootstrapIsRecorded() {
        DnsResolver bootstrap = at("udp://127.0.0.1:" + udp);
        DnsResolver r = Resolvers.open(ResolverUrl.parse("dot://dns.test:" + dot), setup, bootstrap);
        assertThat(r.address()).isEqualTo("dot://dns.test:" + dot);
        DnsResolver.Lookup l = r.lookup("example.org", context());
        assertThat(l.failure()).isNull();
        assertThat(l.queries()).extracting(DnsQuery::hostname).containsExactly("dns.test", "dns.test", "example.org", "example.org");
        assertThat(l.queries()).extracting(DnsQuery::engine).containsExactly("udp", "udp", "dot", "dot");
        assertThat(l.queries().get(2).addresses()).containsExactly("192.0.2.1");
    }

    @Test
    void aNameThatDoesNotResolveFailsTheLookupWithTheBootstrapsFailure() {
        DnsResolver r = Resolvers.open(ResolverUrl.parse("dot://nowhere.test:" + dot), setup, at("udp://127.0.0.1:" + udp));
        DnsResolver.Lookup l = r.lookup("example.org", context());
        assertThat(l.failure()).isEqualTo(Failure.DNS_NXDOMAIN);
        assertThat(l.queries()).extracting(DnsQuery::hostname).containsOnly("nowhere.test");
    }

    @Test
    void anAddressInTheUrlNeedsNoBootstrap() {
        DnsResolver r = Resolvers.open(ResolverUrl.parse("tcp://127.0.0.1:" + tcp), setup);
        assertThat(r).isInstanceOf(TcpResolver.class);
        assertThat(r.lookup("example.org", context()).failure()).isNull();
    }
}
