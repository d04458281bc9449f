package org.blockwatch.core.locate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StunClientTest {
    @TempDir
    Path tmp;

    @Test
    void coturnReportsTheAddressItSaw() throws Exception {
        try (RealServer coturn = RealServer.coturn(tmp)) {
            Optional<InetAddress> seen = StunClient.publicAddress(new InetSocketAddress("127.0.0.1", coturn.port), Duration.ofSeconds(3));
            assertThat(seen).as(coturn.log()).contains(InetAddress.getByName("127.0.0.1"));
        }
    }

    @Test
    void aSilentServerIsEmptyAfterTheTimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertThat(StunClient.publicAddress(new InetSocketAddress("127.0.0.1", silent.getLocalPort()), Duration.ofMillis(700))).isEmpty();
        }
    }

    @Test
    void garbageAndAnswersToOtherRequestsAreIgnoredUntilTheRealAnswer() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread responder = Thread.ofVirtual().start(() -> {
                try {
                    byte[] buffer = new byte[1500];
                    DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                    server.receive(request);
                    byte[] transaction = Arrays.copyOfRange(buffer, 8, 20);
                    byte[] other = transaction.clone();
                    other[0] ^= 1;
                    for (byte[] reply : new byte[][] {"garbage".getBytes(), response(other, "198.51.100.9"), response(transaction, "203.0.113.7")}) {
                        server.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(StunClient.publicAddress(new InetSocketAddress("127.0.0.1", server.getLocalPort()), Duration.ofSeconds(3)))
                    .contains(InetAddress.getByName("203.0.113.7"));
            responder.join();
        }
    }

    @Test
    void theRfc5769SampleIpv6ResponseDecodes() throws Exception {
        // RFC 5769 section 2.3 (Sample IPv6 Response), without its optional attributes:
        // XOR-MAPPED-ADDRESS for 2001:db8:1234:5678:11:2233:4455:6677 port 32853.
        byte[] transaction = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");
        byte[] message = HexFormat.of().parseHex("010100182112a442b7e7a701bc34d686fa87dfae"
                + "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9");
        assertThat(StunClient.parse(message, transaction)).contains(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"));
        assertThat(StunClient.parse(Arrays.copyOf(message, 30), transaction)).isEmpty(); // cut short
    }

    /** A Binding success response carrying XOR-MAPPED-ADDRESS {@code address} port 4242. */
    private static byte[] response(byte[] transaction, String address) throws Exception {
        byte[] ip = InetAddress.getByName(address).getAddress();
        byte[] cookie = ByteBuffer.allocate(4).putInt(StunClient.MAGIC_COOKIE).array();
        for (int i = 0; i < 4; i++) ip[i] ^= cookie[i];
        return ByteBuffer.allocate(32).putShort(StunClient.BINDING_SUCCESS).putShort((short) 12).putInt(StunClient.MAGIC_COOKIE).put(transaction)
                .putShort(StunClient.XOR_MAPPED_ADDRESS).putShort((short) 8).put((byte) 0).put((byte) 1).putShort((short) (4242 ^ 0x2112))
                .put(ip).array();
    }
}
