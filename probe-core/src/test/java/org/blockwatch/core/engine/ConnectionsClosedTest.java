package org.blockwatch.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.sim.CertificateAuthority;
import org.blockwatch.sim.DnsBehaviour;
import org.blockwatch.sim.SimDnsServer;
import org.junit.jupiter.api.Test;

/**
 * A measurement returns with none of its connections open: the agent's confirming measurement
 * starts on a line the first one no longer uses. A site with two addresses, the first answering
 * and the second stalling the handshake: the page is fetched from the first while the second's
 * handshake still waits, and that connection is closed when the measurement returns, long before
 * its step timeout would have ended it.
 */
class ConnectionsClosedTest {
    @Test
    void aHandshakeStillWaitingOnAnotherAddressIsClosedWhenTheMeasurementReturns() throws Exception {
        CertificateAuthority ca = CertificateAuthority.root("CN=blockwatch test root, O=blockwatch");
        InetAddress first = InetAddress.getByName("127.0.0.1"), second = InetAddress.getByName("127.0.0.2");
        try (MockWebServer site = new MockWebServer()) {
            site.useHttps(ca.issue("two.test").serverContext().getSocketFactory());
            site.enqueue(new MockResponse.Builder().body("<html><title>two</title></html>").build());
            site.start(first, 0);
            CountDownLatch accepted = new CountDownLatch(1), closedByTheProbe = new CountDownLatch(1);
            try (ServerSocket stall = new ServerSocket()) {
                stall.bind(new InetSocketAddress(second, site.getPort()));
                Thread.ofVirtual().start(() -> {
                    try (Socket s = stall.accept(); InputStream in = s.getInputStream()) {
                        accepted.countDown();
                        while (in.read() >= 0) { } // the ClientHello, then nothing is ever answered: until the probe closes
                        closedByTheProbe.countDown();
                    } catch (Exception ignored) {
                        closedByTheProbe.countDown(); // a reset is a close too
                    }
                });
                try (SimDnsServer dns = new SimDnsServer().otherwise(new DnsBehaviour.Answer(List.of(first, second), 300));
                        WebEngine engine = new WebEngine(EngineConfig.defaults().withResolver(ResolverAddress.parse(dns.address()))
                                .withExtraRoots(List.of(ca.certificate())).withStepTimeout(Duration.ofMinutes(2))
                                .withDnsLateWindow(Duration.ofMillis(100)))) {
                    WebObservation o = engine.measure(TargetUrl.parse("https://two.test:" + site.getPort() + "/"));

                    assertThat(o.finalRequest().response().code()).isEqualTo(200);
                    assertThat(accepted.await(1, TimeUnit.MINUTES)).as("the second address was connected to").isTrue();
                    // Its handshake would wait two minutes for its step timeout; the measurement closed it on returning.
                    assertThat(closedByTheProbe.await(1, TimeUnit.MINUTES)).as("the stalled connection is closed").isTrue();
                }
            }
        }
    }
}
