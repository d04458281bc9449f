package org.blockwatch.core.portfiltering;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.dns.Resolution;
import org.blockwatch.core.engine.Steps;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.FailureClassifier;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.nettest.BoundedParallel;
import org.blockwatch.core.nettest.Nettest;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.Trace;
import org.blockwatch.core.tcp.TcpConnector;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/**
 * Port filtering (OONI's ts-038, probe-cli's {@code portfiltering} 0.1.0): which ways out of the
 * probe's network still reach a helper outside it. When a network is cut down to a whitelist
 * (Kazakhstan, January 2022), some ports stay open abroad and people use them; this kind says which.
 *
 * <p>As OONI's, it connects to the helper's TCP ports in a pseudo-random order ({@code tcp_connect}).
 * blockwatch goes further, in keys of its own: on each connection the helper's line exchange
 * ({@code x_tcp_exchange}), since a middlebox that accepts every SYN would otherwise pass for an
 * open port; and over UDP a DNS query and a QUIC Initial ({@code x_udp}), which the helper answers
 * ({@link PortFilterWire}). A few channels at a time ({@link #PARALLEL}), each step within the
 * step timeout, the whole within the URL deadline of the engine.
 *
 * <p>The verdict: every channel open, {@code accessible}; some open and some not, {@code blocked}
 * ({@code tcp_ip}), naming both; none open, {@code inconclusive}: with no channel through, a
 * helper that is down (or an address that is wrong) looks exactly like a network cut off, and
 * this kind has no control from outside to tell them apart. A channel that failed on a port the
 * helper said it does not listen on is left out ({@code not_served}): the helper lists its ports
 * in its TCP answer, and the list is believed unless a channel it does not name reached the
 * helper (its ports are then mapped on the way, and the list says nothing of the ports tried).
 * Thread-safe.
 */
public final class PortFiltering implements Nettest {
    public static final String TEST_NAME = "portfiltering";
    public static final String TEST_VERSION = "0.1.0";
    /** blockwatch's failure: an answer came, and it was not the helper's (a middlebox answering for it). */
    public static final String UNEXPECTED_ANSWER = "unexpected_answer";
    /** Channels tried at once: a few, not a burst that looks like a port scan (OONI's paces them 100 ms apart). */
    static final int PARALLEL = 4;
    /** Datagrams of one UDP channel: at the start, then at a quarter and half of its timeout (lost datagrams are not a block). */
    static final int UDP_SENDS = 3;
    private static final Name NAME = new Name(TEST_NAME, TEST_VERSION, InputShape.ENDPOINT);

    /** The ports tried: TCP ones, UDP ones asked a DNS query, UDP ones sent a QUIC Initial. */
    public record Ports(List<Integer> tcp, List<Integer> dns, List<Integer> quic) {
        /** Ways out that circumvention uses (SSH, DNS, HTTP, TLS, DoT, OpenVPN, 3785, XMPP, 8080), DNS on 53, QUIC on 443. */
        public static final Ports DEFAULT = new Ports(List.of(22, 53, 80, 443, 853, 1194, 3785, 5222, 8080), List.of(53), List.of(443));

        public Ports {
            tcp = List.copyOf(tcp);
            dns = List.copyOf(dns);
            quic = List.copyOf(quic);
            channels(tcp, dns, quic);
        }

        /** Every channel, each once. */
        public List<Channel> channels() {
            return channels(tcp, dns, quic);
        }

        private static List<Channel> channels(List<Integer> tcp, List<Integer> dns, List<Integer> quic) {
            List<Channel> all = new ArrayList<>();
            add(all, Channel.Service.TCP, tcp);
            add(all, Channel.Service.DNS, dns);
            add(all, Channel.Service.QUIC, quic);
            if (all.isEmpty()) throw new IllegalArgumentException("portfiltering: no port to try");
            return all;
        }

        private static void add(List<Channel> all, Channel.Service service, List<Integer> ports) {
            for (int port : ports) {
                Channel c = new Channel(service, port);
                if (all.contains(c)) throw new IllegalArgumentException("portfiltering: " + c + " is given twice");
                all.add(c);
            }
        }
    }

