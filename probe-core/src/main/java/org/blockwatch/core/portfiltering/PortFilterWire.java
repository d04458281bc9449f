package org.blockwatch.core.portfiltering;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * What a port-filtering helper and the probe say to each other on every channel: blockwatch's
 * own exchanges (OONI's portfiltering only connects), the one place both sides read and write
 * them. Each one proves the answer came from the helper, not from a middlebox that accepts every
 * SYN or answers every datagram: it echoes a nonce only the probe knew, under a form the request
 * does not have. And none is answered with more bytes than were asked, so that a helper never
 * amplifies a forged request.
 *
 * <ul>
 *   <li>TCP: the line {@code blockwatch-ports? NONCE [FILLER]\n}, answered with the line
 *       {@code blockwatch-ports! NONCE [ tcp=PORTS udp=PORTS]\n}: the helper lists its ports when
 *       the listing fits in the request's length (the probe pads its line to make room).
 *   <li>UDP, DNS: an A query for {@code NONCE.}{@link #ZONE}, padded (EDNS(0) padding, RFC 7830)
 *       to {@link #DNS_QUERY_BYTES}, answered with {@link #DNS_ADDRESS}, an address no resolver
 *       gives for it (the zone is under {@code .invalid}, which none may resolve). Other queries
 *       are refused, with their question alone.
 *   <li>UDP, QUIC: an Initial of {@link #QUIC_PING_VERSION}, of {@link #QUIC_MIN_DATAGRAM} bytes,
 *       as OONI's quicping sends (ts-031), answered with a Version Negotiation packet (RFC 9000
 *       §17.2.1: no cryptography) that swaps its connection ids and lists {@link #MARKER_VERSION}.
 * </ul>
 */
public final class PortFilterWire {
    /** The start of the probe's line. */
    public static final String ASK = "blockwatch-ports? ";
    /** The start of the helper's answer: as long as {@link #ASK}, so that the bare answer is never longer than the line. */
    public static final String ANSWER = "blockwatch-ports! ";
    /** A line is at most this long, its newline included: the helper reads no more. */
    public static final int MAX_LINE = 512;
    /** The probe's line, padded to this length: room for the helper to list about forty ports. */
    public static final int PROBE_LINE = 256;
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9]{8,64}");

    /** The helper answers DNS for names under this zone only. */
    public static final Name ZONE = name("pf.blockwatch.invalid.");
    /** The helper's fixed answer (TEST-NET-1, RFC 5737: no resolver answers it for a real name). */
    public static final InetAddress DNS_ADDRESS = address(new byte[] {(byte) 192, 0, 2, 53});
    /** The probe's query, padded to this length: its answer (16 bytes more than a bare query) then fits in it. */
    public static final int DNS_QUERY_BYTES = 128;
    private static final int EDNS_PADDING = 12;
    private static final int EDNS_PAYLOAD = 1232;

    /** The version of the probe's Initial, one no server speaks: quicping's (0xbabababa), which forces Version Negotiation. */
    public static final int QUIC_PING_VERSION = 0xbabababa;
    /**
     * The version the helper's Version Negotiation lists: a reserved one (RFC 9000 §15, the
     * 0x?a?a?a?a pattern) that no QUIC server lists by accident, which marks the answer as ours.
     */
    public static final int MARKER_VERSION = 0x1a2a3a4a;
    /** A client's Initial fills a datagram to at least 1200 bytes (RFC 9000 §14.1); no server answers a shorter one. */
    public static final int QUIC_MIN_DATAGRAM = 1200;

    private PortFilterWire() {}

    // TCP

    /** A new nonce: 32 hexadecimal digits (128 random bits). */
    public static String nonce(RandomGenerator random) {
        StringBuilder b = new StringBuilder(32);
        for (int i = 0; i < 32; i++) b.append(Character.forDigit(random.nextInt(16), 16));
        return b.toString();
    }

    /** The probe's line for {@code nonce}, padded with dots to {@link #PROBE_LINE} bytes, its newline included. */
    public static byte[] tcpRequest(String nonce) {
        requireNonce(nonce);
        StringBuilder line = new StringBuilder(ASK).append(nonce).append(' ');
        while (line.length() < PROBE_LINE - 1) line.append('.');
        return line.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The helper's answer to the line in {@code buffer[0, end)} (its newline at {@code end}, not
     * included; a carriage return before it is allowed): empty when the line is not a request.
     * The answer lists {@code served} only when it then stays no longer than the line.
     */
    public static Optional<byte[]> tcpAnswer(byte[] buffer, int end, HelperPorts served) {
        int length = end > 0 && buffer[end - 1] == '\r' ? end - 1 : end;
        if (length > MAX_LINE - 1) return Optional.empty();
        String line = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        if (!line.startsWith(ASK)) return Optional.empty();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c > 0x7e) return Optional.empty();
        }
        String rest = line.substring(ASK.length());
        int space = rest.indexOf(' ');
        String nonce = space < 0 ? rest : rest.substring(0, space);
        if (!NONCE.matcher(nonce).matches()) return Optional.empty();
        String bare = ANSWER + nonce;
        String listed = bare + served.format();
        // end + 1: the request's own newline counts, as the answer's does.
        String answer = listed.length() + 1 <= end + 1 ? listed : bare;
        return Optional.of((answer + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** What the probe made of the helper's line (without its newline). */
    public sealed interface TcpReply {
        /** The helper's answer to this nonce; {@code ports} empty when it did not list them. */
        record Ours(Optional<HelperPorts> ports) implements TcpReply {}

        /** Something else answered: not the helper. */
        record Other() implements TcpReply {}
    }

    public static TcpReply tcpReply(String line, String nonce) {
        String expected = ANSWER + nonce;
        if (!line.startsWith(expected)) return new TcpReply.Other();
        String rest = line.substring(expected.length());
        if (rest.isEmpty()) return new TcpReply.Ours(Optional.empty());
        Optional<HelperPorts> ports = HelperPorts.parse(rest);
        return ports.isPresent() ? new TcpReply.Ours(ports) : new TcpReply.Other();
    }

    // DNS over UDP

    /** The probe's query: {@code NONCE.ZONE} A IN, id {@code id}, without recursion, padded to {@link #DNS_QUERY_BYTES}. */
    public static byte[] dnsQuery(int id, String nonce) {
        requireNonce(nonce);
        // The bare query has the padding option already, empty: its data makes up the difference.
        int bare = query(id, nonce, 0).toWire().length;
        return query(id, nonce, Math.max(0, DNS_QUERY_BYTES - bare)).toWire();
    }

    private static Message query(int id, String nonce, int padding) {
        Message q = new Message(id);
        q.addRecord(Record.newRecord(name(nonce + "." + ZONE), Type.A, DClass.IN), Section.QUESTION);
        q.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0, 0, List.of(new GenericEDNSOption(EDNS_PADDING, new byte[padding]))), Section.ADDITIONAL);
        return q;
    }

    /**
     * The helper's answer to a DNS datagram. A query (one question, opcode QUERY) for an A record
     * in {@link #ZONE} is answered {@link #DNS_ADDRESS}, authoritatively, when that fits in the
     * query's length, else truncated (TC, the question alone); any other query is refused
     * (REFUSED, the question alone), so that a person's {@code dig} or a lab's check sees a DNS
     * server there. Those short answers are never longer than the query either: a header and the
     * question it had. Anything that is not a query gets none.
     */
    public static Optional<byte[]> dnsAnswer(byte[] datagram, int length) {
        Message q;
        try {
            q = new Message(Arrays.copyOf(datagram, length));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        Record question = q.getQuestion();
        if (q.getHeader().getFlag(Flags.QR) || q.getHeader().getOpcode() != Opcode.QUERY || q.getSection(Section.QUESTION).size() != 1) {
            return Optional.empty();
        }
        boolean ours = question.getType() == Type.A && question.getDClass() == DClass.IN && question.getName().subdomain(ZONE);
        Message a = reply(q, ours ? Rcode.NOERROR : Rcode.REFUSED);
        if (ours) {
            a.addRecord(new ARecord(question.getName(), DClass.IN, 0, DNS_ADDRESS), Section.ANSWER);
            if (q.getOPT() != null) a.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        byte[] wire = a.toWire();
        if (wire.length > length && ours) {
            a = reply(q, Rcode.NOERROR);
            a.getHeader().setFlag(Flags.TC);
            wire = a.toWire();
        }
        return wire.length <= length ? Optional.of(wire) : Optional.empty();
    }

    /** A reply to {@code q} with {@code rcode}: its id, its question, authoritative, its RD echoed. */
    private static Message reply(Message q, int rcode) {
        Message a = new Message(q.getHeader().getID());
        a.getHeader().setFlag(Flags.QR);
        a.getHeader().setFlag(Flags.AA);
        if (q.getHeader().getFlag(Flags.RD)) a.getHeader().setFlag(Flags.RD);
        a.getHeader().setRcode(rcode);
        a.addRecord(q.getQuestion(), Section.QUESTION);
        return a;
    }

    /** Whether {@code datagram} is the helper's answer to the query {@code id} for {@code nonce}. */
    public static boolean isDnsAnswer(byte[] datagram, int length, int id, String nonce) {
        Message a;
        try {
            a = new Message(Arrays.copyOf(datagram, length));
        } catch (IOException | RuntimeException e) {
            return false;
        }
        Name asked = name(nonce + "." + ZONE);
        if (a.getHeader().getID() != id || !a.getHeader().getFlag(Flags.QR) || a.getRcode() != Rcode.NOERROR || a.getQuestion() == null
                || !a.getQuestion().getName().equals(asked)) {
            return false;
        }
        return a.getSection(Section.ANSWER).stream()
                .anyMatch(r -> r instanceof ARecord ar && ar.getName().equals(asked) && ar.getAddress().equals(DNS_ADDRESS));
    }

    // QUIC over UDP

    /** The probe's Initial, and the connection ids the Version Negotiation must swap back. */
    public record QuicPing(byte[] packet, byte[] destinationId, byte[] sourceId) {}

    /**
     * An Initial as quicping builds one (ts-031): long header, version {@link #QUIC_PING_VERSION},
     * a destination id of 8 to 18 random bytes, a source id of 16, no token, a 4-byte packet
     * number, a random payload to {@link #QUIC_MIN_DATAGRAM} bytes. No protection: a server that
     * does not speak the version never decrypts it.
     */
    public static QuicPing quicPing(RandomGenerator random) {
        byte[] dcid = new byte[8 + random.nextInt(11)];
        byte[] scid = new byte[16];
        random.nextBytes(dcid);
        random.nextBytes(scid);
        ByteBuffer b = ByteBuffer.allocate(QUIC_MIN_DATAGRAM);
        b.put((byte) 0xc3).putInt(QUIC_PING_VERSION);
        b.put((byte) dcid.length).put(dcid).put((byte) scid.length).put(scid);
        b.put((byte) 0); // token length
        int remainder = QUIC_MIN_DATAGRAM - b.position() - 2;
        b.putShort((short) (0x4000 | remainder)); // a two-byte variable-length integer: packet number and payload
        b.putInt(2);
        byte[] payload = new byte[b.remaining()];
        random.nextBytes(payload);
        b.put(payload);
        return new QuicPing(b.array(), dcid, scid);
    }

    /**
     * The helper's answer to a datagram that has QUIC's long-header shape (RFC 8999's invariants)
     * and a version other than 0, in a datagram of at least {@link #QUIC_MIN_DATAGRAM} bytes: a
     * Version Negotiation listing {@link #MARKER_VERSION}, at most 521 bytes; anything else gets none.
     *
     * @param unusedBits the first byte's seven free bits (RFC 9000 asks servers to vary them)
     */
    public static Optional<byte[]> versionNegotiation(byte[] datagram, int length, int unusedBits) {
        if (length < QUIC_MIN_DATAGRAM || (datagram[0] & 0x80) == 0) return Optional.empty();
        int version = ByteBuffer.wrap(datagram, 1, 4).getInt();
        if (version == 0) return Optional.empty(); // a Version Negotiation itself: never answered
        int dcidLength = datagram[5] & 0xff;
        if (6 + dcidLength >= length) return Optional.empty();
        int scidLength = datagram[6 + dcidLength] & 0xff;
        if (7 + dcidLength + scidLength > length) return Optional.empty();
        ByteBuffer vn = ByteBuffer.allocate(7 + dcidLength + scidLength + 4);
        // The Fixed Bit (0x40) set, as RFC 9000 §17.2.1 asks, so that it looks like any long header.
        vn.put((byte) (0xc0 | (unusedBits & 0x3f))).putInt(0);
        vn.put((byte) scidLength).put(datagram, 7 + dcidLength, scidLength);
        vn.put((byte) dcidLength).put(datagram, 6, dcidLength);
        vn.putInt(MARKER_VERSION);
        return Optional.of(vn.array());
    }

    /** Whether {@code datagram} is the helper's Version Negotiation for {@code ping}: ids swapped, {@link #MARKER_VERSION} listed. */
    public static boolean isVersionNegotiation(byte[] datagram, int length, QuicPing ping) {
        if (length < 7 || (datagram[0] & 0x80) == 0 || ByteBuffer.wrap(datagram, 1, 4).getInt() != 0) return false;
        int at = 5;
        int dcidLength = datagram[at++] & 0xff;
        if (dcidLength != ping.sourceId().length || at + dcidLength >= length
                || !Arrays.equals(datagram, at, at + dcidLength, ping.sourceId(), 0, dcidLength)) {
            return false;
        }
        at += dcidLength;
        int scidLength = datagram[at++] & 0xff;
        if (scidLength != ping.destinationId().length || at + scidLength > length
                || !Arrays.equals(datagram, at, at + scidLength, ping.destinationId(), 0, scidLength)) {
            return false;
        }
        at += scidLength;
        if ((length - at) % 4 != 0) return false;
        for (; at < length; at += 4) {
            if (ByteBuffer.wrap(datagram, at, 4).getInt() == MARKER_VERSION) return true;
        }
        return false;
    }

    /** The helper's answer to any datagram on a UDP port: a Version Negotiation, a DNS answer, or none. */
    public static Optional<byte[]> udpAnswer(byte[] datagram, int length, int unusedBits) {
        if (length <= 0) return Optional.empty();
        // A datagram of QUIC's size with a long header is QUIC's; a DNS query is far shorter.
        if (length >= QUIC_MIN_DATAGRAM && (datagram[0] & 0x80) != 0) return versionNegotiation(datagram, length, unusedBits);
        return dnsAnswer(datagram, length);
    }

    private static void requireNonce(String nonce) {
        if (nonce == null || !NONCE.matcher(nonce).matches()) throw new IllegalArgumentException("a nonce is 8 to 64 letters and digits, not '" + nonce + "'");
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a DNS name", e);
        }
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
