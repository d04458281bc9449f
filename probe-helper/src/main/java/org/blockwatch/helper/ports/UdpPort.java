package org.blockwatch.helper.ports;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.blockwatch.core.portfiltering.PortFilterWire;

/**
 * One UDP port of a {@link PortListener}: each datagram gets the answer {@link PortFilterWire#udpAnswer}
 * gives (a Version Negotiation to a QUIC Initial, a DNS answer to a query in the helper's zone,
 * REFUSED to another query), never longer than itself, within the listener's {@link DatagramBudget};
 * anything else none.
 */
final class UdpPort {
    /** Longer datagrams are cut here: a QUIC Initial needs only its header, a DNS query is far shorter. */
    private static final int BUFFER = 2048;
    private final DatagramSocket socket;
    private final DatagramBudget budget;
    private final AtomicLong rateLimited = new AtomicLong();

    private UdpPort(DatagramSocket socket, DatagramBudget budget) {
        this.socket = socket;
        this.budget = budget;
    }

    static UdpPort bind(InetSocketAddress at, DatagramBudget budget) throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        try {
            socket.bind(at);
        } catch (IOException e) {
            socket.close();
            throw PortListener.bindFailure("udp", at, e);
        }
        return new UdpPort(socket, budget);
    }

    int port() {
        return socket.getLocalPort();
    }

    long rateLimited() {
        return rateLimited.get();
    }

    void start(ExecutorService threads) {
        threads.execute(this::serve);
    }

    private void serve() {
        byte[] buffer = new byte[BUFFER];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
                Optional<byte[]> answer = PortFilterWire.udpAnswer(p.getData(), p.getLength(), ThreadLocalRandom.current().nextInt());
                if (answer.isEmpty()) continue;
                if (!budget.tryAnswer(p.getAddress())) {
                    rateLimited.incrementAndGet();
                    continue;
                }
                socket.send(new DatagramPacket(answer.get(), answer.get().length, p.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) return;
                // an ICMP error from an earlier answer's destination: keep serving
            }
        }
    }

    void close() {
        socket.close();
    }
}
