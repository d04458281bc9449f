package org.blockwatch.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;

/**
 * The probe's network path through a simulated censor, as a {@link SocketFactory}: a connection
 * to a chosen endpoint is carried to another one (a server that resets, stalls, intercepts or
 * serves a blockpage), the way a router's DNAT would; every other connection goes where it was
 * meant to, or where the path {@code beyond} it carries it. Only the probe uses a censor's path:
 * the control keeps the open path. A path without a censor serves as the simulated internet's
 * routes (a well-known port of a public address carried to the loopback port of the server
 * there, as an unprivileged process cannot listen on port 443), which the censor's path goes on
 * to. Thread-safe.
 */
public final class CensoredPath extends SocketFactory {
    private final Map<InetSocketAddress, InetSocketAddress> detours = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, InTurn> inTurn = new ConcurrentHashMap<>();
    private final CensoredPath beyond;

    /** A path that ends here: what it does not detour goes where it was meant to. */
    public CensoredPath() {
        this(null);
    }

    /** A path in front of {@code beyond}: what it does not detour goes on by {@code beyond}'s routes. */
    public CensoredPath(CensoredPath beyond) {
        this.beyond = beyond;
    }

    /** Connections to {@code destination} reach {@code actual} instead. */
    public CensoredPath detour(InetSocketAddress destination, InetSocketAddress actual) {
        detours.put(destination, actual);
        return this;
    }

    public CensoredPath detour(String ip, int port, int loopbackPort) {
        return detour(new InetSocketAddress(DnsBehaviour.ip(ip), port), new InetSocketAddress(InetAddress.getLoopbackAddress(), loopbackPort));
    }

    /**
     * Connections to {@code ip:port} reach each of {@code loopbackPorts} in turn, the first
     * connection the first: a flaky or layered censor (a dropped SYN one time, a reset ClientHello
     * the next).
     */
    public CensoredPath detourInTurn(String ip, int port, int... loopbackPorts) {
        List<InetSocketAddress> actual = new ArrayList<>();
        for (int p : loopbackPorts) actual.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
        inTurn.put(new InetSocketAddress(DnsBehaviour.ip(ip), port), new InTurn(List.copyOf(actual), new AtomicInteger()));
        return this;
    }

    private record InTurn(List<InetSocketAddress> actual, AtomicInteger next) {
        InetSocketAddress take() {
            return actual.get(Math.floorMod(next.getAndIncrement(), actual.size()));
        }
    }

    InetSocketAddress route(InetSocketAddress destination) {
        InTurn turn = inTurn.get(destination);
        if (turn != null) return turn.take();
        InetSocketAddress detour = detours.get(destination);
        if (detour != null) return detour;
        return beyond == null ? destination : beyond.route(destination);
    }

    @Override
    public Socket createSocket() {
        return new DetouredSocket();
    }

    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException("connect with an address");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("connect with an address");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        s.connect(new InetSocketAddress(address, port));
        return s;
    }

    private final class DetouredSocket extends Socket {
        DetouredSocket() {
            super(Proxy.NO_PROXY);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            super.connect(endpoint instanceof InetSocketAddress isa ? route(isa) : endpoint, timeout);
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }
    }
}
