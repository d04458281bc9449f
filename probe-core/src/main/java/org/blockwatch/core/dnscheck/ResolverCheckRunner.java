package org.blockwatch.core.dnscheck;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.blockwatch.core.control.wire.ResolverCheck;
import org.blockwatch.core.dns.DnsResolver;
import org.blockwatch.core.dns.ResolverUrl;
import org.blockwatch.core.dns.Resolvers;
import org.blockwatch.core.dns.WireResolver;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.step.Timeouts;

/**
 * The control's side of dnscheck ({@link ResolverCheck}, {@code POST x/dnscheck}): the resolver's
 * name resolved with the helper's own resolver, then its first {@link ResolverCheck#MAX_ADDRESSES}
 * addresses asked for each name over the same protocol. Bounded: a request names one resolver
 * and at most {@link ResolverCheck#MAX_DOMAINS} names, each step has the helper's step timeout
 * and the whole check a deadline of {@link #STEPS} of them, never past
 * {@link Timeouts#CONTROL_HELPER_FLOOR} (the least a probe waits for a helper, so the helper stops
 * about when its client has stopped waiting); an address the helper may not
 * contact (a private one, by its destination policy) is not asked, and its lookups fail with
 * {@code destination_refused}. Thread-safe.
 */
public final class ResolverCheckRunner {
    /** The whole check's deadline, in steps: a bootstrap, then a connect, a handshake and an exchange per name. */
    public static final int STEPS = 3 + 3 * ResolverCheck.MAX_DOMAINS;
    private final Resolvers.Setup setup;
    private final DnsResolver bootstrap;
    private final Predicate<InetAddress> allowed;
    private final Duration stepTimeout;

    public ResolverCheckRunner(Resolvers.Setup setup, DnsResolver bootstrap, Predicate<InetAddress> allowed, Duration stepTimeout) {
        this.setup = setup;
        this.bootstrap = bootstrap;
        this.allowed = allowed;
        this.stepTimeout = stepTimeout;
    }

    /**
     * Checks that {@code request} can be run: a resolver URL and one to
     * {@link ResolverCheck#MAX_DOMAINS} host names.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void validate(ResolverCheck.Request request) {
        if (request == null || request.resolver() == null) throw new IllegalArgumentException("no resolver");
        ResolverUrl.parse(request.resolver());
        new DnsCheck.Settings(request.domains(), java.util.Map.of());
    }

    /** The lookups of {@code request} from here; never throws for the network. @throws IllegalArgumentException for a request {@link #validate} refuses */
    public ResolverCheck.Response run(ResolverCheck.Request request) {
        validate(request);
        ResolverUrl url = ResolverUrl.parse(request.resolver());
        List<String> domains = new DnsCheck.Settings(request.domains(), java.util.Map.of()).domains();
        Duration deadline = stepTimeout.multipliedBy(STEPS);
        if (deadline.compareTo(Timeouts.CONTROL_HELPER_FLOOR) > 0) deadline = Timeouts.CONTROL_HELPER_FLOOR;
        StepContext context = StepContext.standalone(stepTimeout, deadline, StepListener.NONE);
        String bootFailure = null;
        Set<InetAddress> candidates = new LinkedHashSet<>();
        if (url.needsBootstrap()) {
            DnsResolver.Lookup b = bootstrap.lookup(url.host(), context);
            bootFailure = b.failure();
            b.queries().stream().flatMap(q -> q.addresses().stream()).map(a -> IpLiteral.parse(a).orElseThrow())
                    .sorted(Comparator.comparing((InetAddress a) -> a.getAddress().length)).forEach(candidates::add);
            if (candidates.isEmpty() && bootFailure == null) bootFailure = Failure.DNS_NO_ANSWER;
        } else {
            candidates.add(url.address().orElseThrow());
        }
        List<CompletableFuture<List<ResolverCheck.Lookup>>> pending = new ArrayList<>();
        for (InetAddress a : candidates.stream().limit(ResolverCheck.MAX_ADDRESSES).toList()) {
            pending.add(CompletableFuture.supplyAsync(() -> lookups(url, a, domains, context), setup.executor()));
        }
        List<ResolverCheck.Lookup> lookups = new ArrayList<>();
        pending.forEach(p -> lookups.addAll(p.join()));
        return new ResolverCheck.Response(bootFailure, lookups);
    }

    private List<ResolverCheck.Lookup> lookups(ResolverUrl url, InetAddress address, List<String> domains, StepContext context) {
        String key = url.lookupKey(address);
        List<ResolverCheck.Lookup> out = new ArrayList<>();
        if (!allowed.test(address)) {
            for (String d : domains) out.add(new ResolverCheck.Lookup(key, d, Failure.DESTINATION_REFUSED, "connect", false, List.of()));
            return out;
        }
        WireResolver resolver = Resolvers.at(url, address, setup);
        for (String d : domains) {
            WireResolver.Traced t = resolver.trace(d, context);
            List<String> found = t.lookup().queries().stream().flatMap(q -> q.addresses().stream()).distinct().toList();
            out.add(new ResolverCheck.Lookup(key, d, t.lookup().failure(), t.failedOperation() == null ? null : t.failedOperation().label(),
                    t.answered(), found));
        }
        return out;
    }
}
