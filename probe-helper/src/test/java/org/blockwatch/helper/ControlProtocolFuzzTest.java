package org.blockwatch.helper;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.SimDnsServer;

/**
 * The control server's protocol parser on any body (part of the fuzzing suite): every request
 * gets an answer in the 2xx-4xx range or a 503 when busy, never a 500 nor a dropped connection,
 * and the server keeps answering. Names resolve (through the test's own DNS server) to loopback,
 * which the server refuses to contact: nothing is measured, nothing leaves the machine.
 */
class ControlProtocolFuzzTest {
    private static SimDnsServer dns;
    private static WebEngine engine;
    private static ControlServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build();

    @BeforeContainer
    static void start() throws Exception {
        dns = new SimDnsServer().otherwise(DnsBehaviour.answer("127.0.0.1"));
        Bogons bogons = Bogons.DEFAULT;
        engine = new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(dns.address())).withStepTimeout(Duration.ofSeconds(1))
                .withDestinations(ip -> !bogons.isBogon(ip.getHostAddress())));
        server = new ControlServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ControlService(engine, bogons),
                new ControlServer.Limits(8, 1_000_000, null));
    }

    @AfterContainer
    static void stop() {
        server.close();
        engine.close();
        dns.close();
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> url = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("https://news.example/", "http://127.0.0.1/", "http://[::1]:8080/", "http://10.0.0.1/", "file:///etc/passwd",
                        "https://xn--80ak6aa92e.example/", "https://a.example:0/", "https://a.example:99999/", "gopher://x/", "http://"));
        Arbitrary<String> endpoint = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of("127.0.0.1:22", "[::1]:443", "8.8.8.8:25", "1.1.1.1:443", "x:y", ":443", "999.1.1.1:80"));
        Arbitrary<String> json = net.jqwik.api.Combinators.combine(url, endpoint.list().ofMaxSize(4), Arbitraries.of("{}", "[]", "null", "1", "{\"a\":[1]}"))
                .as((u, endpoints, headers) -> "{\"http_request\":" + quote(u) + ",\"http_request_headers\":" + headers + ",\"tcp_connect\":["
                        + String.join(",", endpoints.stream().map(ControlProtocolFuzzTest::quote).toList()) + "]}");
        return Arbitraries.oneOf(json, Arbitraries.strings().ofMaxLength(200), Arbitraries.of("", "{", "{\"http_request\":null}", "[]", "\u0000"));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    @Property
    void everyBodyGetsAnAnswerThatIsNotAServerError(@ForAll("bodies") String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(body).isBetween(200, 499).isNotEqualTo(0);
        assertThat(r.body()).as(body).isNotEmpty();
    }
}
