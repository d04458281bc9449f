package org.blockwatch.helper.ports;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.portfiltering.HelperPorts;
import org.blockwatch.core.portfiltering.PortFilterWire;

/**
 * The other end of the port-filtering kind ({@code portfiltering}): listens on the TCP and UDP
 * ports an operator opens outside a censored network, and answers the exchanges of
 * {@link PortFilterWire} there, so that a probe inside can tell which ways out still reach it.
 * TCP: one line read (at most {@link Limits#maxLineBytes}, within {@link Limits#readTimeout}),
 * one line answered, the connection closed; connections per client address and in all capped
 * (more are closed as they open). UDP: each port answers a DNS query for a name in
 * {@link PortFilterWire#ZONE} (and refuses other queries) and a QUIC Initial of an unknown
 * version, never with more bytes than it received, within a rate per client address and in all;
 * anything else gets no answer.
 *
 * <p>{@code blockwatch control-server --ports-tcp ... --ports-udp ...} starts one beside the
 * control server, on the address of its {@code --listen}; standalone, {@link #start} does. Client
 * addresses are used for the limits only and never logged. Port 0 binds an ephemeral port (tests).
 */
public final class PortListener implements AutoCloseable {
    /**
     * How the listener holds against hostile clients: a line of at most {@code maxLineBytes}
     * (its newline included) within {@code readTimeout} of the connection's start;
     * {@code connectionsPerAddress} open at once per client address, {@code maxConnections} in
     * all; datagrams answered per client address per minute, and in all per minute.
     */
    public record Limits(int maxLineBytes, Duration readTimeout, int connectionsPerAddress, int maxConnections, int datagramsPerAddressPerMinute,
            int datagramsPerMinute) {
        public Limits {
            if (maxLineBytes < 32 || maxLineBytes > PortFilterWire.MAX_LINE) {
                throw new IllegalArgumentException("a line is 32 to " + PortFilterWire.MAX_LINE + " bytes, not " + maxLineBytes);
            }
            if (readTimeout.isNegative() || readTimeout.isZero()) throw new IllegalArgumentException("the read timeout must be positive");
            if (connectionsPerAddress < 1 || maxConnections < 1 || datagramsPerAddressPerMinute < 1 || datagramsPerMinute < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        /**
         * 512-byte lines within 5 s (a probe's line is 256 bytes, sent at once); 16 connections per
         * address (a probe opens 4 at once; a few share a NAT) and 512 in all; 120 datagrams a
         * minute per address (a probe sends at most 3 per channel) and 60,000 in all.
         */
        public static Limits defaults() {
            return new Limits(PortFilterWire.MAX_LINE, Duration.ofSeconds(5), 16, 512, 120, 60_000);
        }

        public Limits withReadTimeout(Duration d) {
            return new Limits(maxLineBytes, d, connectionsPerAddress, maxConnections, datagramsPerAddressPerMinute, datagramsPerMinute);
        }

        public Limits withConnections(int perAddress, int inAll) {
            return new Limits(maxLineBytes, readTimeout, perAddress, inAll, datagramsPerAddressPerMinute, datagramsPerMinute);
        }

        public Limits withDatagrams(int perAddressPerMinute, int perMinute) {
            return new Limits(maxLineBytes, readTimeout, connectionsPerAddress, maxConnections, perAddressPerMinute, perMinute);
        }
    }

    private final InetAddress bind;
    private final List<TcpPort> tcp;
    private final List<UdpPort> udp;
    private final ExecutorService threads;

    private PortListener(InetAddress bind, List<TcpPort> tcp, List<UdpPort> udp, ExecutorService threads) {
        this.bind = bind;
        this.tcp = tcp;
        this.udp = udp;
        this.threads = threads;
    }

    /**
     * Listens on {@code tcpPorts} and {@code udpPorts} of {@code bind} (the wildcard address for
     * all of the machine's) and starts answering.
     *
     * @throws IOException naming the port that could not be bound ({@code tcp/22: ...}) and why;
     *     nothing stays bound then
     */
    public static PortListener start(InetAddress bind, List<Integer> tcpPorts, List<Integer> udpPorts, Limits limits) throws IOException {
        if (tcpPorts.isEmpty() && udpPorts.isEmpty()) throw new IllegalArgumentException("no port to listen on");
        ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("port-listener-", 0).factory());
        List<TcpPort> tcp = new ArrayList<>();
        List<UdpPort> udp = new ArrayList<>();
        ConnectionSlots slots = new ConnectionSlots(limits.connectionsPerAddress(), limits.maxConnections());
        DatagramBudget budget = new DatagramBudget(limits.datagramsPerAddressPerMinute(), limits.datagramsPerMinute());
        try {
            for (int port : tcpPorts) tcp.add(TcpPort.bind(new InetSocketAddress(bind, port), limits, slots));
            for (int port : udpPorts) udp.add(UdpPort.bind(new InetSocketAddress(bind, port), budget));
        } catch (IOException e) {
            for (TcpPort p : tcp) p.close();
            for (UdpPort p : udp) p.close();
            threads.shutdownNow();
            throw e;
        }
        PortListener listener = new PortListener(bind, List.copyOf(tcp), List.copyOf(udp), threads);
        HelperPorts served = listener.served();
        for (TcpPort p : tcp) p.start(threads, served);
        for (UdpPort p : udp) p.start(threads);
        return listener;
    }

    /** What a probe's TCP answer lists: the ports bound, in the order given. */
    public HelperPorts served() {
        return new HelperPorts(tcpPorts(), udpPorts());
    }

    public List<Integer> tcpPorts() {
        return tcp.stream().map(TcpPort::port).toList();
    }

    public List<Integer> udpPorts() {
        return udp.stream().map(UdpPort::port).toList();
    }

    public InetAddress address() {
        return bind;
    }

    /** Connections closed as they opened because a limit was reached (for tests and logs). */
    public long refusedConnections() {
        return tcp.stream().mapToLong(TcpPort::refused).sum();
    }

    /** Datagrams left unanswered because a client's or the listener's rate was spent (for tests and logs). */
    public long rateLimitedDatagrams() {
        return udp.stream().mapToLong(UdpPort::rateLimited).sum();
    }

    /** {@code tcp/22 tcp/443 udp/53 on 0.0.0.0}: for the operator's log. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (int p : tcpPorts()) parts.add("tcp/" + p);
        for (int p : udpPorts()) parts.add("udp/" + p);
        return String.join(" ", parts) + " on " + Endpoint.hostPart(bind.getHostAddress());
    }

    /**
     * The error of a port that could not be bound, naming it: {@code tcp/22: cannot listen on
     * 0.0.0.0:22: Permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)}.
     */
    static IOException bindFailure(String transport, InetSocketAddress at, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String hint = "";
        if (at.getPort() > 0 && at.getPort() < 1024 && why.toLowerCase(java.util.Locale.ROOT).contains("permission denied")) {
            hint = " (ports below 1024 need root or the CAP_NET_BIND_SERVICE capability)";
        } else if (why.toLowerCase(java.util.Locale.ROOT).contains("in use")) {
            hint = " (another program listens there)";
        }
        IOException named = new BindException(transport + "/" + at.getPort() + ": cannot listen on " + Endpoint.of(at) + ": " + why + hint);
        named.initCause(e);
        return named;
    }

    @Override
    public void close() {
        for (TcpPort p : tcp) p.close();
        for (UdpPort p : udp) p.close();
        threads.shutdownNow();
    }
}
