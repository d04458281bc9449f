package org.blockwatch.helper;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per client per minute, as a token bucket per client key. The keys (client addresses)
 * live only in memory and only while their bucket is not full again; they are never logged.
 * Thread-safe.
 */
public final class RateLimiter {
    private static final int MAX_CLIENTS = 100_000;
    private final double perMinute;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    public RateLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    public boolean tryAcquire(String client, long nowNanos) {
        if (buckets.size() > MAX_CLIENTS) prune(nowNanos);
        Bucket b = buckets.computeIfAbsent(client, k -> new Bucket(perMinute, nowNanos));
        synchronized (b) {
            double refill = (nowNanos - b.updated) / 60e9 * perMinute;
            b.tokens = Math.min(perMinute, b.tokens + refill);
            b.updated = nowNanos;
            if (b.tokens < 1) return false;
            b.tokens -= 1;
            return true;
        }
    }

    private void prune(long nowNanos) {
        for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Bucket b = it.next().getValue();
            synchronized (b) {
                if (b.tokens + (nowNanos - b.updated) / 60e9 * perMinute >= perMinute) it.remove();
            }
        }
    }
}
