package org.blockwatch.sim;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNS server on a loopback UDP port, answering each name as told: honestly, with a lie, with
 * an error code, not at all, or twice (an injector racing the real resolver). Names not
 * configured get {@code fallback} (NXDOMAIN unless set). Thread-safe; close it to stop.
 */
public final class SimDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, DnsBehaviour> names = new ConcurrentHashMap<>();
    private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sim-dns-delayed");
        t.setDaemon(true);
        return t;
    });
    private final Thread loop;
    private volatile DnsBehaviour fallback = new DnsBehaviour.Code(Rcode.NXDOMAIN);

    public SimDnsServer() throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public SimDnsServer(InetSocketAddress bind) throws IOException {
        socket = new DatagramSocket(bind);
        loop = new Thread(this::serve, "sim-dns-" + socket.getLocalPort());
        loop.setDaemon(true);
        loop.start();
    }

    /** {@code 127.0.0.1:PORT}, as the probe's {@code --resolver} takes it. */
    public String address() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    public InetSocketAddress socketAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public SimDnsServer on(String name, DnsBehaviour behaviour) {
        names.put(canonical(name), behaviour);
        return this;
    }

    public SimDnsServer otherwise(DnsBehaviour behaviour) {
        this.fallback = behaviour;
        return this;
    }

    private void serve() {
        byte[] buffer = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            try {
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                if (question == null) continue;
                DnsBehaviour behaviour = names.getOrDefault(canonical(question.getName().toString()), fallback);
                respond(query, behaviour, packet.getSocketAddress());
            } catch (IOException garbage) {
                // not DNS: a real server would drop it too
            }
        }
    }

    private void respond(Message query, DnsBehaviour behaviour, SocketAddress client) throws IOException {
        switch (behaviour) {
            case DnsBehaviour.Silent s -> { }
            case DnsBehaviour.Race race -> {
                respond(query, race.forged(), client);
                delayed.schedule(() -> {
                    try {
                        respond(query, race.real(), client);
                    } catch (IOException ignored) {
                        // the client has gone
                    }
                }, race.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
            default -> send(build(query, behaviour), client);
        }
    }

    private static Message build(Message query, DnsBehaviour behaviour) throws TextParseException {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) response.getHeader().setFlag(Flags.RD);
        Record question = query.getQuestion();
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        switch (behaviour) {
            case DnsBehaviour.Code code -> response.getHeader().setRcode(code.rcode());
            case DnsBehaviour.Answer answer -> addAddresses(response, name, question.getType(), answer.addresses(), answer.ttl());
            case DnsBehaviour.Alias alias -> {
                Name target = Name.fromString(alias.target(), Name.root);
                response.addRecord(new CNAMERecord(name, DClass.IN, alias.ttl(), target), Section.ANSWER);
                addAddresses(response, target, question.getType(), alias.addresses(), alias.ttl());
            }
            default -> throw new IllegalStateException("not a single response: " + behaviour);
        }
        return response;
    }

    private static void addAddresses(Message response, Name name, int type, List<InetAddress> addresses, long ttl) {
        for (InetAddress a : addresses) {
            if (type == Type.A && a instanceof Inet4Address) response.addRecord(new ARecord(name, DClass.IN, ttl, a), Section.ANSWER);
            if (type == Type.AAAA && a instanceof Inet6Address) response.addRecord(new AAAARecord(name, DClass.IN, ttl, a), Section.ANSWER);
        }
    }

    private void send(Message response, SocketAddress client) throws IOException {
        byte[] wire = response.toWire();
        socket.send(new DatagramPacket(wire, wire.length, client));
    }

    private static String canonical(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    @Override
    public void close() {
        socket.close();
        delayed.shutdownNow();
        try {
            loop.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
