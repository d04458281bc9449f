package org.blockwatch.helper.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * At most {@code perAddress} connections from one client address: one more is closed as soon as
 * it opens, before it is read, so one client (one address) can never hold the slots every other
 * client needs. Loopback (a proxy on the same machine) and the {@code uncapped} addresses (trusted
 * proxies) are not counted. Only network connections count (under TLS, the connection of the
 * decrypted stream is the same client). Addresses live only in memory while connected; never logged.
 */
final class PerAddressLimit implements Connection.Listener {
    private final int perAddress;
    private final Set<String> uncapped;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** Each counted connection's address, taken when it opened: a closed channel no longer tells its peer. */
    private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();
    /** Connections refused so far (for tests and logs). */
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

    private final boolean capLoopback;

    PerAddressLimit(int perAddress, Set<String> uncapped, boolean capLoopback) {
        this.perAddress = perAddress;
        this.uncapped = Set.copyOf(uncapped);
        this.capLoopback = capLoopback;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = clientOf(connection);
        if (client == null) return;
        counted.put(connection, client);
        int now = open.merge(client, 1, Integer::sum);
        if (now > perAddress) {
            refused.incrementAndGet();
            connection.getEndPoint().close(); // onClosed follows and takes the count back
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress client = counted.remove(connection);
        if (client != null) open.computeIfPresent(client, (a, n) -> n <= 1 ? null : n - 1);
    }

    long refused() {
        return refused.get();
    }

    /** The client address a connection counts against, or null when it is not counted. */
    private InetAddress clientOf(Connection connection) {
        if (!(connection.getEndPoint() instanceof SocketChannelEndPoint network)) return null;
        SocketAddress remote = network.getRemoteSocketAddress();
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) return null;
        InetAddress address = inet.getAddress();
        if ((address.isLoopbackAddress() && !capLoopback) || uncapped.contains(address.getHostAddress())) return null;
        return address;
    }
}
