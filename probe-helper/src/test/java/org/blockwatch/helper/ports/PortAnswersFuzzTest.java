package org.blockwatch.helper.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.blockwatch.core.portfiltering.HelperPorts;
import org.blockwatch.core.portfiltering.PortFilterWire;

/**
 * What the listener answers, on any input (part of the fuzzing suite): never more bytes than it
 * was sent, so that a forged request can never make it an amplifier; and nothing, or a bounded
 * answer, to garbage. Datagrams near QUIC's and DNS's shapes are generated as well as noise.
 */
class PortAnswersFuzzTest {
    private static final HelperPorts SERVED = new HelperPorts(List.of(22, 53, 80, 443, 853, 1194, 3785, 5222, 8080), List.of(53, 443));

    @Provide
    Arbitrary<byte[]> datagrams() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(1500);
        // QUIC-shaped: a long header, any version and id lengths, at or near 1200 bytes.
        Arbitrary<byte[]> quic = Arbitraries.bytes().array(byte[].class).ofMinSize(1190).ofMaxSize(1300).map(b -> {
            b[0] |= (byte) 0x80;
            return b;
        });
        // DNS-shaped: the probe's query with some bytes changed.
        Arbitrary<byte[]> dns = Arbitraries.integers().between(0, 127).tuple3().map(t -> {
            byte[] q = PortFilterWire.dnsQuery(t.get1(), "abcdefgh1234");
            q[t.get2()] ^= (byte) (t.get3() + 1);
            return q;
        });
        return Arbitraries.oneOf(noise, quic, dns);
    }

    @Property(tries = 2000)
    void aDatagramsAnswerIsNeverLongerThanIt(@ForAll("datagrams") byte[] datagram) {
        Optional<byte[]> answer = PortFilterWire.udpAnswer(datagram, datagram.length, 0x2a);
        answer.ifPresent(a -> assertThat(a.length).isLessThanOrEqualTo(datagram.length));
    }

    @Property(tries = 2000)
    void aLinesAnswerIsNeverLongerThanIt(@ForAll("lines") byte[] line) {
        Optional<byte[]> answer = PortFilterWire.tcpAnswer(line, line.length, SERVED);
        // The line's newline, which tcpAnswer is not given, counts: line.length + 1 bytes were sent.
        answer.ifPresent(a -> assertThat(a.length).isLessThanOrEqualTo(line.length + 1));
    }

    @Provide
    Arbitrary<byte[]> lines() {
        Arbitrary<String> nonce = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(70);
        Arbitrary<String> filler = Arbitraries.strings().ascii().ofMaxLength(400);
        Arbitrary<byte[]> requests = net.jqwik.api.Combinators.combine(nonce, filler)
                .as((n, f) -> (PortFilterWire.ASK + n + (f.isEmpty() ? "" : " " + f)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(PortFilterWire.MAX_LINE);
        return Arbitraries.oneOf(requests, noise);
    }
}
