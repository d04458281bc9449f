package org.blockwatch.helper.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.nettest.Nettests;
import org.blockwatch.core.nettest.Reach;
import org.blockwatch.core.portfiltering.ChannelOutcome;
import org.blockwatch.core.portfiltering.PortFiltering;
import org.blockwatch.core.portfiltering.PortFilteringResult;
import org.blockwatch.core.portfiltering.TcpExchange;
import org.blockwatch.core.portfiltering.UdpExchange;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.blockwatch.sim.CensoredPath;
import org.blockwatch.sim.Fault;
import org.blockwatch.sim.FaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The port-filtering kind against the real listener on loopback, the probe's TCP going through a
 * simulated censor ({@link CensoredPath}) where a scenario needs one: a port refused on the way, a
 * middlebox that accepts every connection and never answers, one that echoes, UDP dropped.
 */
class PortFilteringAgainstListenerTest {
    private static final InetAddress LOOPBACK = address("127.0.0.1");
    private static final Duration STEP = Duration.ofMillis(500);
    private final CensoredPath path = new CensoredPath();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
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

    private PortListener listener(int tcpPorts, int udpPorts) throws IOException {
        return keep(PortListener.start(LOOPBACK, Collections.nCopies(tcpPorts, 0), Collections.nCopies(udpPorts, 0), PortListener.Limits.defaults()));
    }

    private PortFilteringResult measure(List<Integer> tcp, List<Integer> dns, List<Integer> quic) {
        WebEngine engine = keep(new WebEngine(EngineConfig.defaults().toBuilder().stepTimeout(STEP).sockets(path).build()));
        PortFiltering kind = new PortFiltering(engine.steps(), new PortFiltering.Ports(tcp, dns, quic), null);
        PortFilteringResult r = (PortFilteringResult) Nettests.measure(kind, "portfilter://127.0.0.1").result();
        System.out.printf("portfiltering %s: %d channels, %d bytes (estimated), %.3f s%n", r.surviving(), r.channels().size(), r.bytes(),
                r.runtimeSeconds());
        return r;
    }

