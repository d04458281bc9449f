package org.blockwatch.core.portfiltering;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare helper for probe-core's own tests (the real one, with its limits, is probe-helper's
 * PortListener, tested there against this kind): loopback TCP and UDP ports answering as
 * {@link PortFilterWire} says, one connection and one datagram at a time.
 */
final class WireResponder implements AutoCloseable {
    private final List<ServerSocket> tcp = new ArrayList<>();
    private final List<DatagramSocket> udp = new ArrayList<>();

    WireResponder(int tcpPorts, int udpPorts) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < tcpPorts; i++) tcp.add(new ServerSocket(0, 16, loopback));
        for (int i = 0; i < udpPorts; i++) udp.add(new DatagramSocket(0, loopback));
        HelperPorts served = new HelperPorts(tcpPorts(), udpPorts());
        for (ServerSocket s : tcp) Thread.ofVirtual().start(() -> accept(s, served));
        for (DatagramSocket s : udp) Thread.ofVirtual().start(() -> answer(s));
    }

    List<Integer> tcpPorts() {
        return tcp.stream().map(ServerSocket::getLocalPort).toList();
    }

    List<Integer> udpPorts() {
        return udp.stream().map(DatagramSocket::getLocalPort).toList();
    }

    private static void accept(ServerSocket server, HelperPorts served) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                byte[] buffer = new byte[PortFilterWire.MAX_LINE];
                InputStream in = s.getInputStream();
                int n = 0;
                for (int r; n < buffer.length && (r = in.read(buffer, n, buffer.length - n)) > 0; ) {
                    n += r;
                    if (buffer[n - 1] == '\n') break;
                }
                if (n > 0 && buffer[n - 1] == '\n') {
                    byte[] answer = PortFilterWire.tcpAnswer(buffer, n - 1, served).orElse(new byte[0]);
                    s.getOutputStream().write(answer);
                }
            } catch (IOException e) {
                // closed
            }
        }
    }

    private static void answer(DatagramSocket socket) {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                socket.receive(p);
                var answer = PortFilterWire.udpAnswer(p.getData(), p.getLength(), 0);
                if (answer.isPresent()) socket.send(new DatagramPacket(answer.get(), answer.get().length, p.getSocketAddress()));
            } catch (IOException e) {
                // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket s : tcp) s.close();
        for (DatagramSocket s : udp) s.close();
    }
}
