package org.blockwatch.core.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

/** The pure decisions of dnscheck: {@link ResolverVerdict} and {@link Interception}. */
class ResolverVerdictTest {
    static final ResolverVerdict.Control OUTSIDE_OK = new ResolverVerdict.Control(true, null, true, true, Set.of("192.0.2.1"));
    static final ResolverVerdict.Control OUTSIDE_FAILED = new ResolverVerdict.Control(true, null, true, false, Set.of());
    static final ResolverVerdict.Control NO_CONTROL = ResolverVerdict.Control.none("no control for dnscheck");

    static ResolverVerdict.Endpoint answered(String... ips) {
        return new ResolverVerdict.Endpoint("dot://192.0.2.53", true, null, null, Set.of(ips), null);
    }

    static ResolverVerdict.Endpoint failed(Operation op, String failure, Boolean withoutName) {
        return new ResolverVerdict.Endpoint("dot://192.0.2.53", false, failure, op, Set.of(), withoutName);
    }

    static Verdict decide(boolean udp, ResolverVerdict.Control control, ResolverVerdict.Endpoint... endpoints) {
        return ResolverVerdict.decide(new ResolverVerdict.Facts("dot://dns.test", udp, endpoints.length == 0 ? Failure.DNS_NXDOMAIN : null,
                List.of(endpoints), Optional.empty(), control));
    }

    @Test
    void answersLikeTheControlsAreAccessibleAndOthersBlockedByDns() {
        assertThat(decide(false, OUTSIDE_OK, answered("192.0.2.1")).status()).isEqualTo(Status.ACCESSIBLE);
        Verdict altered = decide(false, OUTSIDE_OK, answered("10.0.0.1"));
        assertThat(altered.status()).isEqualTo(Status.BLOCKED);
        assertThat(altered.method()).isEqualTo(Method.DNS);
        Verdict none = decide(false, OUTSIDE_OK, new ResolverVerdict.Endpoint("k", true, Failure.DNS_NXDOMAIN, Operation.RESOLVE, Set.of(), null));
        assertThat(none.method()).isEqualTo(Method.DNS);
        // One address of several that answers honestly is enough.
        assertThat(decide(false, OUTSIDE_OK, failed(Operation.CONNECT, Failure.HOST_UNREACHABLE, null), answered("192.0.2.1")).status())
                .isEqualTo(Status.ACCESSIBLE);
    }

    @Test
    void anAnswerWithoutAControlIsAccessibleAndSaysItWasNotCompared() {
        Verdict v = decide(false, NO_CONTROL, answered("10.0.0.1"));
        assertThat(v.status()).isEqualTo(Status.ACCESSIBLE);
        assertThat(v.explanation()).contains("not compared");
    }

    @Test
    void noAnswerIsBlockedByTheStepThatFailedWhenTheControlGotOne() {
        Verdict address = decide(false, OUTSIDE_OK, failed(Operation.CONNECT, Failure.GENERIC_TIMEOUT, null));
        assertThat(address).extracting(Verdict::status, Verdict::method, Verdict::flags).containsExactly(Status.BLOCKED, Method.TCP_IP, List.of("ip_blocked"));
        Verdict udp = decide(true, OUTSIDE_OK, failed(Operation.RESOLVE, Failure.GENERIC_TIMEOUT, null));
        assertThat(udp.method()).isEqualTo(Method.TCP_IP);
        Verdict sni = decide(false, OUTSIDE_OK, failed(Operation.TLS_HANDSHAKE, Failure.CONNECTION_RESET, true));
        assertThat(sni).extracting(Verdict::method, Verdict::flags).containsExactly(Method.TLS, List.of("sni_blocked"));
        Verdict tls = decide(false, OUTSIDE_OK, failed(Operation.TLS_HANDSHAKE, Failure.CONNECTION_RESET, false));
        assertThat(tls).extracting(Verdict::method, Verdict::flags).containsExactly(Method.TLS, List.of());
        Verdict exchange = decide(false, OUTSIDE_OK, failed(Operation.HTTP_ROUND_TRIP, Failure.CONNECTION_RESET, null));
        assertThat(exchange.method()).isEqualTo(Method.DNS);
        Verdict name = decide(false, OUTSIDE_OK);
        assertThat(name).extracting(Verdict::status, Verdict::method).containsExactly(Status.BLOCKED, Method.DNS);
    }

    @Test
    void noAnswerAnywhereIsDownAndWithoutAControlInconclusive() {
        assertThat(decide(false, OUTSIDE_FAILED, failed(Operation.CONNECT, Failure.CONNECTION_REFUSED, null)).status()).isEqualTo(Status.DOWN);
        assertThat(decide(false, OUTSIDE_FAILED).status()).isEqualTo(Status.DOWN);
        assertThat(decide(false, NO_CONTROL, failed(Operation.CONNECT, Failure.CONNECTION_REFUSED, null)).status()).isEqualTo(Status.INCONCLUSIVE);
    }

    @Test
    void interceptionNeedsNoControlAndWinsOverAnAnswer() {
        Verdict v = ResolverVerdict.decide(new ResolverVerdict.Facts("udp://192.0.2.53", true, null, List.of(answered("192.0.2.1")),
                Optional.of(new Interception.Finding(false, "another identity")), NO_CONTROL));
        assertThat(v).extracting(Verdict::status, Verdict::method, Verdict::flags).containsExactly(Status.BLOCKED, Method.DNS, List.of("dns_intercepted"));
    }

    static DnsQuery query(long tx, Integer rcode, String... ips) {
        return new DnsQuery("udp", "192.0.2.53:53", "example.org", "A", rcode, java.util.Arrays.stream(ips).map(ip -> DnsAnswer.a(ip, 60L)).toList(),
                null, 0, 0.1, tx);
    }

    @Test
    void twoDifferentRepliesToOneQueryAreAnInjectionAndTheSameTwiceIsNot() {
        assertThat(Interception.judge(null, List.of(query(1, 0, "10.0.0.1")), List.of(query(1, 0, "192.0.2.1"))))
                .hasValueSatisfying(f -> assertThat(f.injected()).isTrue());
        assertThat(Interception.judge(null, List.of(query(1, 0, "192.0.2.1")), List.of(query(1, 0, "192.0.2.1")))).isEmpty();
        assertThat(Interception.judge(null, List.of(query(1, 0, "10.0.0.1")), List.of(query(2, 0, "192.0.2.1")))).as("another query's").isEmpty();
    }

    @Test
    void anIdentityThatIsNotTheResolversIsAnInterceptionAndNoResponseProvesNothing() {
        Pattern cloudflare = Pattern.compile("^[A-Z]{3}$");
        assertThat(Interception.judge(new Interception.Identity(cloudflare, true, 0, "FRA", null), List.of(), List.of())).isEmpty();
        assertThat(Interception.judge(new Interception.Identity(cloudflare, true, 0, "unbound-isp-7", null), List.of(), List.of()))
                .hasValueSatisfying(f -> assertThat(f.explanation()).contains("unbound-isp-7"));
        assertThat(Interception.judge(new Interception.Identity(cloudflare, true, 5, "", null), List.of(), List.of())).as("refused").isPresent();
        assertThat(Interception.judge(new Interception.Identity(cloudflare, false, null, "", Failure.GENERIC_TIMEOUT), List.of(), List.of())).isEmpty();
    }
}