    private final Steps steps;
    private final Ports ports;
    private final InetAddress udpSource;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param steps the engine's: its resolver for the helper's name, its sockets for TCP, its
     *     timeouts (each step's, and the URL deadline for the whole), its destination policy
     * @param udpSource the address to send datagrams from; null for the system's choice (a
     *     simulated world gives the probe an address of its own, as for STUN)
     */
    public PortFiltering(Steps steps, Ports ports, InetAddress udpSource) {
        this.steps = steps;
        this.ports = ports;
        this.udpSource = udpSource;
    }

    @Override
    public Name name() {
        return NAME;
    }

    public Ports ports() {
        return ports;
    }

    @Override
    public void check(String input) {
        PortFilterTarget.parse(input);
    }

    @Override
    public Result measure(String input) {
        PortFilterTarget target = PortFilterTarget.parse(input);
        Instant start = Instant.now();
        StepContext context = new StepContext(new Trace(steps.config().urlDeadline()), steps.config().stepTimeout(), steps.config().listener());
        List<DnsQuery> queries = List.of();
        InetAddress ip = IpLiteral.parse(target.host()).orElse(null);
        String failure = null;
        if (ip == null) {
            Resolution r = steps.dns().run(target.host(), context);
            queries = r.queries();
            ip = first(r.addresses());
            if (ip == null) failure = r.failure() != null ? r.failure() : Failure.DNS_NO_ANSWER;
        }
        if (ip != null && !steps.config().destinations().allows(ip)) failure = Failure.DESTINATION_REFUSED;
        if (failure != null) {
            Verdict v = new Verdict(Status.INCONCLUSIVE, null, List.of(), failure.equals(Failure.DESTINATION_REFUSED)
                    ? "The helper " + target.host() + " is at an address this probe may not measure: nothing was tried."
                    : "The helper's name " + target.host() + " did not resolve (" + failure + "): nothing was tried.");
            return new PortFilteringResult(target.input(), start, since(start), target.host(), ip == null ? null : ip.getHostAddress(), failure,
                    queries, List.of(), List.of(), List.of(), null, List.of(), v);
        }

        List<Channel> order = new ArrayList<>(ports.channels());
        Collections.shuffle(order, random);
        List<Attempt> attempts = new ArrayList<>();
        InetAddress helper = ip;
        try {
            BoundedParallel.forEach(order, PARALLEL, c -> attempt(c, helper, context), attempts::add);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + target.input(), e);
        }

