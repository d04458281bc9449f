package org.blockwatch.core.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;

/**
 * A socket factory that remembers the sockets it made, to tell how much arrived through them (the
 * HTTP step, per fetch). Its users, OkHttp and the engine's connector, ask only for unconnected sockets.
 */
public final class RememberingSocketFactory extends SocketFactory {
    private final SocketFactory sockets;
    private final List<Socket> made = new CopyOnWriteArrayList<>();

    public RememberingSocketFactory(SocketFactory sockets) {
        this.sockets = sockets;
    }

    /** Bytes received by the sockets made so far, of those that count them (a lab's own may not). */
    public long received() {
        long n = 0;
        for (Socket s : made) {
            if (s instanceof CountingSocket c) n += c.received();
        }
        return n;
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket s = sockets.createSocket();
        made.add(s);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) {
        throw connectedNotAsked();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw connectedNotAsked();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw connectedNotAsked();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw connectedNotAsked();
    }

    /** Its users ask only for unconnected sockets and connect them themselves. */
    private static UnsupportedOperationException connectedNotAsked() {
        return new UnsupportedOperationException("ask for an unconnected socket and connect it");
    }
}
