package org.blockwatch.helper.ports;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Connections open at once, shared by every TCP port of a listener: at most {@code perAddress}
 * from one client address (so one client never holds the slots every other needs), at most
 * {@code inAll} in all. Addresses live only in memory while connected; never logged.
 */
final class ConnectionSlots {
    private final int perAddress;
    private final Semaphore all;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    ConnectionSlots(int perAddress, int inAll) {
        this.perAddress = perAddress;
        this.all = new Semaphore(inAll);
    }

    /** Takes a slot for a connection from {@code address}; false when its share or the whole is taken. */
    boolean tryEnter(InetAddress address) {
        if (!all.tryAcquire()) return false;
        boolean[] entered = {false};
        open.compute(address, (a, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perAddress) return n;
            entered[0] = true;
            return now + 1;
        });
        if (!entered[0]) all.release();
        return entered[0];
    }

    /** Gives back the slot of a connection from {@code address} that {@link #tryEnter} let in. */
    void exit(InetAddress address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        all.release();
    }
}
