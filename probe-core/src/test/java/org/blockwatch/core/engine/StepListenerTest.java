package org.blockwatch.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.StepListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every step is observed through the listener as it happens, and a failure names its operation. */
class StepListenerTest {
    private static SimulatedInternet net;

    record Event(String what, StepKind step, String subject, String failure) {}

    static final class Recording implements StepListener {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void started(StepKind step, String subject) {
            events.add(new Event("started", step, subject, null));
        }

        @Override
        public void succeeded(StepKind step, String subject, Duration took) {
            assertThat(took.isNegative()).isFalse();
            events.add(new Event("succeeded", step, subject, null));
        }

        @Override
        public void failed(StepKind step, String subject, String failure, Duration took) {
            events.add(new Event("failed", step, subject, failure));
        }

        List<Event> of(String what) {
            return events.stream().filter(e -> e.what().equals(what)).toList();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        net = new SimulatedInternet();
    }

    @AfterAll
    static void stop() throws Exception {
        net.close();
    }

    @Test
    void eachStepOfAWorkingSiteStartsAndSucceeds() throws Exception {
        Recording steps = new Recording();
        WebObservation o;
        try (WebEngine engine = new WebEngine(net.config().withListener(steps))) {
            o = engine.measure(TargetUrl.parse("https://site.test:" + net.https.getPort() + "/"));
        }
        List<StepKind> expected = new java.util.ArrayList<>(
                List.of(StepKind.DNS, StepKind.DNS, StepKind.TCP_CONNECT, StepKind.TLS_HANDSHAKE, StepKind.HTTP_RESPONSE));
        // On a loaded machine the handshake can pass SniComparison's "slow" mark even on loopback:
        // then each SNI probe adds a connection and a handshake of its own, as steps too.
        for (int i = 0; i < o.sniProbes().size(); i++) expected.addAll(List.of(StepKind.TCP_CONNECT, StepKind.TLS_HANDSHAKE));
        assertThat(steps.of("started")).extracting(Event::step).containsExactlyInAnyOrderElementsOf(expected);
        // Each step that started ended, once. The loopback resolver has an A record and no AAAA:
        // that query ends as a failure of its own.
        assertThat(steps.of("succeeded").size() + steps.of("failed").size()).isEqualTo(expected.size());
        assertThat(steps.of("failed")).contains(new Event("failed", StepKind.DNS, "site.test", Failure.DNS_NO_ANSWER));
        if (o.sniProbes().isEmpty()) assertThat(steps.of("succeeded")).hasSize(4);
        assertThat(steps.of("started")).extracting(Event::subject)
                .contains("site.test", "127.0.0.1:" + net.https.getPort(), "https://site.test:" + net.https.getPort() + "/");
    }

    @Test
    void aResetHandshakeFailsInTheTlsStepAndTheRecordsSayWhichOperation() throws Exception {
        Recording steps = new Recording();
        WebObservation o;
        try (WebEngine engine = new WebEngine(net.config().withListener(steps))) {
            o = engine.measure(TargetUrl.parse("https://site.test:" + net.resetOnHello.port() + "/"));
        }
        Event reset = new Event("failed", StepKind.TLS_HANDSHAKE, "127.0.0.1:" + net.resetOnHello.port(), Failure.CONNECTION_RESET);
        // The site's handshake, then the follow-up's on the same address (a random name, none, the site's again): all reset.
        assertThat(steps.of("failed")).containsExactlyInAnyOrder(new Event("failed", StepKind.DNS, "site.test", Failure.DNS_NO_ANSWER),
                reset, reset, reset, reset);
        assertThat(o.sniProbes()).hasSize(3);
        assertThat(o.failedOperation()).isEqualTo(Operation.TLS_HANDSHAKE);
        JsonNode keys = MeasurementJson.mapper().valueToTree(o);
        assertThat(keys.get("x_failed_operation").asText()).isEqualTo("tls_handshake");
        assertThat(keys.get("tls_handshakes").get(0).get("failed_operation").asText()).isEqualTo("tls_handshake");
        assertThat(keys.get("tcp_connect").get(0).get("failed_operation").isNull()).isTrue();
    }

    @Test
    void aRefusedConnectAndAMissingNameFailInTheirOwnOperations() throws Exception {
        try (WebEngine engine = new WebEngine(net.config())) {
            assertThat(engine.measure(TargetUrl.parse("http://site.test:" + net.closedPort + "/")).failedOperation()).isEqualTo(Operation.CONNECT);
            assertThat(engine.measure(TargetUrl.parse("http://nx.test/")).failedOperation()).isEqualTo(Operation.RESOLVE);
            assertThat(engine.measure(TargetUrl.parse("https://site.test:" + net.https.getPort() + "/")).failedOperation()).isNull();
        }
    }
}
