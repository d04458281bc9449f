package org.blockwatch.core.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A resolver on loopback, over UDP and TCP on one port, that answers by name and class: TXT
 * strings (an identity in class CHAOS, a secret in class IN), addresses with a TTL, a response
 * code, or nothing. It counts the questions it gets, so that a test can tell a cached check from
 * a repeated one. Names without a rule get NXDOMAIN.
 */
public final class LoopbackDnsServer implements AutoCloseable {
    public sealed interface Reply {
        record Txt(List<String> strings) implements Reply {}
        record Addresses(List<String> ips, long ttl) implements Reply {}
        record Code(int rcode) implements Reply {}
        record Silent() implements Reply {}
    }

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<String, Reply> rules = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

    public LoopbackDnsServer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    public LoopbackDnsServer(InetAddress bind) throws IOException {
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; t == null; attempt++) {
            u = new DatagramSocket(new InetSocketAddress(bind, 0));
            try {
                t = new ServerSocket(u.getLocalPort(), 16, bind);
            } catch (IOException taken) {
                u.close();
                if (attempt > 10) throw taken;
            }
        }
        udp = u;
        tcp = t;
        Thread.ofVirtual().start(this::serveUdp);
        Thread.ofVirtual().start(this::serveTcp);
    }

    public ResolverAddress resolver() {
        return new ResolverAddress((InetSocketAddress) udp.getLocalSocketAddress());
    }

    public String address() {
        return resolver().toString();
    }

    /** {@code name} CH TXT answered with {@code strings} (one TXT record each). */
    public LoopbackDnsServer chaos(String name, String... strings) {
        return rule(name, DClass.CH, new Reply.Txt(List.of(strings)));
    }

    public LoopbackDnsServer txt(String name, String... strings) {
        return rule(name, DClass.IN, new Reply.Txt(List.of(strings)));
    }

    public LoopbackDnsServer address(String name, long ttl, String... ips) {
        return rule(name, DClass.IN, new Reply.Addresses(List.of(ips), ttl));
    }

    public LoopbackDnsServer rule(String name, int dclass, Reply reply) {
        rules.put(key(name, dclass), reply);
        return this;
    }

    /** How many questions for {@code name} (any class, any type) arrived. */
    public int asked(String name) {
        AtomicInteger n = asked.get(canonical(name));
        return n == null ? 0 : n.get();
    }

    private void serveUdp() {
        byte[] buffer = new byte[1500];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                Message response = answer(new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength())));
                if (response == null) continue;
                byte[] wire = response.toWire();
                udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException garbage) {
                // not DNS
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            Socket client;
            try {
                client = tcp.accept();
            } catch (IOException closed) {
                return;
            }
            Thread.ofVirtual().start(() -> {
                try (Socket s = client) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] query = new byte[in.readUnsignedShort()];
                    in.readFully(query);
                    Message response = answer(new Message(query));
                    if (response == null) {
                        in.read(); // silent: hold the connection until the client gives up
                        return;
                    }
                    byte[] wire = response.toWire();
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeShort(wire.length);
                    out.write(wire);
                    out.flush();
                } catch (IOException ignored) {
                    // the client went away
                }
            });
        }
    }

    private Message answer(Message query) throws IOException {
        Record question = query.getQuestion();
        if (question == null) return null;
        Name name = question.getName();
        asked.computeIfAbsent(canonical(name.toString()), k -> new AtomicInteger()).incrementAndGet();
        Reply reply = rules.getOrDefault(key(name.toString(), question.getDClass()), new Reply.Code(Rcode.NXDOMAIN));
        if (reply instanceof Reply.Silent) return null;
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        response.addRecord(question, Section.QUESTION);
        int type = question.getType();
        switch (reply) {
            case Reply.Code code -> response.getHeader().setRcode(code.rcode());
            case Reply.Txt txt -> {
                if (type == Type.TXT) for (String s : txt.strings()) response.addRecord(new TXTRecord(name, question.getDClass(), 0, s), Section.ANSWER);
            }
            case Reply.Addresses a -> {
                for (String ip : a.ips()) {
                    InetAddress address = InetAddress.getByName(ip);
                    if (type == Type.A && address instanceof java.net.Inet4Address) response.addRecord(new ARecord(name, DClass.IN, a.ttl(), address), Section.ANSWER);
                    if (type == Type.AAAA && address instanceof java.net.Inet6Address) response.addRecord(new AAAARecord(name, DClass.IN, a.ttl(), address), Section.ANSWER);
                }
            }
            case Reply.Silent s -> { }
        }
        return response;
    }

    private static String key(String name, int dclass) {
        return canonical(name) + "/" + dclass;
    }

    private static String canonical(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }
}
