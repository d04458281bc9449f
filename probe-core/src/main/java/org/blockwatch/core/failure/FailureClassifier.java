package org.blockwatch.core.failure;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The one place where exceptions become failure strings. Each rule looks at the whole cause
 * chain, and rules run in order of specificity: a reset wrapped in an {@link SSLException} is a
 * reset, not a failed handshake.
 *
 * <p>Types decide wherever the JDK gives one. The JDK reports a reset, an unreachable network
 * and a broken pipe all as a plain {@link SocketException}; for those alone the rule reads the
 * message, and the loopback tests that provoke each one keep the rule honest across JDKs.
 */
public final class FailureClassifier {
    private FailureClassifier() {}

    public static String classify(Throwable error) {
        List<Throwable> chain = causeChain(error);
        for (Throwable t : chain) {
            if (t instanceof ClassifiedException c) return c.failure();
        }
        for (Throwable t : chain) {
            // SocketTimeoutException and OkHttp's call timeout are both InterruptedIOExceptions.
            if (t instanceof InterruptedIOException || t instanceof TimeoutException) return Failure.GENERIC_TIMEOUT;
        }
        for (Throwable t : chain) {
            if (t instanceof ConnectException) {
                // ECONNREFUSED, or the kernel's own ETIMEDOUT when its SYN retries ran out.
                return mentions(t, "timed out") ? Failure.GENERIC_TIMEOUT : Failure.CONNECTION_REFUSED;
            }
            if (t instanceof NoRouteToHostException) return Failure.HOST_UNREACHABLE;
            if (t instanceof PortUnreachableException) return Failure.CONNECTION_REFUSED;
        }
        for (Throwable t : chain) {
            if (t instanceof SocketException) {
                if (mentions(t, "reset") || mentions(t, "broken pipe")) return Failure.CONNECTION_RESET;
                if (mentions(t, "network is unreachable")) return Failure.NETWORK_UNREACHABLE;
                if (mentions(t, "no route to host")) return Failure.HOST_UNREACHABLE;
                if (mentions(t, "refused")) return Failure.CONNECTION_REFUSED;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof EOFException) return Failure.EOF;
        }
        for (Throwable t : chain) {
            if (t instanceof SSLException) return Failure.SSL_FAILED_HANDSHAKE;
            // getaddrinfo's errors reach Java only as gai_strerror's text: EAI_AGAIN is a failed resolver, EAI_NONAME no such name.
            if (t instanceof UnknownHostException) {
                return mentions(t, "temporary failure") || mentions(t, "try again") ? Failure.DNS_TEMPORARY_FAILURE : Failure.DNS_NXDOMAIN;
            }
        }
        // OkHttp reports a peer that closed mid-response as "unexpected end of stream".
        for (Throwable t : chain) {
            if (mentions(t, "unexpected end of stream")) return Failure.EOF;
        }
        return Failure.unknown(error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    private static boolean mentions(Throwable t, String text) {
        String message = t.getMessage();
        return message != null && message.toLowerCase(java.util.Locale.ROOT).contains(text);
    }

    private static List<Throwable> causeChain(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
            for (Throwable s : t.getSuppressed()) {
                if (seen.add(s)) chain.add(s);
            }
        }
        return chain;
    }
}
