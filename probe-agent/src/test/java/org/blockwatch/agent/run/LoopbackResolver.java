package org.blockwatch.agent.run;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
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
 * (A copy of probe-core's test resolver of the same name, {@code core.dns.LoopbackResolver}: the
 * agent's tests do not depend on another module's test classes.)
 *
 * <p>One resolver's answers served on loopback over UDP, TCP, DNS over TLS and DNS over HTTPS
 * (RFC 8484 POST, on MockWebServer), each started on demand on a port of its own. Counts the
 * queries each transport received. Close it to stop them all.
 */
public final class LoopbackResolver implements AutoCloseable {
    /** RFC 8484's media type. */
    private static final String DNS_MESSAGE = "application/dns-message";
    private final UnaryOperator<Message> answer;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    public LoopbackResolver(UnaryOperator<Message> answer) {
        this.answer = answer;
    }

    /** Answers A and AAAA of each name with its addresses (by family), CHAOS TXT {@code id.server} with {@code identity} (null: REFUSED), NXDOMAIN otherwise. */
    public static UnaryOperator<Message> answering(Map<String, List<String>> names, String identity) {
        return query -> {
            Message response = new Message(query.getHeader().getID());
            response.getHeader().setFlag(Flags.QR);
            response.getHeader().setFlag(Flags.RA);
            Record q = query.getQuestion();
            response.addRecord(q, Section.QUESTION);
            String name = q.getName().toString(true).toLowerCase(java.util.Locale.ROOT);
            if (q.getDClass() == DClass.CH && q.getType() == Type.TXT && name.equals("id.server")) {
                if (identity == null) response.getHeader().setRcode(Rcode.REFUSED);
                else response.addRecord(new TXTRecord(q.getName(), DClass.CH, 0, identity), Section.ANSWER);
                return response;
            }
            List<String> ips = names.get(name);
            if (ips == null) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
                return response;
            }
            for (String ip : ips) {
                InetAddress a = org.blockwatch.sim.DnsBehaviour.ip(ip);
                if (q.getType() == Type.A && a instanceof java.net.Inet4Address) response.addRecord(new ARecord(q.getName(), DClass.IN, 300, a), Section.ANSWER);
                if (q.getType() == Type.AAAA && a instanceof java.net.Inet6Address) response.addRecord(new AAAARecord(q.getName(), DClass.IN, 300, a), Section.ANSWER);
            }
            return response;
        };
    }

    /** Queries received over {@code transport} (udp, tcp, dot, doh). */
    public int count(String transport) {
        return counts.computeIfAbsent(transport, k -> new AtomicInteger()).get();
    }

    private byte[] respond(String transport, byte[] wire) throws IOException {
        counts.computeIfAbsent(transport, k -> new AtomicInteger()).incrementAndGet();
        return answer.apply(new Message(wire)).toWire();
    }

    /** Serves UDP; its port. */
    public int udp() throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        running.add(socket::close);
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    byte[] out = respond("udp", java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (IOException e) {
                    // closed, or a datagram that is not DNS
                }
            }
        });
        return socket.getLocalPort();
    }

    /** Serves Do53 over TCP; its port. */
    public int tcp() throws IOException {
        return stream("tcp", new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    /** Serves DNS over TLS with {@code tls} (a test CA's server context); its port. */
    public int dot(SSLContext tls) throws IOException {
        return stream("dot", tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    private int stream(String transport, ServerSocket server) {
        running.add(server::close);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        DataOutputStream out = new DataOutputStream(s.getOutputStream());
                        while (true) {
                            byte[] query = new byte[in.readUnsignedShort()];
                            in.readFully(query);
                            byte[] response = respond(transport, query);
                            out.writeShort(response.length);
                            out.write(response);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // the client closed, or the handshake failed
                    }
                });
            }
        });
        return server.getLocalPort();
    }

    /** Serves DNS over HTTPS on {@code path} with {@code tls}; its port. Other paths and methods get 404 and 405. */
    public int doh(SSLContext tls, String path) throws IOException {
        MockWebServer server = new MockWebServer();
        server.useHttps(tls.getSocketFactory());
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!path.equals(request.getUrl().encodedPath())) return new MockResponse.Builder().code(404).build();
                if (!request.getMethod().equals("POST")) return new MockResponse.Builder().code(405).build();
                if (!DNS_MESSAGE.equals(request.getHeaders().get("Content-Type"))) return new MockResponse.Builder().code(415).build();
                try {
                    byte[] response = respond("doh", request.getBody().toByteArray());
                    return new MockResponse.Builder().code(200).addHeader("Content-Type", DNS_MESSAGE)
                            .body(new Buffer().write(response)).build();
                } catch (IOException e) {
                    return new MockResponse.Builder().code(400).build();
                }
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        running.add(server);
        return server.getPort();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : running) c.close();
    }
}
