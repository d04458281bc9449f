package org.blockwatch.sim;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A STUN server on a loopback address (RFC 5389 Binding: XOR-MAPPED-ADDRESS of the request's
 * source), with a censor in front of it that drops every request from {@code droppedSources}:
 * a censored world's STUN server, blocked for the probe's address and answering everyone else
 * (the control). Anything that is not a Binding request is ignored, as servers do.
 */
public final class SimStunServer implements AutoCloseable {
    private static final int MAGIC_COOKIE = 0x2112A442;
    private final DatagramSocket socket;
    private final Set<InetAddress> droppedSources;
    private final AtomicInteger answered = new AtomicInteger();
    private final Thread loop;

    public SimStunServer(InetAddress address, Set<InetAddress> droppedSources) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(address, 0));
        this.droppedSources = Set.copyOf(droppedSources);
        this.loop = Thread.ofVirtual().name("sim-stun").start(this::serve);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
    }

    /** How many requests were answered. */
    public int answered() {
        return answered.get();
    }

    private void serve() {
        byte[] buffer = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket request = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(request);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            if (droppedSources.contains(request.getAddress())) continue;
            ByteBuffer b = ByteBuffer.wrap(request.getData(), 0, request.getLength());
            if (request.getLength() < 20 || b.getShort() != 0x0001 || b.getShort() < 0 || b.getInt() != MAGIC_COOKIE) continue;
            byte[] transaction = new byte[12];
            b.get(transaction);
            byte[] reply = response(transaction, request.getAddress(), request.getPort());
            // Counted before it is sent: a client that has the answer may ask the count at once.
            answered.incrementAndGet();
            try {
                socket.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
            } catch (IOException e) {
                answered.decrementAndGet(); // the client went away: nothing was answered
            }
        }
    }

    /** A Binding success response carrying XOR-MAPPED-ADDRESS of an IPv4 {@code source}. */
    private static byte[] response(byte[] transaction, InetAddress source, int port) {
        byte[] ip = source.getAddress();
        byte[] cookie = ByteBuffer.allocate(4).putInt(MAGIC_COOKIE).array();
        for (int i = 0; i < ip.length && i < 4; i++) ip[i] ^= cookie[i];
        return ByteBuffer.allocate(32).putShort((short) 0x0101).putShort((short) 12).putInt(MAGIC_COOKIE).put(transaction)
                .putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1).putShort((short) (port ^ 0x2112))
                .put(ip, 0, 4).array();
    }

    @Override
    public void close() {
        socket.close();
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
