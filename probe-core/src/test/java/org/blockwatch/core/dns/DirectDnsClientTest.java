package org.blockwatch.core.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.SimDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class DirectDnsClientTest {
    private static SimDnsServer server;
    private static DirectDnsClient client;

    @BeforeAll
    static void start() throws Exception {
        server = new SimDnsServer()
                .on("ok.test", DnsBehaviour.answer("192.0.2.10", "2001:db8::10"))
                .on("alias.test", new DnsBehaviour.Alias("edge.cdn.test", List.of(DnsBehaviour.ip("192.0.2.20")), 60))
                .on("servfail.test", new DnsBehaviour.Code(Rcode.SERVFAIL))
                .on("refused.test", new DnsBehaviour.Code(Rcode.REFUSED))
                .on("empty.test", new DnsBehaviour.Code(Rcode.NOERROR))
                .on("silent.test", new DnsBehaviour.Silent())
                .on("injected.test", new DnsBehaviour.Race(DnsBehaviour.answer("127.0.0.1"),
                        DnsBehaviour.answer("192.0.2.30"), Duration.ofMillis(50)));
        client = new DirectDnsClient(ResolverAddress.parse(server.address()), Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static DnsResponses query(String host, int type) {
        return client.query(host, type, StepContext.standalone(Duration.ofMillis(800), Duration.ofSeconds(10), StepListener.NONE));
    }

    @Test
    void recordsAnswersWithTtlRcodeAndResolver() {
        DnsQuery a = query("ok.test", Type.A).first();
        assertThat(a.failure()).isNull();
        assertThat(a.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(a.engine()).isEqualTo("udp");
        assertThat(a.queryType()).isEqualTo("A");
        assertThat(a.resolverAddress()).isEqualTo(server.address());
        assertThat(a.answers()).containsExactly(DnsAnswer.a("192.0.2.10", 300L));
        assertThat(a.t()).isGreaterThanOrEqualTo(a.t0());

        DnsQuery aaaa = query("ok.test", Type.AAAA).first();
        assertThat(aaaa.queryType()).isEqualTo("AAAA");
        assertThat(aaaa.addresses()).containsExactly("2001:db8:0:0:0:0:0:10");
    }

    @Test
    void recordsCnamesBeforeTheAddresses() {
        DnsQuery q = query("alias.test", Type.A).first();
        assertThat(q.answers()).containsExactly(DnsAnswer.cname("edge.cdn.test.", 60L), DnsAnswer.a("192.0.2.20", 60L));
    }

    @Test
    void nxdomain() {
        DnsQuery q = query("nothing-here.test", Type.A).first();
        assertThat(q.failure()).isEqualTo(Failure.DNS_NXDOMAIN);
        assertThat(q.rcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void servfail() {
        assertThat(query("servfail.test", Type.A).first().failure()).isEqualTo(Failure.DNS_SERVFAIL);
    }

    @Test
    void refused() {
        assertThat(query("refused.test", Type.A).first().failure()).isEqualTo(Failure.DNS_REFUSED);
    }

    @Test
    void noerrorWithoutAnswers() {
        DnsQuery q = query("empty.test", Type.A).first();
        assertThat(q.failure()).isEqualTo(Failure.DNS_NO_ANSWER);
        assertThat(q.rcode()).isEqualTo(Rcode.NOERROR);
        // An IPv4-only name: AAAA has no answer either, told apart from NXDOMAIN.
        assertThat(query("ok.test", Type.AAAA).first().failure()).isNull();
    }

    @Test
    void timeoutWhenNothingAnswers() {
        DnsResponses r = query("silent.test", Type.A);
        assertThat(r.first().failure()).isEqualTo(Failure.GENERIC_TIMEOUT);
        assertThat(r.first().rcode()).isNull();
        assertThat(r.late()).isEmpty();
    }

    @Test
    void twoAnswersToOneQueryAreBothRecordedForgedFirst() {
        DnsResponses r = query("injected.test", Type.A);
        assertThat(r.first().addresses()).containsExactly("127.0.0.1");
        assertThat(r.late()).hasSize(1);
        assertThat(r.late().get(0).addresses()).containsExactly("192.0.2.30");
        assertThat(r.late().get(0).transactionId()).isEqualTo(r.first().transactionId());
        assertThat(r.late().get(0).t()).isGreaterThanOrEqualTo(r.first().t());
    }

    @Test
    void directFailureOfAnIpv4OnlyNameIsNone() {
        DnsQuery a = query("ok.test", Type.A).first();
        DnsQuery aaaaEmpty = query("empty.test", Type.AAAA).first();
        assertThat(UdpResolver.failure(a, aaaaEmpty)).isNull();
        DnsQuery nx = query("nothing-here.test", Type.A).first();
        assertThat(UdpResolver.failure(nx, nx)).isEqualTo(Failure.DNS_NXDOMAIN);
    }
}
