package org.blockwatch.helper.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.blockwatch.core.portfiltering.PortFilterWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The listener on loopback: its exchanges, its answers over UDP, and the limits that hold against hostile clients. */
class PortListenerTest {
    private static final InetAddress LOOPBACK = address("127.0.0.1");
    private final Random random = new Random(2022);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private PortListener listener(int tcpPorts, int udpPorts, PortListener.Limits limits) throws IOException {
        return keep(PortListener.start(LOOPBACK, java.util.Collections.nCopies(tcpPorts, 0), java.util.Collections.nCopies(udpPorts, 0), limits));
    }

    private Socket connect(int port, String from) throws IOException {
        Socket s = keep(new Socket());
        s.bind(new InetSocketAddress(address(from), 0));
        s.connect(new InetSocketAddress(LOOPBACK, port), 2_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Everything the server sends until it closes (a reset ends it too). */
    private static byte[] readToEnd(Socket s) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int r; (r = in.read(buffer)) >= 0; ) got.write(buffer, 0, r);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the listener did not close the connection", e);
        } catch (IOException reset) {
            // closed with unread input: a reset is a close too
        }
        return got.toByteArray();
    }

    /** The helper's answer to a probe's line on a new connection from {@code from}. */
    private PortFilterWire.TcpReply exchange(Socket s) throws IOException {
        String nonce = PortFilterWire.nonce(random);
        s.getOutputStream().write(PortFilterWire.tcpRequest(nonce));
        String answer = new String(readToEnd(s), StandardCharsets.US_ASCII);
        assertThat(answer).endsWith("\n");
        return PortFilterWire.tcpReply(answer.strip(), nonce);
    }

    /** Whether a probe's line on {@code s} goes unanswered: the connection ends without a byte. */
    private boolean unanswered(Socket s) throws IOException {
        try {
            s.getOutputStream().write(PortFilterWire.tcpRequest(PortFilterWire.nonce(random)));
        } catch (IOException closed) {
            // already closed by the listener
        }
        return readToEnd(s).length == 0;
    }

    @Test
    void eachTcpPortAnswersTheProbesLineWithItsNonceAndTheListenersPorts() throws Exception {
        PortListener l = listener(2, 1, PortListener.Limits.defaults());
        assertThat(l.tcpPorts()).hasSize(2).allSatisfy(p -> assertThat(p).isPositive());
        for (int port : l.tcpPorts()) {
            assertThat(exchange(connect(port, "127.0.0.1"))).isEqualTo(new PortFilterWire.TcpReply.Ours(Optional.of(l.served())));
        }
        assertThat(l.served().udp()).isEqualTo(l.udpPorts());
        assertThat(l.describe()).isEqualTo("tcp/" + l.tcpPorts().get(0) + " tcp/" + l.tcpPorts().get(1) + " udp/" + l.udpPorts().get(0) + " on 127.0.0.1");
    }

    @Test
    void aLineThatIsNotARequestIsClosedUnanswered() throws Exception {
        PortListener l = listener(1, 0, PortListener.Limits.defaults());
        Socket s = connect(l.tcpPorts().getFirst(), "127.0.0.1");
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEnd(s)).isEmpty();
    }

    @Test
    void anOversizedLineIsClosedUnansweredAfterTheLimit() throws Exception {
        PortListener l = listener(1, 0, PortListener.Limits.defaults());
        Socket s = connect(l.tcpPorts().getFirst(), "127.0.0.1");
        byte[] flood = new byte[PortFilterWire.MAX_LINE + 100];
        Arrays.fill(flood, (byte) 'a');
        System.arraycopy(PortFilterWire.ASK.getBytes(StandardCharsets.US_ASCII), 0, flood, 0, PortFilterWire.ASK.length());
        try {
            s.getOutputStream().write(flood);
        } catch (IOException reset) {
            // the listener may hang up before the whole flood is written
        }
        assertThat(readToEnd(s)).isEmpty();
    }

    @Test
    void aClientTooSlowToSendItsLineIsClosedUnanswered() throws Exception {
        PortListener l = listener(1, 0, PortListener.Limits.defaults().withReadTimeout(Duration.ofMillis(200)));
        Socket s = connect(l.tcpPorts().getFirst(), "127.0.0.1");
        s.getOutputStream().write("blockwatch-ports? abcdefgh".getBytes(StandardCharsets.US_ASCII)); // no newline, ever
        assertThat(readToEnd(s)).as("closed at the read deadline, before the client's 10 s").isEmpty();
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfConnectionsAndTheOthersAreServed() throws Exception {
        PortListener l = listener(1, 0, PortListener.Limits.defaults().withConnections(2, 512));
        int port = l.tcpPorts().getFirst();
        Socket first = connect(port, "127.0.0.1");
        Socket second = connect(port, "127.0.0.1");
        Socket third = connect(port, "127.0.0.1");
        assertThat(unanswered(third)).as("closed as it opened").isTrue();
        assertThat(l.refusedConnections()).isEqualTo(1);
        assertThat(exchange(connect(port, "127.0.0.2"))).as("another address").isInstanceOf(PortFilterWire.TcpReply.Ours.class);
        assertThat(exchange(first)).isInstanceOf(PortFilterWire.TcpReply.Ours.class);
        assertThat(exchange(second)).isInstanceOf(PortFilterWire.TcpReply.Ours.class);
    }

    @Test
    void connectionsInAllAreCappedWhateverTheirAddresses() throws Exception {
        PortListener l = listener(2, 0, PortListener.Limits.defaults().withConnections(16, 2));
        int port = l.tcpPorts().getFirst();
        Socket first = connect(port, "127.0.0.1");
        Socket second = connect(port, "127.0.0.2");
        Socket third = connect(port, "127.0.0.3");
        assertThat(unanswered(third)).isTrue();
        assertThat(l.refusedConnections()).isEqualTo(1);
        assertThat(exchange(first)).isInstanceOf(PortFilterWire.TcpReply.Ours.class);
        assertThat(exchange(second)).isInstanceOf(PortFilterWire.TcpReply.Ours.class);
    }

    private DatagramSocket udp(String from) throws IOException {
        DatagramSocket s = keep(new DatagramSocket(new InetSocketAddress(address(from), 0)));
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(DatagramSocket s, int port, byte[] data) throws IOException {
        s.send(new DatagramPacket(data, data.length, LOOPBACK, port));
    }

    private static DatagramPacket receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        return p;
    }

    @Test
    void aUdpPortAnswersTheDnsQueryAndTheQuicPingInNoMoreBytes() throws Exception {
        PortListener l = listener(0, 1, PortListener.Limits.defaults());
        int port = l.udpPorts().getFirst();
        DatagramSocket s = udp("127.0.0.1");
        String nonce = PortFilterWire.nonce(random);
        byte[] query = PortFilterWire.dnsQuery(77, nonce);
        send(s, port, query);
        DatagramPacket a = receive(s);
        assertThat(PortFilterWire.isDnsAnswer(a.getData(), a.getLength(), 77, nonce)).isTrue();
        assertThat(a.getLength()).isLessThanOrEqualTo(query.length);

        PortFilterWire.QuicPing ping = PortFilterWire.quicPing(random);
        send(s, port, ping.packet());
        DatagramPacket vn = receive(s);
        assertThat(PortFilterWire.isVersionNegotiation(vn.getData(), vn.getLength(), ping)).isTrue();
        assertThat(vn.getLength()).isLessThan(ping.packet().length);
    }

    @Test
    void garbageShortQuicAndDnsAnswersGetNoAnswer() throws Exception {
        PortListener l = listener(0, 1, PortListener.Limits.defaults());
        int port = l.udpPorts().getFirst();
        DatagramSocket s = udp("127.0.0.1");
        byte[] noise = new byte[1400];
        random.nextBytes(noise);
        noise[0] = 0x12; // not a long header: not taken for QUIC
        send(s, port, noise);
        send(s, port, Arrays.copyOf(PortFilterWire.quicPing(random).packet(), 1199));
        send(s, port, new byte[] {0});
        byte[] answer = PortFilterWire.dnsQuery(3, "abcdefgh");
        answer[2] |= (byte) 0x80; // an answer (QR), as a reflected one would be
        send(s, port, answer);
        // The port answers in the order datagrams came: the first answer is the last query's, so none of the rest had one.
        String nonce = PortFilterWire.nonce(random);
        send(s, port, PortFilterWire.dnsQuery(5, nonce));
        DatagramPacket first = receive(s);
        assertThat(PortFilterWire.isDnsAnswer(first.getData(), first.getLength(), 5, nonce)).isTrue();
    }

    @Test
    void aQueryOutsideTheZoneIsRefusedWithItsQuestionAlone() throws Exception {
        PortListener l = listener(0, 1, PortListener.Limits.defaults());
        DatagramSocket s = udp("127.0.0.1");
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.A, DClass.IN)).toWire();
        send(s, l.udpPorts().getFirst(), query);
        DatagramPacket p = receive(s);
        assertThat(p.getLength()).isLessThanOrEqualTo(query.length);
        Message refused = new Message(Arrays.copyOf(p.getData(), p.getLength()));
        assertThat(refused.getRcode()).isEqualTo(org.xbill.DNS.Rcode.REFUSED);
        assertThat(refused.getQuestion().getName()).hasToString("example.org.");
    }

    @Test
    void answersToOneAddressAreRateLimitedAndOthersStillAnswered() throws Exception {
        PortListener l = listener(0, 1, PortListener.Limits.defaults().withDatagrams(2, 60_000));
        int port = l.udpPorts().getFirst();
        DatagramSocket flood = udp("127.0.0.1");
        DatagramSocket other = udp("127.0.0.2");
        for (int id = 1; id <= 3; id++) send(flood, port, PortFilterWire.dnsQuery(id, "abcdefgh"));
        send(other, port, PortFilterWire.dnsQuery(9, "abcdefgh"));
        DatagramPacket otherAnswer = receive(other);
        assertThat(PortFilterWire.isDnsAnswer(otherAnswer.getData(), otherAnswer.getLength(), 9, "abcdefgh")).isTrue();
        // The other address's answer came after the flood's three were handled: two answers are waiting, not three.
        for (int id = 1; id <= 2; id++) {
            DatagramPacket p = receive(flood);
            assertThat(PortFilterWire.isDnsAnswer(p.getData(), p.getLength(), id, "abcdefgh")).isTrue();
        }
        flood.setSoTimeout(200);
        assertThatThrownBy(() -> receive(flood)).isInstanceOf(SocketTimeoutException.class);
        assertThat(l.rateLimitedDatagrams()).isEqualTo(1);
    }

    @Test
    void aPortInUseIsAnErrorNamingItAndNothingStaysBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK); DatagramSocket takenUdp = new DatagramSocket(0, LOOPBACK)) {
            int tcp = taken.getLocalPort();
            assertThatThrownBy(() -> PortListener.start(LOOPBACK, List.of(tcp), List.of(), PortListener.Limits.defaults()))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("tcp/" + tcp + ": cannot listen on 127.0.0.1:" + tcp + ": ")
                    .hasMessageContaining("(another program listens there)");
            int udp = takenUdp.getLocalPort();
            int free;
            try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
                free = probe.getLocalPort();
            }
            assertThatThrownBy(() -> PortListener.start(LOOPBACK, List.of(free), List.of(udp), PortListener.Limits.defaults()))
                    .hasMessageStartingWith("udp/" + udp + ": cannot listen on 127.0.0.1:" + udp + ": ");
            try (ServerSocket again = new ServerSocket(free, 1, LOOPBACK)) {
                assertThat(again.getLocalPort()).as("the TCP port bound before the failure was let go").isEqualTo(free);
            }
        }
    }

    @Test
    void aPrivilegedPortRefusedSaysWhatItNeeds() {
        IOException e = PortListener.bindFailure("tcp", new InetSocketAddress(address("0.0.0.0"), 22), new java.net.BindException("Permission denied"));
        assertThat(e).hasMessage("tcp/22: cannot listen on 0.0.0.0:22: Permission denied (ports below 1024 need root or the CAP_NET_BIND_SERVICE capability)");
    }

    @Test
    void portListsAreReadWithTheirMistakesNamed() {
        assertThat(PortList.parse("22, 53,443", "--ports-tcp")).containsExactly(22, 53, 443);
        assertThat(PortList.parse("", "--ports-udp")).isEmpty();
        assertThatThrownBy(() -> PortList.parse("22,ssh", "--ports-tcp")).hasMessage("--ports-tcp: 'ssh' is not a port number (expected a list such as 22,53,443)");
        assertThatThrownBy(() -> PortList.parse("0", "--ports-tcp")).hasMessage("--ports-tcp: 0 is not a port (1 to 65535)");
        assertThatThrownBy(() -> PortList.parse("53,53", "--ports-udp")).hasMessage("--ports-udp: 53 is given twice");
        assertThatThrownBy(() -> PortList.parse("22,", "--ports-tcp")).hasMessageContaining("'' is not a port number");
    }
}
