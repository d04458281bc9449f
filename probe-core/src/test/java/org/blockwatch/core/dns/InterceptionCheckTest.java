package org.blockwatch.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.blockwatch.core.archival.InterceptionSignal;
import org.blockwatch.core.archival.InterceptionSignal.Outcome;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.ResolverInterception;
import org.blockwatch.core.archival.ResolverInterception.Status;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;

/**
 * The interception rules at their edges, on loopback: a "foreign" resolver that answers {@code
 * id.server} with its identity and knows a secret name, an "ISP" resolver that answers in its
 * place. Pointing the check at the ISP's server while expecting the foreign one's identity is
 * what a redirected port 53 looks like; {@link InterceptingRelay} does the redirection itself.
 */
class InterceptionCheckTest {
    private static final IdentityQuery FOREIGN_ID = IdentityQuery.chaos("id.server", "res[0-9]+\\.[a-z]{3}\\.foreign\\.test");
    private static final IdentityQuery SECRET = IdentityQuery.secret("k7f2.check.blockwatch.test", "only-our-resolver-knows-this");
    private static final ExecutorService EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();
    private static LoopbackDnsServer foreign;
    private static LoopbackDnsServer isp;
    private static LoopbackDnsServer silent;
    private static LoopbackDnsServer failing;

    @BeforeAll
    static void start() throws Exception {
        foreign = new LoopbackDnsServer()
                .chaos("id.server", "res100.fra.foreign.test")
                .txt("k7f2.check.blockwatch.test", "only-our-resolver-knows-this")
                .address("fixed.blockwatch.test", 300, "192.0.2.53")
                .address("ttl.blockwatch.test", 300, "192.0.2.54");
        isp = new LoopbackDnsServer()
                .chaos("id.server", "unbound-isp-3")
                .address("fixed.blockwatch.test", 3600, "198.51.100.7")
                .address("ttl.blockwatch.test", 86400, "192.0.2.54");
        silent = new LoopbackDnsServer()
                .rule("id.server", DClass.CH, new LoopbackDnsServer.Reply.Silent())
                .rule("fixed.blockwatch.test", DClass.IN, new LoopbackDnsServer.Reply.Silent());
        failing = new LoopbackDnsServer()
                .rule("id.server", DClass.CH, new LoopbackDnsServer.Reply.Code(Rcode.SERVFAIL))
                .rule("fixed.blockwatch.test", DClass.IN, new LoopbackDnsServer.Reply.Code(Rcode.SERVFAIL));
    }

    @AfterAll
    static void stop() throws Exception {
        for (LoopbackDnsServer s : List.of(foreign, isp, silent, failing)) s.close();
    }

    static ResolverInterception run(InterceptionCheck check) {
        StepContext context = StepContext.standalone(Duration.ofMillis(400), Duration.ofSeconds(2), StepListener.NONE);
        return check.run(context, Clock.systemUTC(), EXECUTOR);
    }

    private static InterceptionSignal.Identity identity(ResolverInterception r) {
        return (InterceptionSignal.Identity) r.signals().stream().filter(s -> s instanceof InterceptionSignal.Identity).findFirst().orElseThrow();
    }

    @Test
    void theForeignResolversOwnIdentityIsNotInterception() {
        ResolverInterception r = run(InterceptionCheck.udp(foreign.resolver()).withIdentity(FOREIGN_ID));
        assertThat(r.status()).isEqualTo(Status.NOT_INTERCEPTED);
        assertThat(r.resolverAddress()).isEqualTo(foreign.address());
        assertThat(r.engine()).isEqualTo("udp");
        assertThat(identity(r).outcome()).isEqualTo(Outcome.MATCH);
        assertThat(identity(r).answers()).containsExactly("res100.fra.foreign.test");
        assertThat(identity(r).query()).isEqualTo("id.server CH TXT");
    }