        HelperPorts listed = attempts.stream().map(Attempt::helperPorts).flatMap(Optional::stream).findFirst().orElse(null);
        // The listing names the ports the helper bound. When a channel it does not list reached it,
        // its ports are mapped on the way (a NAT, a redirect) and the listing says nothing of the ports tried.
        HelperPorts served = listed != null && attempts.stream().allMatch(a -> a.failure() != null || listed.serves(a.channel())) ? listed : null;
        List<ChannelOutcome> outcomes = new ArrayList<>();
        List<TcpConnect> connects = new ArrayList<>();
        List<TcpExchange> exchanges = new ArrayList<>();
        List<UdpExchange> datagrams = new ArrayList<>();
        for (Attempt a : attempts) {
            ChannelOutcome.Status status = a.failure() == null ? ChannelOutcome.Status.OPEN
                    : served != null && !served.serves(a.channel()) ? ChannelOutcome.Status.NOT_SERVED : ChannelOutcome.Status.FAILED;
            outcomes.add(new ChannelOutcome(a.channel(), status, a.failure()));
            if (a.connect() != null) connects.add(a.connect());
            if (a.exchange() != null) exchanges.add(a.exchange());
            if (a.udp() != null) datagrams.add(a.udp());
        }
        // Records in the order their steps started (OONI's pseudo-random order); outcomes by channel.
        connects.sort(Comparator.comparingLong(TcpConnect::transactionId));
        exchanges.sort(Comparator.comparingLong(TcpExchange::transactionId));
        datagrams.sort(Comparator.comparingLong(UdpExchange::transactionId));
        outcomes.sort(Comparator.comparing(ChannelOutcome::channel));
        return new PortFilteringResult(target.input(), start, since(start), target.host(), ip.getHostAddress(), null, queries, connects, exchanges,
                datagrams, listed, outcomes, decide(target.host(), outcomes));
    }

    /** One channel tried: its records, the helper's listing of its ports when it gave one, and the failure (null: the helper answered). */
    private record Attempt(Channel channel, TcpConnect connect, TcpExchange exchange, UdpExchange udp, Optional<HelperPorts> helperPorts,
            String failure) {}

    private Attempt attempt(Channel channel, InetAddress ip, StepContext context) {
        return switch (channel.service()) {
            case TCP -> tcp(channel, ip, context);
            case DNS, QUIC -> udp(channel, ip, context);
        };
    }

    /** A connect; on the connection, the helper's line exchange. */
    private Attempt tcp(Channel channel, InetAddress ip, StepContext context) {
        try (TcpConnector.Connection c = steps.tcp().run(new Endpoint(ip, channel.port()), context)) {
            if (!c.connected()) return new Attempt(channel, c.record(), null, null, Optional.empty(), c.record().failure());
            String nonce = PortFilterWire.nonce(random);
            byte[] request = PortFilterWire.tcpRequest(nonce);
            double t0 = context.trace().now();
            long deadline = System.nanoTime() + context.timeout().toNanos();
            byte[] buffer = new byte[PortFilterWire.MAX_LINE];
            int[] read = {0};
            long sent = 0;
            String failure;
            Optional<HelperPorts> listed = Optional.empty();
            try {
                Socket socket = c.socket();
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                sent = request.length;
                int newline = readLine(socket, buffer, deadline, read);
                if (newline < 0) {
                    failure = UNEXPECTED_ANSWER; // a line longer than any answer of the helper's
                } else {
                    int end = newline > 0 && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                    PortFilterWire.TcpReply reply = PortFilterWire.tcpReply(new String(buffer, 0, end, StandardCharsets.ISO_8859_1), nonce);
                    if (reply instanceof PortFilterWire.TcpReply.Ours ours) {
                        failure = null;
                        listed = ours.ports();
                    } else {
                        failure = UNEXPECTED_ANSWER;
                    }
                }
            } catch (IOException e) {
                failure = FailureClassifier.classify(e);
            }
            TcpExchange x = new TcpExchange(ip.getHostAddress(), channel.port(), failure, sent, read[0], t0, context.trace().now(),
                    c.record().transactionId());
            return new Attempt(channel, c.record(), x, null, listed, failure);
        }
    }

    /**
     * Reads into {@code buffer} until a newline, by {@code deadline} ({@link System#nanoTime}):
     * the newline's index, or -1 when the buffer filled without one. {@code read[0]} counts the bytes read.
     */
    private static int readLine(Socket socket, byte[] buffer, long deadline, int[] read) throws IOException {
        InputStream in = socket.getInputStream();
        int n = 0;
        while (n < buffer.length) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new SocketTimeoutException("no answer within the timeout");
            socket.setSoTimeout(Trace.millis(Duration.ofNanos(left)));
            int r = in.read(buffer, n, buffer.length - n);
            if (r < 0) throw new EOFException(n == 0 ? "closed without an answer" : "closed within the answer");
            read[0] = n + r;
            for (int i = n; i < n + r; i++) {
                if (buffer[i] == '\n') return i;
            }
            n += r;
        }
        return -1;
    }

    /** A DNS query or a QUIC Initial, sent again within the timeout until the helper's answer comes. */
    private Attempt udp(Channel channel, InetAddress ip, StepContext context) {
        boolean dns = channel.service() == Channel.Service.DNS;
        byte[] request;
        BiPredicate<byte[], Integer> ours;
        if (dns) {
            int id = random.nextInt(65536);
            String nonce = PortFilterWire.nonce(random);
            request = PortFilterWire.dnsQuery(id, nonce);
            ours = (b, n) -> PortFilterWire.isDnsAnswer(b, n, id, nonce);
        } else {
            PortFilterWire.QuicPing ping = PortFilterWire.quicPing(random);
            request = ping.packet();
            ours = (b, n) -> PortFilterWire.isVersionNegotiation(b, n, ping);
        }
        long tx = context.trace().nextTransactionId();
        double t0 = context.trace().now();
        long timeout = context.timeout().toNanos();
        long begin = System.nanoTime();
        long deadline = begin + timeout;
        int sends = 0;
        long sentBytes = 0;
        long receivedBytes = 0;
        int unexpected = 0;
        String failure = null;
        try (DatagramSocket socket = udpSource == null ? new DatagramSocket() : new DatagramSocket(new InetSocketAddress(udpSource, 0))) {
            socket.connect(new InetSocketAddress(ip, channel.port()));
            byte[] buffer = new byte[2048];
            while (true) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    failure = unexpected > 0 ? UNEXPECTED_ANSWER : Failure.GENERIC_TIMEOUT;
                    break;
                }
                long nextSend = sends == 0 ? begin : sends < UDP_SENDS ? begin + timeout * (1L << (sends - 1)) / 4 : Long.MAX_VALUE;
                if (now >= nextSend) {
                    socket.send(new DatagramPacket(request, request.length));
                    sends++;
                    sentBytes += request.length;
                    continue;
                }
                socket.setSoTimeout(Trace.millis(Duration.ofNanos(Math.min(deadline, nextSend) - now)));
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                receivedBytes += p.getLength();
                if (ours.test(p.getData(), p.getLength())) break;
                unexpected++;
            }
        } catch (PortUnreachableException e) {
            // An ICMP port unreachable: the helper's host (or something on the way) says nothing listens there.
            failure = Failure.CONNECTION_REFUSED;
        } catch (IOException e) {
            failure = FailureClassifier.classify(e);
        }
        UdpExchange x = new UdpExchange(dns ? "dns" : "quic", ip.getHostAddress(), channel.port(), failure, sends, sentBytes, receivedBytes, unexpected,
                t0, context.trace().now(), tx);
        return new Attempt(channel, null, null, x, Optional.empty(), failure);
    }

    /**
     * The verdict: every channel tried open, accessible; some open and some failed, blocked at the
     * IP layer, naming both; none open, inconclusive (a helper that is down looks the same as a
     * network cut off). Channels the helper does not serve count for neither.
     */
    static Verdict decide(String host, List<ChannelOutcome> outcomes) {
        List<ChannelOutcome> open = outcomes.stream().filter(ChannelOutcome::open).toList();
        List<ChannelOutcome> failed = outcomes.stream().filter(ChannelOutcome::failed).toList();
        List<ChannelOutcome> notServed = outcomes.stream().filter(o -> o.status() == ChannelOutcome.Status.NOT_SERVED).toList();
        String aside = notServed.isEmpty() ? "" : " Not counted, as the helper does not listen there: " + labels(notServed) + ".";
        if (open.isEmpty()) {
            return new Verdict(Status.INCONCLUSIVE, null, List.of(), "Nothing reached the port-filtering helper " + host + " (" + failures(failed)
                    + "): with no channel through, a helper that is down cannot be told from a network cut off." + aside);
        }
        if (failed.isEmpty()) {
            return new Verdict(Status.ACCESSIBLE, null, List.of(), "The port-filtering helper " + host + " answered on every channel tried: "
                    + labels(open) + "." + aside);
        }
        return new Verdict(Status.BLOCKED, Method.TCP_IP, List.of(), "Some ways out to the port-filtering helper " + host + " are blocked: "
                + failures(failed) + "; these still reach it: " + labels(open) + "." + aside);
    }

    private static String labels(List<ChannelOutcome> outcomes) {
        return String.join(", ", outcomes.stream().map(o -> o.channel().label()).toList());
    }

    private static String failures(List<ChannelOutcome> outcomes) {
        return String.join(", ", outcomes.stream().map(o -> o.channel().label() + " " + o.failure()).toList());
    }

    /** The address to try: the first IPv4 one (a whitelist is often IPv4 only), else the first. */
    private static InetAddress first(List<String> addresses) {
        String pick = addresses.stream().filter(a -> !a.contains(":")).findFirst().orElse(addresses.isEmpty() ? null : addresses.getFirst());
        return pick == null ? null : IpLiteral.parse(pick).orElse(null);
    }

    private static double since(Instant start) {
        return Duration.between(start, Instant.now()).toNanos() / 1e9;
    }
}
