package org.blockwatch.core.locate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.xbill.DNS.Resolver;

/**
 * Finds where the probe is: its public address by STUN (each server in turn), else by HTTPS (a
 * page whose body is the caller's address); that address's AS and country by Cymru-format DNS;
 * the resolver's egress by a who-am-I name, and its AS the same way. Lookups of an address are
 * repeated only when the address changed, so a re-check before each sweep costs one STUN request
 * and one DNS query. Never throws: what failed is in {@link Location#problems()}. Thread-safe.
 */
public final class Locator {
    /** What to ask, and how long to wait for each answer. */
    public record Sources(List<String> stunServers, List<String> addressUrls, String asnZone, String whoamiName,
            ResolverSource resolver, Duration timeout) {
        public Sources {
            stunServers = List.copyOf(stunServers);
            addressUrls = List.copyOf(addressUrls);
        }

        public boolean none() {
            return stunServers.isEmpty() && addressUrls.isEmpty() && (whoamiName == null || whoamiName.isEmpty());
        }
    }

    /** The DNS resolver that lookups go through, made for each (dnsjava's resolvers keep a timeout). */
    @FunctionalInterface
    public interface ResolverSource {
        Resolver get() throws IOException;
    }

    private final Sources sources;
    private final OkHttpClient http;
    private Location last = Location.UNKNOWN;

    public Locator(Sources sources) {
        this.sources = sources;
        this.http = new OkHttpClient.Builder().callTimeout(sources.timeout()).followRedirects(false).build();
    }

    public synchronized Location locate() {
        List<String> problems = new ArrayList<>();
        InetAddress address = publicAddress(problems);
        AsInfo network = address == null ? AsInfo.UNKNOWN
                : address.equals(last.publicAddress()) && last.network().known() ? last.network() : asOf(address, "the probe's address", problems);
        InetAddress egress = resolverEgress(problems);
        AsInfo resolverNetwork = egress == null ? AsInfo.UNKNOWN
                : egress.equals(last.resolverEgress()) && last.resolverNetwork().known() ? last.resolverNetwork()
                : asOf(egress, "the resolver's egress", problems);
        last = new Location(network, address, egress, resolverNetwork, problems);
        return last;
    }

    private InetAddress publicAddress(List<String> problems) {
        for (String server : sources.stunServers()) {
            try {
                Optional<InetAddress> a = StunClient.publicAddress(hostPort(server, 3478), sources.timeout());
                if (a.isPresent()) return a.get();
                problems.add("STUN server " + server + ": no answer");
            } catch (IOException | IllegalArgumentException e) {
                problems.add("STUN server " + server + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
        }
        for (String url : sources.addressUrls()) {
            try (Response r = http.newCall(new Request.Builder().url(url).build()).execute(); ResponseBody body = r.body()) {
                okio.BufferedSource source = body.source();
                source.request(64); // an address is short; nothing more is read
                String text = source.getBuffer().readUtf8(Math.min(64, source.getBuffer().size())).strip();
                Optional<InetAddress> a = r.code() == 200 ? IpLiteral.parse(text) : Optional.empty();
                if (a.isPresent()) return a.get();
                problems.add(url + ": HTTP " + r.code() + ", no address in the answer");
            } catch (IOException | IllegalArgumentException e) {
                problems.add(url + ": " + e.getClass().getSimpleName());
            }
        }
        if (!sources.stunServers().isEmpty() || !sources.addressUrls().isEmpty()) problems.add("the public address: not found");
        return null;
    }

    /** {@code host:port}, {@code [v6]:port}, or a host alone (then {@code defaultPort}). */
    static InetSocketAddress hostPort(String text, int defaultPort) {
        Optional<Endpoint> literal = Endpoint.parse(text);
        if (literal.isPresent()) return literal.get().socketAddress();
        int colon = text.lastIndexOf(':');
        if (colon < 0 || text.indexOf(':') != colon) {
            Optional<InetAddress> ip = IpLiteral.parse(text);
            return ip.map(a -> new InetSocketAddress(a, defaultPort)).orElseGet(() -> new InetSocketAddress(text, defaultPort));
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not host:port: " + text);
        }
        return new InetSocketAddress(text.substring(0, colon), port);
    }

    private InetAddress resolverEgress(List<String> problems) {
        if (sources.whoamiName() == null || sources.whoamiName().isEmpty()) return null;
        try {
            Optional<InetAddress> a = ResolverEgress.find(sources.resolver().get(), sources.whoamiName(), sources.timeout());
            if (a.isEmpty()) problems.add("the resolver's egress: " + sources.whoamiName() + " gave no address");
            return a.orElse(null);
        } catch (IOException | RuntimeException e) {
            problems.add("the resolver's egress: " + sources.whoamiName() + ": " + e.getClass().getSimpleName());
            return null;
        }
    }

    private AsInfo asOf(InetAddress address, String what, List<String> problems) {
        if (sources.asnZone() == null || sources.asnZone().isEmpty()) return AsInfo.UNKNOWN;
        try {
            Optional<AsInfo> as = new CymruLookup(sources.resolver().get(), sources.asnZone(), sources.timeout()).lookup(address);
            if (as.isEmpty()) problems.add("the AS of " + what + ": not in " + sources.asnZone());
            return as.orElse(AsInfo.UNKNOWN);
        } catch (IOException | RuntimeException e) {
            problems.add("the AS of " + what + ": " + sources.asnZone() + ": " + e.getClass().getSimpleName());
            return AsInfo.UNKNOWN;
        }
    }
}
