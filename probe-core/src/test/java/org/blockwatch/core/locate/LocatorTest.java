package org.blockwatch.core.locate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.SimpleResolver;

/** The whole lookup against real coturn and dnsmasq on loopback: the STUN server sees 127.0.0.1. */
class LocatorTest {
    private static final String[] ZONE = {
        "txt-record=1.0.0.127.origin.asn.lab,64500 | 127.0.0.0/8 | KZ | ripencc | 2001-01-01",
        "txt-record=AS64500.asn.lab,\"64500 | KZ | ripencc | 2001-01-01 | KAZTEL-AS - Example Kaztelecom JSC, KZ\"",
        "address=/whoami.lab/192.0.2.53",
        "txt-record=53.2.0.192.origin.asn.lab,64511 | 192.0.2.0/24 | DE | ripencc | 2001-01-01",
        "txt-record=7.113.0.203.origin.asn.lab,64520 | 203.0.113.0/24 | UZ | ripencc | 2001-01-01"};

    @TempDir
    Path tmp;

    private static Locator.Sources sources(List<String> stun, List<String> urls, int dnsPort) {
        return new Locator.Sources(stun, urls, "asn.lab", "whoami.lab", () -> new SimpleResolver(new InetSocketAddress("127.0.0.1", dnsPort)),
                Duration.ofSeconds(2));
    }

    @Test
    void theNetworkAndTheResolversAreFoundWithoutConfiguration() throws Exception {
        try (RealServer coturn = RealServer.coturn(tmp); RealServer dns = RealServer.dnsmasq(tmp, ZONE)) {
            Location where = new Locator(sources(List.of("127.0.0.1:" + coturn.port), List.of(), dns.port)).locate();
            assertThat(where.problems()).isEmpty();
            assertThat(where.network()).isEqualTo(new AsInfo(64500, "KZ", "KAZTEL-AS - Example Kaztelecom JSC, KZ"));
            assertThat(where.publicAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(where.resolverEgress()).isEqualTo(InetAddress.getByName("192.0.2.53"));
            assertThat(where.resolverNetwork()).isEqualTo(new AsInfo(64511, "DE", ""));
            assertThat(where.resolverElsewhere()).isTrue();
            assertThat(where.toString()).doesNotContain("127.0.0.1").contains("AS64500".substring(2));
        }
    }

    @Test
    void whenStunIsSilentTheHttpsFallbackAnswers() throws Exception {
        HttpServer page = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        page.createContext("/", x -> {
            byte[] body = "203.0.113.7\n".getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        page.start();
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress()); RealServer dns = RealServer.dnsmasq(tmp, ZONE)) {
            Location where = new Locator(sources(List.of("127.0.0.1:" + silent.getLocalPort()),
                    List.of("http://127.0.0.1:" + page.getAddress().getPort() + "/"), dns.port)).locate();
            assertThat(where.network()).isEqualTo(new AsInfo(64520, "UZ", ""));
            assertThat(where.problems()).hasSize(1).allSatisfy(p -> assertThat(p).doesNotContain("203.0.113.7"))
                    .anySatisfy(p -> assertThat(p).startsWith("STUN server 127.0.0.1:" + silent.getLocalPort() + ": no answer"));
        } finally {
            page.stop(0);
        }
    }

    @Test
    void whenEveryLookupFailsItIsAs0AndZzWithTheReasons() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Location where = new Locator(new Locator.Sources(List.of("127.0.0.1:" + silent.getLocalPort(), "no-such-host.invalid:3478"), List.of(),
                    "asn.lab", "whoami.lab", () -> new SimpleResolver(new InetSocketAddress("127.0.0.1", silent.getLocalPort())),
                    Duration.ofMillis(600))).locate();
            assertThat(where.network()).isEqualTo(AsInfo.UNKNOWN);
            assertThat(where.network().asnLabel()).isEqualTo("AS0");
            assertThat(where.network().cc()).isEqualTo("ZZ");
            assertThat(where.publicAddress()).isNull();
            assertThat(where.resolverEgress()).isNull();
            assertThat(where.problems()).hasSize(4);
        }
    }

    @Test
    void hostPortForms() {
        assertThat(Locator.hostPort("stun.example:19302", 3478)).isEqualTo(InetSocketAddress.createUnresolved("stun.example", 19302));
        assertThat(Locator.hostPort("[2001:db8::1]:3478", 1).getPort()).isEqualTo(3478);
        assertThat(Locator.hostPort("2001:db8::1", 3478).getPort()).isEqualTo(3478);
        assertThat(Locator.hostPort("192.0.2.1", 3478).getAddress().getHostAddress()).isEqualTo("192.0.2.1");
    }
}
