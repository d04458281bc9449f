package org.blockwatch.helper.ports;

import java.net.InetAddress;
import org.blockwatch.helper.RateLimiter;

/**
 * Datagrams a listener answers, shared by its UDP ports: so many per client address per minute
 * and so many in all. Answers are never longer than what they answer, but a forged source could
 * still aim them at someone: this bounds how much. Addresses live only in memory; never logged.
 */
final class DatagramBudget {
    private static final String ALL = "all";
    private final RateLimiter perAddress;
    private final RateLimiter inAll;

    DatagramBudget(int perAddressPerMinute, int perMinute) {
        this.perAddress = new RateLimiter(perAddressPerMinute);
        this.inAll = new RateLimiter(perMinute);
    }

    /** Whether one more datagram from {@code address} may be answered now. */
    boolean tryAnswer(InetAddress address) {
        long now = System.nanoTime();
        return perAddress.tryAcquire(address.getHostAddress(), now) && inAll.tryAcquire(ALL, now);
    }
}
