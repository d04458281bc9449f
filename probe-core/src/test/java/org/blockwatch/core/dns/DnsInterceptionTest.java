package org.blockwatch.core.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.blockwatch.core.archival.DnsIntercepted;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.ResolverInterception.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One check serves every measurement for a bounded time; each measurement records the one it relied on. */
class DnsInterceptionTest {
    private static final IdentityQuery FOREIGN_ID = IdentityQuery.chaos("id.server", "res[0-9]+\\.foreign\\.test");
    private LoopbackDnsServer isp;
    private LoopbackDnsServer foreign;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T10:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        isp = new LoopbackDnsServer().chaos("id.server", "isp-resolver");
        foreign = new LoopbackDnsServer().chaos("id.server", "res1.foreign.test");
    }

    @AfterEach
    void stop() throws Exception {
        isp.close();
        foreign.close();
    }

    private DnsInterception checks(InterceptionCheck... checks) {
        return new DnsInterception(List.of(checks), Duration.ofMillis(500), Duration.ofMinutes(5), clock);
    }

    /** A query a measurement made to {@code resolver}. */
    private static DnsQuery askedOf(String engine, String resolver) {
        return new DnsQuery(engine, resolver, "site.test", "A", 0, List.of(), null, 0, 0.01, 1);
    }

    @Test
    void aSweepAsksEachResolverOnceInTheValidityAndAgainAfterIt() throws Exception {
        DnsInterception checks = checks(InterceptionCheck.udp(isp.resolver()).withIdentity(FOREIGN_ID));
        List<DnsQuery> used = List.of(askedOf("udp", isp.address()));
        ExecutorService pages = Executors.newVirtualThreadPerTaskExecutor();
        List<Callable<DnsIntercepted>> sweep = new ArrayList<>();
        for (int i = 0; i < 50; i++) sweep.add(() -> checks.evidenceFor(used));
        List<DnsIntercepted> records = new ArrayList<>();
        for (Future<DnsIntercepted> f : pages.invokeAll(sweep)) records.add(f.get());
        assertThat(isp.asked("id.server")).isEqualTo(1);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.intercepted()).isTrue();
            assertThat(r.resolvers()).singleElement().satisfies(ri -> assertThat(ri.resolverAddress()).isEqualTo(isp.address()));
        });

        clock.advance(Duration.ofMinutes(4));
        checks.evidenceFor(used);
        assertThat(isp.asked("id.server")).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        DnsIntercepted later = checks.evidenceFor(used);
        assertThat(isp.asked("id.server")).isEqualTo(2);
        assertThat(later.resolvers().get(0).checkedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aMeasurementRecordsOnlyTheResolversItAsked() {
        DnsInterception checks = checks(InterceptionCheck.udp(isp.resolver()).withIdentity(FOREIGN_ID),
                InterceptionCheck.udp(foreign.resolver()).withIdentity(FOREIGN_ID));
        assertThat(checks.evidenceFor(List.of(askedOf("getaddrinfo", "")))).isNull();
        assertThat(checks.evidenceFor(List.of(askedOf("doh", "https://" + isp.address() + "/dns-query")))).isNull();
        assertThat(isp.asked("id.server")).isZero();

        DnsIntercepted honest = checks.evidenceFor(List.of(askedOf("udp", foreign.address())));
        assertThat(honest.intercepted()).isFalse();
        assertThat(honest.resolvers()).extracting(r -> r.status()).containsExactly(Status.NOT_INTERCEPTED);
        assertThat(isp.asked("id.server")).as("the unused resolver is not asked").isZero();

        // A truncated UDP answer asked again over TCP is the same path.
        DnsIntercepted both = checks.evidenceFor(List.of(askedOf("tcp", isp.address()), askedOf("udp", foreign.address())));
        assertThat(both.intercepted()).isTrue();
        assertThat(both.resolvers()).hasSize(2);
    }

    @Test
    void anUnknownResolverLeavesTheMeasurementUndecidedNotClean() throws Exception {
        try (LoopbackDnsServer silent = new LoopbackDnsServer()
                .rule("id.server", org.xbill.DNS.DClass.CH, new LoopbackDnsServer.Reply.Silent())) {
            DnsInterception checks = checks(InterceptionCheck.udp(silent.resolver()).withIdentity(FOREIGN_ID),
                    InterceptionCheck.udp(foreign.resolver()).withIdentity(FOREIGN_ID));
            DnsIntercepted r = checks.evidenceFor(List.of(askedOf("udp", silent.address()), askedOf("udp", foreign.address())));
            assertThat(r.intercepted()).isNull();
            assertThat(r.resolvers()).extracting(x -> x.status()).containsExactly(Status.UNKNOWN, Status.NOT_INTERCEPTED);
        }
    }

    @Test
    void theStateIsToldWithoutAskingAnything() {
        DnsInterception checks = checks(InterceptionCheck.udp(isp.resolver()).withIdentity(FOREIGN_ID),
                InterceptionCheck.udp(foreign.resolver()).withIdentity(FOREIGN_ID));
        assertThat(checks.states()).isEmpty();
        checks.evidenceFor(List.of(askedOf("udp", isp.address())));
        assertThat(checks.states()).singleElement().satisfies(s -> {
            assertThat(s.resolverAddress()).isEqualTo(isp.address());
            assertThat(s.status()).isEqualTo(Status.INTERCEPTED);
        });
        assertThat(isp.asked("id.server")).isEqualTo(1);
        assertThat(foreign.asked("id.server")).isZero();
        assertThat(checks.states()).hasSize(1);
        assertThat(isp.asked("id.server")).isEqualTo(1);
    }

    @Test
    void noChecksRecordNothing() {
        assertThat(DnsInterception.none().evidenceFor(List.of(askedOf("udp", isp.address())))).isNull();
        assertThat(DnsInterception.none().states()).isEmpty();
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