    @Test
    void anotherResolversIdentityWhereTheForeignOnesIsExpectedIsInterception() {
        ResolverInterception r = run(InterceptionCheck.udp(isp.resolver()).withIdentity(FOREIGN_ID));
        assertThat(r.status()).isEqualTo(Status.INTERCEPTED);
        assertThat(identity(r).outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(identity(r).answers()).containsExactly("unbound-isp-3");
        assertThat(identity(r).rcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void aQueryRedirectedOnTheWayIsInterceptionThoughItsAnswerComesFromTheForeignAddress() throws Exception {
        try (InterceptingRelay redirect = new InterceptingRelay(isp.resolver().socketAddress())) {
            ResolverInterception r = run(InterceptionCheck.udp(redirect.resolver()).withIdentity(FOREIGN_ID));
            assertThat(r.status()).isEqualTo(Status.INTERCEPTED);
            assertThat(r.resolverAddress()).isEqualTo(redirect.resolver().toString());
            assertThat(identity(r).answers()).containsExactly("unbound-isp-3");
        }
    }

    @Test
    void aResolverThatDoesNotPlayAlongIsNotTheForeignOne() {
        // The ISP's resolver refuses CHAOS, or knows nothing of the secret name: the honest one answers both.
        ResolverInterception refused = run(InterceptionCheck.udp(isp.resolver())
                .withIdentity(IdentityQuery.chaos("hostname.bind", "res[0-9]+\\.foreign\\.test")));
        assertThat(refused.status()).isEqualTo(Status.INTERCEPTED);
        assertThat(identity(refused).rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(identity(refused).failure()).isEqualTo(Failure.DNS_NXDOMAIN);

        assertThat(run(InterceptionCheck.udp(isp.resolver()).withIdentity(SECRET)).status()).isEqualTo(Status.INTERCEPTED);
        assertThat(run(InterceptionCheck.udp(foreign.resolver()).withIdentity(SECRET)).status()).isEqualTo(Status.NOT_INTERCEPTED);
    }

    @Test
    void anUnansweredIdentityQueryFlagsNothing() {
        // Nothing answered in the resolver's name: the path blocks it, or loses the query. Blocking is not interception.
        ResolverInterception lost = run(InterceptionCheck.udp(silent.resolver()).withIdentity(FOREIGN_ID));
        assertThat(lost.status()).isEqualTo(Status.UNKNOWN);
        assertThat(identity(lost).outcome()).isEqualTo(Outcome.NO_ANSWER);
        assertThat(identity(lost).failure()).isEqualTo(Failure.GENERIC_TIMEOUT);
        assertThat(identity(lost).rcode()).isNull();
        // SERVFAIL is what the honest resolver says when it fails, too.
        ResolverInterception servfail = run(InterceptionCheck.udp(failing.resolver()).withIdentity(FOREIGN_ID));
        assertThat(servfail.status()).isEqualTo(Status.UNKNOWN);
        assertThat(identity(servfail).failure()).isEqualTo(Failure.DNS_SERVFAIL);
    }

    @Test
    void theIdentityIsAskedOverTcpToo() {
        assertThat(run(InterceptionCheck.tcp(foreign.resolver()).withIdentity(FOREIGN_ID)).status()).isEqualTo(Status.NOT_INTERCEPTED);
        ResolverInterception r = run(InterceptionCheck.tcp(isp.resolver()).withIdentity(FOREIGN_ID));
        assertThat(r.status()).isEqualTo(Status.INTERCEPTED);
        assertThat(r.engine()).isEqualTo("tcp");
    }

    @Test
    void do53DisagreeingWithTheOperatorsEncryptedResolverIsInterception() {
        FixedResolver doh = FixedResolver.doh("https://dns.foreign.test/dns-query", "fixed.blockwatch.test", "192.0.2.53");
        ResolverInterception honest = run(InterceptionCheck.udp(foreign.resolver()).comparedWith(doh, "fixed.blockwatch.test"));
        assertThat(honest.status()).isEqualTo(Status.NOT_INTERCEPTED);
        InterceptionSignal.Comparison agree = (InterceptionSignal.Comparison) honest.signals().get(0);
        assertThat(agree.outcome()).isEqualTo(Outcome.AGREE);
        assertThat(agree.encryptedResolver()).isEqualTo("https://dns.foreign.test/dns-query");

        ResolverInterception lied = run(InterceptionCheck.udp(isp.resolver()).comparedWith(doh, "fixed.blockwatch.test"));
        assertThat(lied.status()).isEqualTo(Status.INTERCEPTED);
        InterceptionSignal.Comparison disagree = (InterceptionSignal.Comparison) lied.signals().get(0);
        assertThat(disagree.outcome()).isEqualTo(Outcome.DISAGREE);
        assertThat(disagree.do53Addresses()).containsExactly("198.51.100.7");
        assertThat(disagree.encryptedAddresses()).containsExactly("192.0.2.53");

        // NXDOMAIN over Do53 for a name the operator resolves is someone else's answer too.
        FixedResolver knowsMore = FixedResolver.doh("https://dns.foreign.test/dns-query", "only-doh.blockwatch.test", "192.0.2.60");
        ResolverInterception nx = run(InterceptionCheck.udp(foreign.resolver()).comparedWith(knowsMore, "only-doh.blockwatch.test"));
        assertThat(nx.status()).isEqualTo(Status.INTERCEPTED);
        assertThat(((InterceptionSignal.Comparison) nx.signals().get(0)).do53Failure()).isEqualTo(Failure.DNS_NXDOMAIN);
    }

    @Test
    void aComparisonWithNothingOnOneSideTellsNothing() {
        FixedResolver dohFails = FixedResolver.doh("https://dns.foreign.test/dns-query", "another.test", "192.0.2.1");
        ResolverInterception noEncrypted = run(InterceptionCheck.udp(isp.resolver()).comparedWith(dohFails, "fixed.blockwatch.test"));
        assertThat(noEncrypted.status()).isEqualTo(Status.UNKNOWN);
        assertThat(((InterceptionSignal.Comparison) noEncrypted.signals().get(0)).encryptedFailure()).isEqualTo(Failure.DNS_NXDOMAIN);

        FixedResolver doh = FixedResolver.doh("https://dns.foreign.test/dns-query", "fixed.blockwatch.test", "192.0.2.53");
        assertThat(run(InterceptionCheck.udp(silent.resolver()).comparedWith(doh, "fixed.blockwatch.test")).status()).isEqualTo(Status.UNKNOWN);
        assertThat(run(InterceptionCheck.udp(failing.resolver()).comparedWith(doh, "fixed.blockwatch.test")).status()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void aTtlAboveTheAuthoritativeOneIsRecordedButFlagsNothing() {
        ResolverInterception clamped = run(InterceptionCheck.udp(isp.resolver()).withTtl("ttl.blockwatch.test", 300));
        InterceptionSignal.Ttl ttl = (InterceptionSignal.Ttl) clamped.signals().get(0);
        assertThat(ttl.outcome()).isEqualTo(Outcome.ABOVE);
        assertThat(ttl.ttl()).isEqualTo(86400L);
        assertThat(clamped.status()).isEqualTo(Status.UNKNOWN);

        ResolverInterception honest = run(InterceptionCheck.udp(foreign.resolver()).withIdentity(FOREIGN_ID).withTtl("ttl.blockwatch.test", 300));
        assertThat(honest.status()).isEqualTo(Status.NOT_INTERCEPTED);
        assertThat(honest.signals()).anySatisfy(s -> assertThat(s.outcome()).isEqualTo(Outcome.WITHIN));
    }

    @Test
    void anIdentityAnswerCarryingTheProbesNetworkIsNeverKept() throws Exception {
        // Google's o-o.myaddr.l.google.com TXT: the resolver's egress, and the probe's /24 by edns-client-subnet.
        try (LoopbackDnsServer google = new LoopbackDnsServer()
                .txt("o-o.myaddr.l.google.com", "172.253.4.5", "edns0-client-subnet 203.0.113.0/24")) {
            IdentityQuery myaddr = new IdentityQuery("o-o.myaddr.l.google.com", DClass.IN, org.xbill.DNS.Type.TXT,
                    java.util.regex.Pattern.compile("172\\.253\\.[0-9.]+"));
            ResolverInterception r = run(InterceptionCheck.udp(google.resolver()).withIdentity(myaddr));
            assertThat(r.status()).isEqualTo(Status.NOT_INTERCEPTED);
            assertThat(identity(r).answers()).containsExactly("172.253.4.5");
            String json = MeasurementJson.mapper().writeValueAsString(r);
            assertThat(json).doesNotContain("203.0.113").doesNotContain("client-subnet");
        }
        assertThat(InterceptionCheck.kept(List.of("2001:db8:1::/48", "res1.ams", "x".repeat(300))))
                .containsExactly("res1.ams", "x".repeat(InterceptionCheck.KEPT_LENGTH));
    }

    @Test
    void theRecordSaysWhichResolverWhatWasAskedAndWhatCameBack() throws Exception {
        ResolverInterception r = run(InterceptionCheck.udp(isp.resolver()).withIdentity(FOREIGN_ID));
        var json = MeasurementJson.mapper().valueToTree(r);
        assertThat(json.get("resolver_address").asText()).isEqualTo(isp.address());
        assertThat(json.get("engine").asText()).isEqualTo("udp");
        assertThat(json.get("status").asText()).isEqualTo("intercepted");
        assertThat(json.get("checked_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        var signal = json.get("signals").get(0);
        assertThat(signal.get("kind").asText()).isEqualTo("identity");
        assertThat(signal.get("outcome").asText()).isEqualTo("mismatch");
        assertThat(signal.get("expected").asText()).isEqualTo(FOREIGN_ID.expected().pattern());
    }

    @Test
    void badConfigurationIsRefusedByName() {
        assertThatThrownBy(() -> IdentityQuery.chaos("id.server", "res[0-9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id.server").hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> IdentityQuery.secret("secret.test", "")).hasMessageContaining("secret value is empty");
        assertThatThrownBy(() -> new IdentityQuery("id.server", DClass.HS, org.xbill.DNS.Type.TXT, java.util.regex.Pattern.compile("x")))
                .hasMessageContaining("class must be CH or IN");
        assertThatThrownBy(() -> new DnsInterception(List.of(InterceptionCheck.udp(isp.resolver())), Duration.ofSeconds(1)))
                .hasMessageContaining(isp.address()).hasMessageContaining("no identity query");
        InterceptionCheck once = InterceptionCheck.udp(isp.resolver()).withIdentity(FOREIGN_ID);
        assertThatThrownBy(() -> new DnsInterception(List.of(once, once.withIdentity(SECRET)), Duration.ofSeconds(1)))
                .hasMessageContaining("two interception checks of udp " + isp.address());
        assertThatThrownBy(() -> InterceptionCheck.udp(isp.resolver()).comparedWith(null, "x.test")).hasMessageContaining("no encrypted resolver");
    }
}
