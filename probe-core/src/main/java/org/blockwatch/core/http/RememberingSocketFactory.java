package org.blockwatch.core.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;
import org.blockwatch.core.tcp.CountingSocket;

/**
 * The engine's socket factory for one fetch, remembering the sockets it made so that the fetch
 * can tell how much arrived. OkHttp asks only for unconnected sockets.
 */
final class RememberingSocketFactory extends SocketFactory {
    private final SocketFactory sockets;
    private final List<Socket> made = new CopyOnWriteArrayList<>();

    RememberingSocketFactory(SocketFactory sockets) {
        this.sockets = sockets;
    }

    /** Bytes received by the sockets made so far, of those that count them (a lab's own may not). */
    long received() {
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

    /** OkHttp asks only for unconnected sockets and connects them itself. */
    private static UnsupportedOperationException connectedNotAsked() {
        return new UnsupportedOperationException("OkHttp connects unconnected sockets");
    }
}
