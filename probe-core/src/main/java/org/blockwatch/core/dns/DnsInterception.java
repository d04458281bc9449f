package org.blockwatch.core.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.blockwatch.core.archival.DnsIntercepted;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.ResolverInterception;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.step.Timeouts;

/**
 * The interception checks of the Do53 resolvers an engine asks ({@link InterceptionCheck}), each
 * run at most once per {@code validity} (five minutes by default), so that a sweep of hundreds of
 * pages asks each resolver a handful of small questions, not hundreds; measurements that need a
 * check under way wait for that one. Each web measurement records the result it relied on ({@link
 * #evidenceFor}); {@link #states()} tells the current state without asking anything. Thread-safe;
 * one instance may serve several engines.
 */
public final class DnsInterception {
    public static final Duration DEFAULT_VALIDITY = Duration.ofMinutes(5);
    private static final ExecutorService EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();
    private static final DnsInterception NONE = new DnsInterception(List.of(), Duration.ofSeconds(1));

    private final List<InterceptionCheck> checks;
    private final Duration timeout;
    private final Duration validity;
    private final Clock clock;
    private final Map<InterceptionCheck, CompletableFuture<ResolverInterception>> results = new ConcurrentHashMap<>();

    /** Checks asked with {@code timeout} for each query, each result good for {@link #DEFAULT_VALIDITY}. */
    public DnsInterception(List<InterceptionCheck> checks, Duration timeout) {
        this(checks, timeout, DEFAULT_VALIDITY, Clock.systemUTC());
    }

    public DnsInterception(List<InterceptionCheck> checks, Duration timeout, Duration validity, Clock clock) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("interception checks: the timeout must be positive");
        if (validity.isNegative() || validity.isZero()) throw new IllegalArgumentException("interception checks: the validity must be positive");
        Set<String> seen = new HashSet<>();
        for (InterceptionCheck c : checks) {
            if (!c.hasSignal()) throw new IllegalArgumentException("interception check of " + c.address() + ": no identity query, comparison or TTL probe");
            if (!seen.add(c.engine() + " " + c.address())) throw new IllegalArgumentException("two interception checks of " + c.engine() + " " + c.address());
        }
        this.checks = List.copyOf(checks);
        this.timeout = timeout;
        this.validity = validity;
        this.clock = clock;
    }

    /** No check: every measurement goes without {@code x_dns_intercepted}. */
    public static DnsInterception none() {
        return NONE;
    }

    public List<InterceptionCheck> checks() {
        return checks;
    }

    public Duration validity() {
        return validity;
    }

    /** Starts every check whose result is missing or older than the validity; returns at once. */
    public void refresh() {
        for (InterceptionCheck c : checks) current(c);
    }

    /**
     * The checks of the Do53 resolvers {@code queries} went to, each at most {@code validity}
     * old (waiting for one under way, or starting one): a web measurement's {@code
     * x_dns_intercepted}; null when none of them is checked.
     */
    public DnsIntercepted evidenceFor(List<DnsQuery> queries) {
        List<CompletableFuture<ResolverInterception>> used = new ArrayList<>();
        for (InterceptionCheck c : checks) {
            if (queries.stream().anyMatch(c::asked)) used.add(current(c));
        }
        return DnsIntercepted.of(used.stream().map(CompletableFuture::join).toList());
    }

    /**
     * The last finished check of each configured resolver, in the configuration's order, without
     * asking anything (for {@code status} and the metrics); a resolver not checked yet is absent.
     */
    public List<ResolverInterception> states() {
        List<ResolverInterception> out = new ArrayList<>();
        for (InterceptionCheck c : checks) {
            CompletableFuture<ResolverInterception> f = results.get(c);
            if (f != null && f.isDone() && !f.isCompletedExceptionally()) out.add(f.join());
        }
        return out;
    }

    private CompletableFuture<ResolverInterception> current(InterceptionCheck check) {
        return results.compute(check, (c, f) -> f == null || stale(f) ? start(c) : f);
    }

    private boolean stale(CompletableFuture<ResolverInterception> f) {
        if (!f.isDone()) return false; // under way: wait for it
        if (f.isCompletedExceptionally()) return true;
        Instant checkedAt = f.join().checkedAt();
        return !clock.instant().isBefore(checkedAt.plus(validity));
    }

    private CompletableFuture<ResolverInterception> start(InterceptionCheck check) {
        StepContext context = StepContext.standalone(timeout, Timeouts.standalone(timeout), StepListener.NONE);
        return CompletableFuture.supplyAsync(() -> check.run(context, clock, EXECUTOR), EXECUTOR);
    }
}
