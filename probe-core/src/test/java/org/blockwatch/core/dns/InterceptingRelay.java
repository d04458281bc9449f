package org.blockwatch.core.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * What an ISP that intercepts DNS looks like from the probe: a UDP port that stands for the
 * foreign resolver and hands every query to the ISP's own resolver, sending its answer back from
 * the foreign resolver's address. The probe sees a response from where it sent the query.
 */
public final class InterceptingRelay implements AutoCloseable {
    private final DatagramSocket front;
    private final InetSocketAddress isp;

    public InterceptingRelay(InetSocketAddress isp) throws IOException {
        this.isp = isp;
        this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(this::serve);
    }

    /** The address the probe believes is the foreign resolver's. */
    public ResolverAddress resolver() {
        return new ResolverAddress((InetSocketAddress) front.getLocalSocketAddress());
    }

    private void serve() {
        while (!front.isClosed()) {
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            try {
                front.receive(packet);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            SocketAddress client = packet.getSocketAddress();
            Thread.ofVirtual().start(() -> relay(query, client));
        }
    }

    private void relay(byte[] query, SocketAddress client) {
        try (DatagramSocket upstream = new DatagramSocket()) {
            upstream.setSoTimeout(2000);
            upstream.send(new DatagramPacket(query, query.length, isp));
            DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
            upstream.receive(answer);
            front.send(new DatagramPacket(answer.getData(), answer.getLength(), client));
        } catch (IOException ignored) {
            // the ISP's resolver said nothing: neither does the relay
        }
    }

    @Override
    public void close() {
        front.close();
    }
}
