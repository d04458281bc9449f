package org.blockwatch.helper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.blockwatch.core.locate.AsInfo;
import org.blockwatch.sim.MovingClock;
import org.junit.jupiter.api.Test;

class AsnCacheTest {
    @Test
    void anAddressIsLookedUpOnceWhileKeptAndAgainAfter() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        MovingClock clock = new MovingClock(Instant.parse("2026-01-05T07:00:00Z"));
        AsnCache cache = new AsnCache(a -> {
            lookups.incrementAndGet();
            return Optional.of(new AsInfo(64500, "KZ", "X"));
        }, Duration.ofHours(6), clock);
        InetAddress a = InetAddress.getByName("198.51.100.7");
        assertThat(cache.asnOf(a)).isEqualTo(64500);
        assertThat(cache.asnOf(a)).isEqualTo(64500);
        assertThat(lookups).hasValue(1);
        clock.advance(Duration.ofHours(7));
        assertThat(cache.asnOf(a)).isEqualTo(64500);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void aFailedOrEmptyLookupIsZeroAndNotKept() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        AsnCache cache = new AsnCache(a -> {
            if (lookups.incrementAndGet() == 1) throw new IOException("timeout");
            return Optional.empty();
        }, Duration.ofHours(6), Clock.systemUTC());
        InetAddress a = InetAddress.getByName("198.51.100.7");
        assertThat(cache.asnOf(a)).isZero();
        assertThat(cache.asnOf(a)).isZero();
        assertThat(lookups).hasValue(2);
        assertThat(AsnCache.NONE.asnOf(a)).isZero();
    }
}
