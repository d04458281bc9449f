package org.blockwatch.core.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Asks one resolver directly, over UDP, with dnsjava building and parsing the messages. Unlike a
 * stub resolver it does not stop at the first response: it keeps the socket open for a short
 * window and records every response to the query, because an on-path injector answers first and
 * the real resolver later. A truncated response is asked again over TCP.
 *
 * <p>Stateless and thread-safe; each query uses its own socket (and so its own source port).
 */
public final class DirectDnsClient {
    private static final int MAX_UDP_RESPONSE = 4096;
    private final ResolverAddress resolver;
    private final Duration lateWindow;

    public DirectDnsClient(ResolverAddress resolver, Duration lateWindow) {
        this.resolver = resolver;
        this.lateWindow = lateWindow;
    }

    public ResolverAddress resolver() {
        return resolver;
    }

    /** Queries {@code type} (A or AAAA) for an ASCII host name. Never throws: failures are recorded. */
    public DnsResponses query(String host, int type, StepContext context) {
        Scope step = context.open(StepKind.DNS, host);
        Duration timeout = context.timeout();
        long tx = step.tx();
        double t0 = step.t0();
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(host, Name.root), type, DClass.IN));
        } catch (TextParseException e) {
            String failure = Failure.unknown("invalid host name: " + e.getMessage());
            step.fail(failure);
            return new DnsResponses(failed(host, type, failure, t0, step.t(), tx), List.of());
        }
        byte[] wire = query.toWire();
        List<DnsQuery> responses = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket()) {
            // Connected, so the kernel drops datagrams from any other source; injectors spoof the resolver's address.
            socket.connect(resolver.socketAddress());
            socket.send(new DatagramPacket(wire, wire.length));
            long firstDeadline = System.nanoTime() + timeout.toNanos();
            long windowEnd = 0;
            byte[] buffer = new byte[MAX_UDP_RESPONSE];
            while (true) {
                long until = responses.isEmpty() ? firstDeadline : windowEnd;
                long waitMillis = (until - System.nanoTime()) / 1_000_000;
                if (waitMillis <= 0) break;
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, waitMillis));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    break;
                }
                double t = step.now();
                Message response;
                try {
                    response = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                } catch (IOException garbage) {
                    if (responses.isEmpty()) windowEnd = System.nanoTime() + lateWindow.toNanos();
                    responses.add(failed(host, type, Failure.DNS_SERVER_MISBEHAVING, t0, t, tx));
                    continue;
                }
                if (response.getHeader().getID() != query.getHeader().getID() || !sameQuestion(query, response)) {
                    continue; // a stray datagram, not an answer to this query
                }
                if (response.getHeader().getFlag(Flags.TC) && responses.isEmpty()) {
                    response = overTcp(query, context.timeout());
                    t = step.now();
                    responses.add(record("tcp", host, type, response, t0, t, tx));
                    break;
                }
                if (responses.isEmpty()) windowEnd = System.nanoTime() + lateWindow.toNanos();
                responses.add(record("udp", host, type, response, t0, t, tx));
            }
        } catch (IOException e) {
            if (responses.isEmpty()) {
                String failure = step.fail(e);
                return new DnsResponses(failed(host, type, failure, t0, step.t(), tx), List.of());
            }
        }
        if (responses.isEmpty()) {
            step.fail(Failure.GENERIC_TIMEOUT);
            return new DnsResponses(failed(host, type, Failure.GENERIC_TIMEOUT, t0, step.t(), tx), List.of());
        }
        DnsQuery first = responses.get(0);
        step.end(first.failure(), first.t());
        return new DnsResponses(first, responses.subList(1, responses.size()));
    }

    private Message overTcp(Message query, Duration timeout) throws IOException {
        SimpleResolver tcp = new SimpleResolver(resolver.socketAddress());
        tcp.setTCP(true);
        tcp.setTimeout(timeout);
        return tcp.send(query);
    }

    private static boolean sameQuestion(Message query, Message response) {
        Record q = query.getQuestion();
        Record r = response.getQuestion();
        return r != null && r.getType() == q.getType() && r.getDClass() == q.getDClass() && r.getName().equals(q.getName());
    }

    private DnsQuery record(String engine, String host, int type, Message response, double t0, double t, long tx) {
        int rcode = response.getRcode();
        List<DnsAnswer> answers = new ArrayList<>();
        boolean hasAddress = false;
        for (Record rr : response.getSection(Section.ANSWER)) {
            if (rr instanceof ARecord a && type == Type.A) {
                answers.add(DnsAnswer.a(a.getAddress().getHostAddress(), a.getTTL()));
                hasAddress = true;
            } else if (rr instanceof AAAARecord aaaa && type == Type.AAAA) {
                answers.add(DnsAnswer.aaaa(aaaa.getAddress().getHostAddress(), aaaa.getTTL()));
                hasAddress = true;
            } else if (rr instanceof CNAMERecord cname) {
                answers.add(DnsAnswer.cname(cname.getTarget().toString(), cname.getTTL()));
            }
        }
        String failure = switch (rcode) {
            case Rcode.NOERROR -> hasAddress ? null : Failure.DNS_NO_ANSWER;
            case Rcode.NXDOMAIN -> Failure.DNS_NXDOMAIN;
            case Rcode.SERVFAIL -> Failure.DNS_SERVFAIL;
            case Rcode.REFUSED -> Failure.DNS_REFUSED;
            default -> Failure.DNS_SERVER_MISBEHAVING;
        };
        return new DnsQuery(engine, resolver.toString(), host, Type.string(type), rcode, answers, failure, t0, t, tx);
    }

    private DnsQuery failed(String host, int type, String failure, double t0, double t, long tx) {
        return new DnsQuery("udp", resolver.toString(), host, Type.string(type), null, List.of(), failure, t0, t, tx);
    }
}
