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
import org.blockwatch.core.failure.FailureClassifier;
import org.blockwatch.core.trace.Trace;

/**
 * What the operating system's resolver returns (getaddrinfo through {@link InetAddress}), the
 * answer a browser on this machine would get. The JVM's own DNS cache is switched off when this
 * class loads, so every lookup reaches the OS. (dnsjava ships a JDK resolver provider that would
 * replace getaddrinfo; it stays off unless {@code org.dnsjava.spi.enable} is set, which
 * blockwatch never does.)
 */
public final class SystemResolver {
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

    /** Resolves an ASCII host name. Never throws: the failure is recorded. */
    public DnsQuery lookup(String host, Duration timeout, Trace trace) {
        long tx = trace.nextTransactionId();
        double t0 = trace.now();
        Future<InetAddress[]> lookup = LOOKUPS.submit(() -> InetAddress.getAllByName(host));
        try {
            InetAddress[] addresses = lookup.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            List<DnsAnswer> answers = new ArrayList<>();
            for (InetAddress a : addresses) {
                answers.add(a instanceof java.net.Inet6Address ? DnsAnswer.aaaa(a.getHostAddress(), null) : DnsAnswer.a(a.getHostAddress(), null));
            }
            return record(host, answers, answers.isEmpty() ? Failure.DNS_NO_ANSWER : null, t0, trace.now(), tx);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            return record(host, List.of(), Failure.GENERIC_TIMEOUT, t0, trace.now(), tx);
        } catch (ExecutionException e) {
            return record(host, List.of(), classify(e.getCause()), t0, trace.now(), tx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return record(host, List.of(), Failure.GENERIC_TIMEOUT, t0, trace.now(), tx);
        }
    }

    /**
     * getaddrinfo's errors reach Java only as an {@link UnknownHostException} with gai_strerror's
     * text; EAI_AGAIN ("Temporary failure in name resolution") is a failed resolver, EAI_NONAME a
     * name that does not exist. The direct query beside this one tells the rcodes apart exactly.
     */
    private static String classify(Throwable error) {
        if (error instanceof UnknownHostException) {
            String message = String.valueOf(error.getMessage()).toLowerCase(java.util.Locale.ROOT);
            return message.contains("temporary failure") || message.contains("try again")
                    ? Failure.DNS_TEMPORARY_FAILURE : Failure.DNS_NXDOMAIN;
        }
        return FailureClassifier.classify(error);
    }

    private static DnsQuery record(String host, List<DnsAnswer> answers, String failure, double t0, double t, long tx) {
        return new DnsQuery("getaddrinfo", "", host, "ANY", null, answers, failure, t0, t, tx);
    }
}
