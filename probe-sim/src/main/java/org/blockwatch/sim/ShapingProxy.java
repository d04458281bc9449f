package org.blockwatch.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A censor's shaper in front of a server: it reads the client's first bytes (a TLS ClientHello,
 * an HTTP request) and, when they carry {@code marker} (the name the censor targets, in the SNI
 * or the Host header), holds the server's answer to {@code chunk} bytes every {@code pause}, as
 * iptables' string match with tc does. Connections without the marker pass at full speed.
 */
public final class ShapingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final byte[] marker;
    private final int chunk;
    private final Duration pause;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    public ShapingProxy(InetSocketAddress upstream, String marker, int chunk, Duration pause) throws IOException {
        this.upstream = upstream;
        this.marker = marker.getBytes(StandardCharsets.US_ASCII);
        this.chunk = chunk;
        this.pause = pause;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Acceptor.start("shaper", server, open, this::relay);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void relay(Socket client) {
        try (client; Socket up = new Socket()) {
            open.add(up);
            up.connect(upstream);
            InputStream in = client.getInputStream();
            byte[] first = new byte[16 * 1024];
            int n = in.read(first);
            if (n <= 0) return;
            boolean shaped = contains(first, n, marker);
            up.getOutputStream().write(first, 0, n);
            Thread.ofVirtual().start(() -> copy(in, output(up), Integer.MAX_VALUE, null));
            copy(up.getInputStream(), client.getOutputStream(), shaped ? chunk : 16 * 1024, shaped ? pause : null);
        } catch (IOException ignored) {
            // either side went away
        } finally {
            open.remove(client);
        }
    }

    private static OutputStream output(Socket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            return OutputStream.nullOutputStream();
        }
    }

    /** Copies until either side closes, {@code chunk} bytes at a time, pausing after each when shaped. */
    private static void copy(InputStream from, OutputStream to, int chunk, Duration pause) {
        byte[] buffer = new byte[Math.min(chunk, 16 * 1024)];
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
                if (pause != null) Thread.sleep(pause); // the shaper's pace, not a wait for anything
            }
        } catch (IOException | InterruptedException ignored) {
            // a side closed
        } finally {
            try {
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static boolean contains(byte[] data, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }
}
