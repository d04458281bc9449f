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
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import org.blockwatch.agent.targets.Target;

/**
 * One cheap look, while the probe's network is offline, at whether it is back: for the first
 * control helper, then one target (a domestic baseline when there is one, else any, so that a
 * blocked control alone never keeps the agent from sweeping), a name lookup and a TCP connection,
 * nothing sent. It says why not: no route, DNS failing, or nothing answering. Far lighter than a sweep
 * every minute: at most two lookups and two connection attempts.
 */
final class Reachability {
    /** Whether the network looks back, and in words why or why not. */
    record Look(boolean reachable, String why) {}

    /** A host and port to connect to, and what it is in the log ("the control", "a baseline"). */
    record Endpoint(String role, String host, int port) {}

    private final List<Endpoint> endpoints;
    /** One of these is looked at after {@link #endpoints}, a different one each time (at random). */
    private final List<Endpoint> oneOf;
    private final Duration timeout;
    private final java.util.Random random = new java.util.Random();

    Reachability(List<Endpoint> endpoints, Duration timeout) {
        this(endpoints, List.of(), timeout);
    }

    Reachability(List<Endpoint> endpoints, List<Endpoint> oneOf, Duration timeout) {
        this.endpoints = List.copyOf(endpoints);
        this.oneOf = List.copyOf(oneOf);
        this.timeout = timeout;
    }

    /**
     * The first control helper, then a domestic baseline, or else a target picked at random at
     * each look (the first might be a blocked one, and keep the agent from sweeping); null when
     * there is neither.
     */
    static Reachability of(List<String> helpers, List<Target> targets, Duration timeout) {
        List<Endpoint> endpoints = new ArrayList<>(2);
        helpers.stream().map(HttpUrl::parse).filter(u -> u != null).findFirst()
                .ifPresent(u -> endpoints.add(new Endpoint("the control", u.host(), u.port())));
        // Web pages only: a TCP connection is what this look tries.
        List<Target> web = targets.stream().filter(t -> t.webUrl().isPresent()).toList();
        List<Endpoint> others = web.stream().filter(Target::domestic).findFirst().map(List::of).orElse(web).stream()
                .map(t -> t.webUrl().orElseThrow().url()).map(u -> new Endpoint("a target", u.host(), u.port())).toList();
        if (endpoints.isEmpty() && others.isEmpty()) return null;
        return new Reachability(endpoints, others, timeout);
    }

    Look look() {
        List<String> why = new ArrayList<>(endpoints.size() + 1);
        List<Endpoint> now = new ArrayList<>(endpoints);
        if (!oneOf.isEmpty()) now.add(oneOf.get(random.nextInt(oneOf.size())));
        for (Endpoint e : now) {
            Look l = look(e);
            if (l.reachable()) return l;
            why.add(l.why());
        }
        return new Look(false, String.join("; ", why));
    }

    private Look look(Endpoint e) {
        String where = e.host() + ":" + e.port();
        InetAddress address;
        try {
            address = InetAddress.getByName(e.host());
        } catch (UnknownHostException x) {
            return new Look(false, "DNS failing: " + e.host() + " (" + e.role() + ") does not resolve");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, e.port()), (int) timeout.toMillis());
            return new Look(true, e.role() + " (" + where + ") answers");
        } catch (NoRouteToHostException x) {
            return new Look(false, "no route to " + where + " (" + e.role() + ")");
        } catch (ConnectException x) {
            if (String.valueOf(x.getMessage()).contains("unreachable")) return new Look(false, "no route: the network is unreachable");
            return new Look(false, e.role() + " is unreachable: " + where + " refused the connection");
        } catch (SocketTimeoutException x) {
            return new Look(false, e.role() + " is unreachable: " + where + " did not answer in " + timeout.toSeconds() + " s");
        } catch (IOException x) {
            return new Look(false, e.role() + " is unreachable: " + where + " (" + x.getClass().getSimpleName() + ")");
        }
    }

    /** The wait before the next look: doubling from {@code first}, never beyond {@code most}. */
    static Duration backoff(Duration previous, Duration first, Duration most) {
        Duration next = previous == null ? first : previous.multipliedBy(2);
        return next.compareTo(most) > 0 ? most : next;
    }
}
