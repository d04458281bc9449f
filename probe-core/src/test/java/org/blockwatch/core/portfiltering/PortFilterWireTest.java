package org.blockwatch.core.portfiltering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Both ends of every exchange: each answer proves it is the helper's, and none is longer than what it answers. */
class PortFilterWireTest {
    private static final HelperPorts SERVED = new HelperPorts(List.of(22, 53, 80, 443, 853, 1194, 3785, 5222, 8080), List.of(53, 443));
    private final Random random = new Random(31);

    private static byte[] line(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The helper's answer to a line given with its newline. */
    private static Optional<byte[]> answer(byte[] withNewline) {
        return PortFilterWire.tcpAnswer(withNewline, withNewline.length - 1, SERVED);
    }

    private static String text(byte[] answer) {
        String s = new String(answer, StandardCharsets.US_ASCII);
        assertThat(s).endsWith("\n");
        return s.substring(0, s.length() - 1);
    }

    @Test
    void theProbesLineIsAnsweredWithTheNonceAndTheHelpersPortsInNoMoreBytes() {
        String nonce = PortFilterWire.nonce(random);
        byte[] request = PortFilterWire.tcpRequest(nonce);
        assertThat(request).hasSize(PortFilterWire.PROBE_LINE);
        assertThat(new String(request, StandardCharsets.US_ASCII)).startsWith("blockwatch-ports? " + nonce + " ").endsWith("\n");

        byte[] answer = answer(request).orElseThrow();
        assertThat(answer.length).isLessThanOrEqualTo(request.length);
        assertThat(text(answer)).isEqualTo("blockwatch-ports! " + nonce + " tcp=22,53,80,443,853,1194,3785,5222,8080 udp=53,443");
        assertThat(PortFilterWire.tcpReply(text(answer), nonce)).isEqualTo(new PortFilterWire.TcpReply.Ours(Optional.of(SERVED)));
    }

    @Test
    void aLineWithoutRoomIsAnsweredWithoutTheListingAndNeverLonger() {
        byte[] bare = line("blockwatch-ports? abcdefgh\n");
        byte[] answer = answer(bare).orElseThrow();
        assertThat(text(answer)).isEqualTo("blockwatch-ports! abcdefgh");
        assertThat(answer).hasSameSizeAs(bare);
        assertThat(PortFilterWire.tcpReply(text(answer), "abcdefgh")).isEqualTo(new PortFilterWire.TcpReply.Ours(Optional.empty()));
        byte[] crlf = line("blockwatch-ports? abcdefgh\r\n");
        assertThat(text(answer(crlf).orElseThrow())).isEqualTo("blockwatch-ports! abcdefgh");
    }

    @Test
    void anEchoAnotherNonceOrAnHttpAnswerIsNotTheHelpers() {
        String nonce = PortFilterWire.nonce(random);
        String request = text(PortFilterWire.tcpRequest(nonce));
        assertThat(PortFilterWire.tcpReply(request, nonce)).as("an echo server").isInstanceOf(PortFilterWire.TcpReply.Other.class);
        assertThat(PortFilterWire.tcpReply("blockwatch-ports! 0123456789abcdef", nonce)).isInstanceOf(PortFilterWire.TcpReply.Other.class);
        assertThat(PortFilterWire.tcpReply("HTTP/1.1 400 Bad Request", nonce)).isInstanceOf(PortFilterWire.TcpReply.Other.class);
        assertThat(PortFilterWire.tcpReply("blockwatch-ports! " + nonce + " tcp=x", nonce)).isInstanceOf(PortFilterWire.TcpReply.Other.class);
    }

    @Test
    void linesThatAreNotRequestsGetNoAnswer() {
        assertThat(answer(line("GET / HTTP/1.1\n"))).isEmpty();
        assertThat(answer(line("blockwatch-ports! abcdefgh\n"))).as("an answer").isEmpty();
        assertThat(answer(line("blockwatch-ports? short\n"))).as("a nonce under 8 characters").isEmpty();
        assertThat(answer(line("blockwatch-ports? abcd-efgh\n"))).as("not letters and digits").isEmpty();
        assertThat(answer(line("blockwatch-ports? abcdefgh \u0001\n"))).as("a control character").isEmpty();
        byte[] latin = "blockwatch-ports? abcdefgh é\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(answer(latin)).as("not ASCII").isEmpty();
        byte[] tooLong = new byte[PortFilterWire.MAX_LINE + 1];
        Arrays.fill(tooLong, (byte) '.');
        System.arraycopy(line("blockwatch-ports? abcdefgh "), 0, tooLong, 0, 27);
        tooLong[tooLong.length - 1] = '\n';
        assertThat(answer(tooLong)).isEmpty();
        assertThatThrownBy(() -> PortFilterWire.tcpRequest("no")).hasMessageContaining("a nonce is 8 to 64 letters and digits");
    }

    @Test
    void theDnsQueryIsPaddedSoThatItsAnswerFitsAndTheAnswerIsTheHelpers() throws Exception {
        String nonce = PortFilterWire.nonce(random);
        byte[] query = PortFilterWire.dnsQuery(4242, nonce);
        assertThat(query).hasSize(PortFilterWire.DNS_QUERY_BYTES);
        Message q = new Message(query);
        assertThat(q.getQuestion().getName()).hasToString(nonce + ".pf.blockwatch.invalid.");
        assertThat(q.getHeader().getFlag(Flags.RD)).isFalse();

        byte[] answer = PortFilterWire.dnsAnswer(query, query.length).orElseThrow();
        assertThat(answer.length).isLessThanOrEqualTo(query.length);
        Message a = new Message(answer);
        assertThat(a.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(a.getSection(Section.ANSWER)).singleElement().satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("192.0.2.53"));
        assertThat(PortFilterWire.isDnsAnswer(answer, answer.length, 4242, nonce)).isTrue();
        assertThat(PortFilterWire.isDnsAnswer(answer, answer.length, 4243, nonce)).as("another id").isFalse();
        assertThat(PortFilterWire.isDnsAnswer(answer, answer.length, 4242, PortFilterWire.nonce(random))).as("another name").isFalse();
        assertThat(PortFilterWire.isDnsAnswer(query, query.length, 4242, nonce)).as("the query itself, echoed").isFalse();
    }

    @Test
    void aResolversNxdomainOrForgedAddressIsNotTheHelpers() throws Exception {
        String nonce = PortFilterWire.nonce(random);
        Message q = new Message(PortFilterWire.dnsQuery(7, nonce));
        Message nx = new Message(7);
        nx.getHeader().setFlag(Flags.QR);
        nx.getHeader().setRcode(Rcode.NXDOMAIN);
        nx.addRecord(q.getQuestion(), Section.QUESTION);
        byte[] wire = nx.toWire();
        assertThat(PortFilterWire.isDnsAnswer(wire, wire.length, 7, nonce)).isFalse();
        Message forged = new Message(7);
        forged.getHeader().setFlag(Flags.QR);
        forged.addRecord(q.getQuestion(), Section.QUESTION);
        forged.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 60, java.net.InetAddress.getByName("10.10.34.36")), Section.ANSWER);
        wire = forged.toWire();
        assertThat(PortFilterWire.isDnsAnswer(wire, wire.length, 7, nonce)).isFalse();
    }

    @Test
    void otherQueriesAreRefusedAndABareQueryTruncatedInNoMoreBytesAndAnswersGetNothing() throws Exception {
        Message other = Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.A, DClass.IN));
        assertRefused(other.toWire(), "a name outside the zone");
        assertRefused(Message.newQuery(Record.newRecord(Name.fromString("x.pf.blockwatch.invalid."), Type.TXT, DClass.IN)).toWire(), "not an A query");
        // A lab's check: the root's A, 17 bytes, without EDNS.
        assertRefused(java.util.HexFormat.of().parseHex("abcd01000001000000000000" + "00" + "0001" + "0001"), "the root");
        // A bare query (no padding) would be answered with 16 bytes more than it: truncated instead, its question alone.
        byte[] wire = Message.newQuery(Record.newRecord(Name.fromString("abcdefgh.pf.blockwatch.invalid."), Type.A, DClass.IN)).toWire();
        byte[] tc = PortFilterWire.dnsAnswer(wire, wire.length).orElseThrow();
        assertThat(tc.length).isLessThanOrEqualTo(wire.length);
        assertThat(new Message(tc).getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(new Message(tc).getSection(Section.ANSWER)).isEmpty();
        assertThat(PortFilterWire.isDnsAnswer(tc, tc.length, new Message(wire).getHeader().getID(), "abcdefgh")).isFalse();

        byte[] query = PortFilterWire.dnsQuery(9, "abcdefgh");
        byte[] answer = PortFilterWire.dnsAnswer(query, query.length).orElseThrow();
        assertThat(PortFilterWire.dnsAnswer(answer, answer.length)).as("an answer").isEmpty();
        assertThat(PortFilterWire.dnsAnswer(new byte[] {1, 2, 3}, 3)).as("garbage").isEmpty();
    }

    private static void assertRefused(byte[] query, String what) throws Exception {
        byte[] refused = PortFilterWire.dnsAnswer(query, query.length).orElseThrow();
        assertThat(refused.length).as(what).isLessThanOrEqualTo(query.length);
        Message m = new Message(refused);
        assertThat(m.getRcode()).as(what).isEqualTo(Rcode.REFUSED);
        assertThat(m.getSection(Section.ANSWER)).as(what).isEmpty();
        assertThat(m.getHeader().getID()).as(what).isEqualTo(new Message(query).getHeader().getID());
    }

    @Test
    void theQuicPingIsAnsweredWithAVersionNegotiationThatSwapsItsIds() {
        PortFilterWire.QuicPing ping = PortFilterWire.quicPing(random);
        byte[] p = ping.packet();
        assertThat(p).hasSize(1200);
        assertThat(p[0] & 0xc0).isEqualTo(0xc0);
        assertThat(ByteBuffer.wrap(p, 1, 4).getInt()).isEqualTo(0xbabababa);
        assertThat(ping.destinationId().length).isBetween(8, 18);

        byte[] vn = PortFilterWire.versionNegotiation(p, p.length, 0x55).orElseThrow();
        assertThat(vn.length).isEqualTo(7 + ping.destinationId().length + 16 + 4).isLessThan(p.length);
        assertThat(vn[0] & 0xc0).as("long header, fixed bit").isEqualTo(0xc0);
        assertThat(ByteBuffer.wrap(vn, 1, 4).getInt()).isZero();
        assertThat(PortFilterWire.isVersionNegotiation(vn, vn.length, ping)).isTrue();
        PortFilterWire.QuicPing other = PortFilterWire.quicPing(random);
        assertThat(PortFilterWire.isVersionNegotiation(vn, vn.length, other)).as("another ping's").isFalse();
        assertThat(PortFilterWire.isVersionNegotiation(p, p.length, ping)).as("the ping echoed").isFalse();
        byte[] unmarked = vn.clone();
        ByteBuffer.wrap(unmarked, unmarked.length - 4, 4).putInt(1);
        assertThat(PortFilterWire.isVersionNegotiation(unmarked, unmarked.length, ping)).as("a QUIC server's, listing version 1 only").isFalse();
    }

    @Test
    void shortOrMalformedQuicGetsNoVersionNegotiation() {
        byte[] p = PortFilterWire.quicPing(random).packet();
        assertThat(PortFilterWire.versionNegotiation(p, 1199, 0)).as("under 1200 bytes").isEmpty();
        byte[] vnItself = p.clone();
        ByteBuffer.wrap(vnItself, 1, 4).putInt(0);
        assertThat(PortFilterWire.versionNegotiation(vnItself, vnItself.length, 0)).as("version 0").isEmpty();
        byte[] shortHeader = p.clone();
        shortHeader[0] = 0x40;
        assertThat(PortFilterWire.versionNegotiation(shortHeader, shortHeader.length, 0)).isEmpty();
        byte[] huge = new byte[1200];
        huge[0] = (byte) 0xc0;
        huge[4] = 1;
        huge[5] = (byte) 255;
        huge[6 + 255] = (byte) 255;
        byte[] vn = PortFilterWire.versionNegotiation(huge, huge.length, 0).orElseThrow();
        assertThat(vn.length).as("the largest ids RFC 8999 allows").isEqualTo(521);
        byte[] cut = new byte[1200];
        cut[0] = (byte) 0xc0;
        cut[4] = 1;
        cut[5] = (byte) 255;
        cut[6 + 255] = (byte) 255;
        assertThat(PortFilterWire.versionNegotiation(cut, 6 + 255 + 100, 0)).as("ids past the datagram's end").isEmpty();
    }

    @Test
    void anyDatagramGetsAVersionNegotiationADnsAnswerOrNothing() {
        byte[] p = PortFilterWire.quicPing(random).packet();
        assertThat(PortFilterWire.udpAnswer(p, p.length, 0)).isPresent();
        byte[] q = PortFilterWire.dnsQuery(1, "abcdefgh");
        assertThat(PortFilterWire.udpAnswer(q, q.length, 0)).isPresent();
        assertThat(PortFilterWire.udpAnswer(new byte[0], 0, 0)).isEmpty();
        byte[] noise = new byte[1500];
        for (int i = 0; i < 200; i++) {
            random.nextBytes(noise);
            int length = 1 + random.nextInt(noise.length);
            PortFilterWire.udpAnswer(noise, length, i).ifPresent(a -> assertThat(a.length).isLessThanOrEqualTo(length));
        }
    }
}
