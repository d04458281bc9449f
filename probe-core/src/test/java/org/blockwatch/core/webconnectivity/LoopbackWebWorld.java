package org.blockwatch.core.webconnectivity;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okio.Buffer;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.wire.ControlProtocol;
import org.blockwatch.core.control.wire.ControlRequest;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.dns.LoopbackDnsServer;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;

/**
 * A plain-HTTP site on 127.0.0.1, a resolver on loopback ({@code dns}: names to addresses, others
 * NXDOMAIN) and a test helper speaking OONI's protocol whose answer for a URL is {@code answers}'.
 */
final class LoopbackWebWorld implements AutoCloseable {
    /** A page as served: its Content-Type and its bytes. */
    record Page(String contentType, byte[] bytes) {}

    final MockWebServer site = new MockWebServer();
    final MockWebServer helper = new MockWebServer();
    final LoopbackDnsServer isp;

    LoopbackWebWorld(Map<String, Page> pages, Map<String, String> dns, Function<HttpUrl, ControlResponse> answers) throws IOException {
        site.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Page page = pages.get(request.getUrl().encodedPath());
                if (page == null) return new MockResponse.Builder().code(404).build();
                return new MockResponse.Builder().code(200).addHeader("Content-Type", page.contentType())
                        .body(new Buffer().write(page.bytes())).build();
            }
        });
        site.start(InetAddress.getByName("127.0.0.1"), 0);
        helper.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    ControlRequest asked = ControlProtocol.MAPPER.readValue(request.getBody().toByteArray(), ControlRequest.class);
                    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                            .body(ControlProtocol.MAPPER.writeValueAsString(answers.apply(HttpUrl.get(asked.httpRequest())))).build();
                } catch (IOException e) {
                    return new MockResponse.Builder().code(500).build();
                }
            }
        });
        helper.start(InetAddress.getByName("127.0.0.1"), 0);
        isp = new LoopbackDnsServer();
        dns.forEach((name, ip) -> isp.address(name, 60, ip));
    }

    /** What the helper answers for a page of {@code length} bytes titled {@code title} at the site. */
    ControlResponse pageAtTheSite(long length, String title, Map<String, String> headers) {
        return new ControlResponse(new ControlResponse.Dns(null, List.of("127.0.0.1")),
                Map.of("127.0.0.1:" + site.getPort(), new ControlResponse.TcpConnect(true, null)), Map.of(),
                new ControlResponse.HttpRequest(length, null, title, headers, 200), Map.of());
    }

    /** Measures {@code http://host:port/path} with the control at {@code helperUrl} (the world's helper when null). */
    WebMeasurement measure(String host, String pathAndQuery, String helperUrl) {
        EngineConfig config = EngineConfig.defaults().withResolver(isp.resolver()).withStepTimeout(Duration.ofSeconds(3));
        ControlClient control = new ControlClient(List.of(helperUrl != null ? helperUrl : "http://127.0.0.1:" + helper.getPort() + "/"),
                Duration.ofSeconds(5), Duration.ofSeconds(10), TrustRoots.jdkPlus(List.of()), null);
        try (WebEngine engine = new WebEngine(config)) {
            return new WebConnectivity(engine, control, Analyzer.standard(Bogons.DEFAULT))
                    .measure(TargetUrl.parse("http://" + host + ":" + site.getPort() + pathAndQuery));
        }
    }

    @Override
    public void close() throws IOException {
        site.close();
        helper.close();
        isp.close();
    }
}
