package org.blockwatch.helper;

import java.util.concurrent.ConcurrentHashMap;

/** Requests in flight per client, each client at most {@code perClient} at once. */
final class InFlight {
    private final int perClient;
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    InFlight(int perClient) {
        this.perClient = perClient;
    }

    int perClient() {
        return perClient;
    }

    /** Counts one more request of {@code client}, unless it has its share in flight already. */
    boolean tryEnter(String client) {
        boolean[] entered = {false};
        counts.compute(client, (c, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perClient) return n;
            entered[0] = true;
            return now + 1;
        });
        return entered[0];
    }

    /** One request of {@code client} is done; a client with none left is forgotten. */
    void exit(String client) {
        counts.computeIfPresent(client, (c, n) -> n == 1 ? null : n - 1);
    }

    /** The requests of {@code client} in flight now. */
    int of(String client) {
        return counts.getOrDefault(client, 0);
    }

    /** Clients with requests in flight (for tests). */
    int clients() {
        return counts.size();
    }
}
