package org.blockwatch.agent.run;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * One cheap look, while the probe's network is offline, at whether it is back: a name lookup and
 * a TCP connection to the first control helper (or the first target), nothing sent. It says why
 * not: no route, DNS failing, or the control unreachable. Far lighter than a sweep every minute.
 */
final class Reachability {
    /** Whether the network looks back, and in words why or why not. */
    record Look(boolean reachable, String why) {}

    private final String host;
    private final int port;
    private final Duration timeout;

    Reachability(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** The first control helper's host and port, or the first target's; null when there is neither. */
    static Reachability of(java.util.List<String> helpers, java.util.List<String> targets, Duration timeout) {
        for (java.util.List<String> urls : java.util.List.of(helpers, targets)) {
            for (String u : urls) {
                okhttp3.HttpUrl url = okhttp3.HttpUrl.parse(u);
                if (url != null) return new Reachability(url.host(), url.port(), timeout);
            }
        }
        return null;
    }

    Look look() {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return new Look(false, "DNS failing: " + host + " does not resolve");
        }
        String where = host + ":" + port;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            return new Look(true, "the control (" + where + ") answers");
        } catch (NoRouteToHostException e) {
            return new Look(false, "no route to " + where);
        } catch (ConnectException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("unreachable")) return new Look(false, "no route: the network is unreachable");
            return new Look(false, "the control is unreachable: " + where + " refused the connection");
        } catch (SocketTimeoutException e) {
            return new Look(false, "the control is unreachable: " + where + " did not answer in " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return new Look(false, "the control is unreachable: " + where + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The wait before the next look: doubling from {@code first}, never beyond {@code most}. */
    static Duration backoff(Duration previous, Duration first, Duration most) {
        Duration next = previous == null ? first : previous.multipliedBy(2);
        return next.compareTo(most) > 0 ? most : next;
    }
}