    /** {@code n} distinct loopback ports with nothing listening on them. */
    private static List<Integer> closedPorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) held.add(new ServerSocket(0, 1, LOOPBACK));
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : held) s.close();
        }
    }

    private static int closedPort() throws IOException {
        return closedPorts(1).getFirst();
    }

    private static ChannelOutcome outcome(PortFilteringResult r, String label) {
        return r.channels().stream().filter(c -> c.channel().label().equals(label)).findFirst().orElseThrow(() -> new AssertionError(label));
    }

    @Test
    void everyChannelThroughIsAccessibleAndAllSurvive() throws Exception {
        PortListener l = listener(3, 1);
        int udp = l.udpPorts().getFirst();
        PortFilteringResult r = measure(l.tcpPorts(), List.of(udp), List.of(udp));
        List<String> expected = new ArrayList<>(l.tcpPorts().stream().sorted().map(p -> "tcp/" + p).toList());
        expected.add("udp/" + udp);
        expected.add("quic/" + udp);
        assertThat(r.surviving()).containsExactlyElementsOf(expected);
        assertThat(r.verdict().status()).as(r.verdict().explanation()).isEqualTo(Status.ACCESSIBLE);
        assertThat(r.helperPorts()).isEqualTo(l.served());
        assertThat(r.tcpConnect()).hasSize(3).allMatch(TcpConnect::success);
        assertThat(r.tcpExchanges()).hasSize(3).allSatisfy(x -> {
            assertThat(x.failure()).isNull();
            assertThat(x.sentBytes()).isEqualTo(256);
        });
        assertThat(r.udp()).extracting(UdpExchange::service, UdpExchange::failure).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("dns", null), org.assertj.core.groups.Tuple.tuple("quic", null));
        assertThat(r.reach()).isEqualTo(new Reach(Reach.Control.NOT_ASKED, true));
    }

    @Test
    void aPortRefusedOnTheWayAndOneBehindAnAcceptEverythingMiddleboxAreBlockedTheRestSurvive() throws Exception {
        PortListener l = listener(4, 1);
        int reachable = l.tcpPorts().get(0);
        int refused = l.tcpPorts().get(1);
        int accepted = l.tcpPorts().get(2);
        int echoed = l.tcpPorts().get(3);
        // The censor: RSTs for one port, answers the handshake of another itself and then says nothing, echoes on a third.
        path.detour("127.0.0.1", refused, closedPort());
        FaultServer staller = keep(new FaultServer(Fault.STALL));
        path.detour("127.0.0.1", accepted, staller.port());
        EchoServer echo = keep(new EchoServer());
        path.detour("127.0.0.1", echoed, echo.port());
        int udp = l.udpPorts().getFirst();

        PortFilteringResult r = measure(l.tcpPorts(), List.of(udp), List.of(udp));
        assertThat(r.surviving()).containsExactly("tcp/" + reachable, "udp/" + udp, "quic/" + udp);
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.verdict().method()).isEqualTo(Method.TCP_IP);
        assertThat(r.verdict().explanation()).contains("tcp/" + refused + " connection_refused", "tcp/" + accepted + " generic_timeout_error",
                "tcp/" + echoed + " unexpected_answer", "these still reach it: tcp/" + reachable + ", udp/" + udp + ", quic/" + udp);

        assertThat(r.tcpConnect()).filteredOn(c -> c.port() == refused).singleElement().satisfies(c -> assertThat(c.failure()).isEqualTo(Failure.CONNECTION_REFUSED));
        // The middlebox's ports were connected (OONI's tcp_connect says success) and do not count: the helper never answered there.
        assertThat(r.tcpConnect()).filteredOn(c -> c.port() == accepted || c.port() == echoed).hasSize(2).allMatch(TcpConnect::success);
        assertThat(r.tcpExchanges()).filteredOn(x -> x.port() == accepted).singleElement().extracting(TcpExchange::failure).isEqualTo(Failure.GENERIC_TIMEOUT);
        assertThat(r.tcpExchanges()).filteredOn(x -> x.port() == echoed).singleElement().extracting(TcpExchange::failure)
                .isEqualTo(PortFiltering.UNEXPECTED_ANSWER);
        assertThat(outcome(r, "tcp/" + accepted).status()).isEqualTo(ChannelOutcome.Status.FAILED);
        assertThat(r.tcpConnect()).extracting(TcpConnect::transactionId).as("in the order tried").isSorted().doesNotHaveDuplicates();
        assertThat(staller.accepted()).isEqualTo(1);
    }

    @Test
    void udpDroppedOnTheWayIsBlockedWhileTheHelpersUdpPortAnswers() throws Exception {
        PortListener l = listener(0, 1);
        int udp = l.udpPorts().getFirst();
        DatagramSocket silent = keep(new DatagramSocket(0, LOOPBACK)); // takes datagrams, answers none: a drop
        int dropped = silent.getLocalPort();
        PortFilteringResult r = measure(List.of(), List.of(udp, dropped), List.of(udp, dropped));
        assertThat(r.surviving()).containsExactly("udp/" + udp, "quic/" + udp);
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
        assertThat(r.udp()).filteredOn(x -> x.port() == dropped).hasSize(2).allSatisfy(x -> {
            assertThat(x.failure()).isEqualTo(Failure.GENERIC_TIMEOUT);
            assertThat(x.datagramsSent()).as("sent again within the timeout").isEqualTo(3);
            assertThat(x.receivedBytes()).isZero();
        });
        assertThat(r.helperPorts()).as("no TCP answer listed the helper's ports").isNull();
    }

    @Test
    void aPortTheHelperDoesNotListenOnIsNotServedNotBlocked() throws Exception {
        PortListener l = listener(1, 1);
        int closed = closedPort();
        int udp = l.udpPorts().getFirst();
        PortFilteringResult r = measure(List.of(l.tcpPorts().getFirst(), closed), List.of(udp), List.of(udp));
        assertThat(r.tcpConnect()).filteredOn(c -> c.port() == closed).singleElement().satisfies(c -> assertThat(c.failure()).isEqualTo(Failure.CONNECTION_REFUSED));
        assertThat(outcome(r, "tcp/" + closed).status()).isEqualTo(ChannelOutcome.Status.NOT_SERVED);
        assertThat(r.verdict().status()).as(r.verdict().explanation()).isEqualTo(Status.ACCESSIBLE);
        assertThat(r.verdict().explanation()).contains("does not listen there: tcp/" + closed);
    }

    @Test
    void theHelpersListIsIgnoredWhenItsPortsAreMappedOnTheWay() throws Exception {
        PortListener l = listener(1, 0);
        // The helper's port is published as another (a NAT, a redirect): the list it gives names a port the probe never tries.
        List<Integer> closed = closedPorts(2);
        int published = closed.get(0);
        path.detour("127.0.0.1", published, l.tcpPorts().getFirst());
        int blocked = closed.get(1);
        PortFilteringResult r = measure(List.of(published, blocked), List.of(), List.of());
        assertThat(r.surviving()).containsExactly("tcp/" + published);
        assertThat(r.helperPorts()).isEqualTo(l.served());
        assertThat(outcome(r, "tcp/" + blocked).status()).as("the list does not speak for the ports tried").isEqualTo(ChannelOutcome.Status.FAILED);
        assertThat(r.verdict().status()).isEqualTo(Status.BLOCKED);
    }

    @Test
    void nothingThroughIsInconclusiveAndLooksLikeNoNetwork() throws Exception {
        DatagramSocket silent = keep(new DatagramSocket(0, LOOPBACK));
        PortFilteringResult r = measure(closedPorts(2), List.of(silent.getLocalPort()), List.of());
        assertThat(r.surviving()).isEmpty();
        assertThat(r.verdict().status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(r.reach().nothingAnswered()).isTrue();
    }

    /** A middlebox that answers whatever it is sent with the same bytes. */
    private static final class EchoServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 8, LOOPBACK);

        EchoServer() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        byte[] buffer = new byte[1024];
                        for (int n; (n = in.read(buffer)) > 0; ) s.getOutputStream().write(buffer, 0, n);
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
