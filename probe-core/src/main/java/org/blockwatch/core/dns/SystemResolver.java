package org.blockwatch.core.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;

/**
 * What the operating system's resolver returns (getaddrinfo through {@link InetAddress}), the
 * answer a browser on this machine would get. The JVM's own DNS cache is switched off when this
 * class loads, so every lookup reaches the OS. (dnsjava ships a JDK resolver provider that would
 * replace getaddrinfo; it stays off unless {@code org.dnsjava.spi.enable} is set, which
 * blockwatch never does.)
 */
public final class SystemResolver implements DnsResolver {
    static {
        disableJvmDnsCache();
    }

    // getaddrinfo cannot be interrupted; a lookup past its timeout is abandoned to this executor.
    private static final ExecutorService LOOKUPS = Executors.newVirtualThreadPerTaskExecutor();

    /** Turns the JVM's positive and negative DNS caches off; effective before the first lookup. */
    public static void disableJvmDnsCache() {
        Security.setProperty("networkaddress.cache.ttl", "0");
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
    }

    @Override
    public String address() {
        return "";
    }

    @Override
    public Lookup lookup(String host, StepContext context) {
        DnsQuery q = query(host, context);
        return new Lookup(List.of(q), List.of(), q.failure());
    }

    /** Resolves an ASCII host name. Never throws: the failure is recorded. */
    public DnsQuery query(String host, StepContext context) {
        Scope step = context.open(StepKind.DNS, host);
        Future<InetAddress[]> lookup = LOOKUPS.submit(() -> InetAddress.getAllByName(host));
        try {
            InetAddress[] addresses = lookup.get(Math.max(1, context.timeout().toMillis()), TimeUnit.MILLISECONDS);
            List<DnsAnswer> answers = new ArrayList<>();
            for (InetAddress a : addresses) {
                answers.add(a instanceof java.net.Inet6Address ? DnsAnswer.aaaa(a.getHostAddress(), null) : DnsAnswer.a(a.getHostAddress(), null));
            }
            String failure = answers.isEmpty() ? Failure.DNS_NO_ANSWER : null;
            step.end(failure, step.now());
            return record(host, answers, failure, step);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            step.fail(Failure.GENERIC_TIMEOUT);
            return record(host, List.of(), Failure.GENERIC_TIMEOUT, step);
        } catch (ExecutionException e) {
            return record(host, List.of(), step.fail(e.getCause()), step);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            step.fail(Failure.GENERIC_TIMEOUT);
            return record(host, List.of(), Failure.GENERIC_TIMEOUT, step);
        }
    }

    private static DnsQuery record(String host, List<DnsAnswer> answers, String failure, Scope step) {
        return new DnsQuery("getaddrinfo", "", host, "ANY", null, answers, failure, step.t0(), step.t(), step.tx());
    }
}
