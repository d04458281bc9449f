package org.blockwatch.core.verdict;

import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TlsHandshake;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;
import org.blockwatch.core.archival.SniProbe;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.archival.WebObservation;

/**
 * What in one measurement points to throttling: a TLS handshake that took seconds (Kazakhstan's
 * SNI throttling of azattyq.org: over 4 s), or a body arriving at a trickle (Russia's throttling
 * of Twitter: 130-150 kbit/s). One measurement cannot prove it, since a slow home link looks the
 * same, so it is a flag on the verdict, not a status; the agent's metrics carry the handshake time
 * for comparison over time and against the baseline targets.
 */
final class Throttling {
    static final double SLOW_HANDSHAKE_SECONDS = 3.0;
    static final long MIN_BODY_BYTES = 32 * 1024;
    static final double SLOW_BYTES_PER_SECOND = 32 * 1024;

    private Throttling() {}

    /** The site's name is this many times slower than another name, at least. */
    static final double SNI_RATIO = 4.0;
    static final double MIN_SNI_SLOW_SECONDS = 0.25;
    /** The other names' handshakes count as at least this long, so that milliseconds of noise make no ratio. */
    static final double FLOOR_SECONDS = 0.05;
    /** A transfer rate needs this much read under another name to be a reference. */
    static final long MIN_REFERENCE_BYTES = 8 * 1024;

    /**
     * The comparison that proves throttling by name (the engine's follow-up, {@code x_sni_probes}):
     * under the site's name, the same address and page were four times slower, in the handshake
     * or in the transfer, than under a random name and under none, fetched just before. A slow
     * line slows every name alike. A description with the figures, or null.
     */
    static String byName(WebObservation o) {
        if (o.sniProbes().isEmpty()) return null; // nothing was slow: the usual case, on the analysis' hot path
        Set<String> hosts = new HashSet<>();
        for (HttpTransaction t : o.requests()) {
            HttpUrl url = HttpUrl.parse(t.url());
            if (url != null) hosts.add(url.host().toLowerCase(Locale.ROOT));
        }
        SniProbe site = null;
        List<SniProbe> others = new ArrayList<>();
        for (SniProbe p : o.sniProbes()) {
            // The handshakes after a failed handshake time nothing: a stall there is a failure, not a pace.
            if (!SniProbe.THROTTLING.equals(p.followUp())) continue;
            if (hosts.contains(p.serverName().toLowerCase(Locale.ROOT))) site = p;
            else if (p.failure() == null) others.add(p);
        }
        if (site == null || others.isEmpty()) return null;
        double otherHandshake = others.stream().mapToDouble(SniProbe::handshakeSeconds).max().orElseThrow();
        if (site.handshakeSeconds() >= MIN_SNI_SLOW_SECONDS && site.handshakeSeconds() >= SNI_RATIO * Math.max(otherHandshake, FLOOR_SECONDS)) {
            return String.format(Locale.ROOT, "on %s the TLS handshake took %.2f s with the name %s and %.2f s with another name or none",
                    site.address(), site.handshakeSeconds(), site.serverName(), otherHandshake);
        }
        double otherRate = others.stream().filter(p -> p.bodyBytes() >= MIN_REFERENCE_BYTES).mapToDouble(SniProbe::bytesPerSecond).max().orElse(-1);
        boolean siteTimed = site.bodySeconds() >= MIN_SNI_SLOW_SECONDS && (site.failure() == null || Failure.GENERIC_TIMEOUT.equals(site.failure()));
        double siteRate = site.bodySeconds() > 0 ? site.bodyBytes() / site.bodySeconds() : 0;
        if (otherRate > 0 && siteTimed && siteRate * SNI_RATIO <= otherRate) {
            return String.format(Locale.ROOT, "on %s the page came at %.0f kbit/s with the name %s and %.0f kbit/s with another name or none",
                    site.address(), siteRate * 8 / 1000, site.serverName(), otherRate * 8 / 1000);
        }
        return null;
    }

    /** A short description of the slowness, or null when nothing was slow. */
    static String evidence(WebObservation o) {
        for (TlsHandshake h : o.tlsHandshakes()) {
            double seconds = h.t() - h.t0();
            if (h.failure() == null && seconds >= SLOW_HANDSHAKE_SECONDS) return String.format("TLS handshake %.1f s", seconds);
        }
        for (HttpTransaction t : o.requests()) {
            Double body = t.timings().get("body");
            if (t.response() == null || body == null || body <= 0) continue;
            long bytes = t.response().body().length();
            if (bytes >= MIN_BODY_BYTES && bytes / body < SLOW_BYTES_PER_SECOND) {
                return String.format("%d KiB in %.1f s, %.0f kbit/s", bytes / 1024, body, bytes * 8 / body / 1000);
            }
        }
        return null;
    }
}
