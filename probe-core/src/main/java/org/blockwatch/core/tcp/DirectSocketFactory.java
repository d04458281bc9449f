package org.blockwatch.core.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain sockets that never go through a proxy (the JDK's default honours socksProxyHost, which
 * would measure the proxy's network instead of the probe's). The engine's sockets all come from
 * a {@link SocketFactory}, so a lab can route them through a simulated censor instead.
 */
public final class DirectSocketFactory extends SocketFactory {
    public static final DirectSocketFactory INSTANCE = new DirectSocketFactory();

    /** A socket that counts what it receives ({@link CountingSocket}), with no proxy. */
    @Override
    public Socket createSocket() {
        return new CountingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new UnsupportedOperationException("connect with an address, never a name");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new UnsupportedOperationException("connect with an address, never a name");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localAddress, localPort));
        s.connect(new java.net.InetSocketAddress(address, port));
        return s;
    }
}
