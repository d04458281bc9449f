package org.blockwatch.helper;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.blockwatch.core.locate.AsInfo;

/**
 * The AS of each address the helper reports in {@code ip_info}, as OONI's helpers fill it: looked
 * up once (Cymru-format DNS, {@link org.blockwatch.core.locate.CymruLookup}) and kept for a few
 * hours, at most {@value #MAX_ENTRIES} addresses, the least recently used forgotten first. A
 * failed lookup is 0, OONI's unknown, and is not kept. Thread-safe.
 */
public final class AsnCache {
    /** The lookup of one address; empty when unknown. */
    @FunctionalInterface
    public interface Lookup {
        Optional<AsInfo> of(InetAddress address) throws java.io.IOException;
    }

    public static final AsnCache NONE = new AsnCache(a -> Optional.empty(), Duration.ZERO, Clock.systemUTC());
    static final int MAX_ENTRIES = 4096;

    private record Kept(long asn, Instant until) {}

    private final Lookup lookup;
    private final Duration keep;
    private final Clock clock;
    private final Map<InetAddress, Kept> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Kept> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public AsnCache(Lookup lookup, Duration keep, Clock clock) {
        this.lookup = lookup;
        this.keep = keep;
        this.clock = clock;
    }

    public long asnOf(InetAddress address) {
        if (this == NONE) return 0;
        Instant now = clock.instant();
        synchronized (entries) {
            Kept e = entries.get(address);
            if (e != null && now.isBefore(e.until())) return e.asn();
        }
        long asn;
        try {
            asn = lookup.of(address).map(AsInfo::asn).orElse(0L);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        if (asn != 0) {
            synchronized (entries) {
                entries.put(address, new Kept(asn, now.plus(keep)));
            }
        }
        return asn;
    }
}
