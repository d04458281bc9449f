package org.blockwatch.core.dnscheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A censor's DPI in front of a server: it reads the client's first bytes (a ClientHello) and
 * resets the connection when they carry {@code marker} (the name in the SNI); any other
 * connection is relayed to the server untouched.
 */
final class SniResetProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final byte[] marker;

    SniResetProxy(InetSocketAddress upstream, String marker) throws IOException {
        this.upstream = upstream;
        this.marker = marker.getBytes(StandardCharsets.US_ASCII);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread.ofVirtual().start(() -> relay(client));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void relay(Socket client) {
        try (client; Socket up = new Socket()) {
            InputStream in = client.getInputStream();
            byte[] first = new byte[16 * 1024];
            int n = in.read(first);
            if (n <= 0) return;
            if (contains(first, n)) {
                client.setSoLinger(true, 0); // a RST, as the censor sends
                return;
            }
            up.connect(upstream);
            up.getOutputStream().write(first, 0, n);
            Thread.ofVirtual().start(() -> copy(in, output(up)));
            copy(up.getInputStream(), client.getOutputStream());
        } catch (IOException ignored) {
            // either side went away
        }
    }

    private boolean contains(byte[] data, int length) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) if (data[i + j] != marker[j]) continue outer;
            return true;
        }
        return false;
    }

    private static OutputStream output(Socket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            return OutputStream.nullOutputStream();
        }
    }

    private static void copy(InputStream from, OutputStream to) {
        try {
            from.transferTo(to);
            to.close();
        } catch (IOException ignored) {
            // a side closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
