package org.blockwatch.core.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.blockwatch.core.archival.ProbeAddressScrubber;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.archival.Report;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.locate.RealServer;
import org.blockwatch.core.nettest.Measurement;
import org.blockwatch.core.nettest.Nettests;
import org.blockwatch.core.nettest.OoniDocument;
import org.blockwatch.core.nettest.Reach;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;
import org.blockwatch.sim.SimStunServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StunReachabilityTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2); // coturn on a loaded machine answers late at times
    private static final StunControl ANSWERS = e -> StunControl.Answer.of(null, "http://control.test");
    private static final StunControl FAILS_TOO = e -> StunControl.Answer.of(Failure.GENERIC_TIMEOUT, "http://control.test");

    @TempDir
    Path tmp;

    private static StunReachability kind(StunControl control) {
        return new StunReachability(TIMEOUT, StepListener.NONE, control, null);
    }

    @Test
    void coturnAnswersByNameAndTheRecordIsOonis() throws Exception {
        try (RealServer coturn = RealServer.coturn(tmp)) {
            Measurement m = Nettests.measure(kind(StunControl.NONE), "stun://localhost:" + coturn.port);
            StunResult r = (StunResult) m.result();
            assertThat(r.failure()).as(coturn.log()).isNull();
            assertThat(m.verdict().status()).isEqualTo(Status.ACCESSIBLE);
            assertThat(r.reach()).isEqualTo(new Reach(Reach.Control.NOT_ASKED, true));
            assertThat(r.queries()).singleElement().satisfies(q -> assertThat(q.hostname()).isEqualTo("localhost"));

            JsonNode doc = OoniDocument.tree(m, ProbeInfo.UNKNOWN, new OoniDocument.Place(Report.none(r.startTime()), "uid", "COMT"),
                    ProbeAddressScrubber.NONE);
            assertThat(doc.get("test_name").asText()).isEqualTo("stunreachability");
            assertThat(doc.get("test_version").asText()).isEqualTo("0.4.0");
            assertThat(doc.get("input").asText()).isEqualTo("stun://localhost:" + coturn.port);
            JsonNode keys = doc.get("test_keys");
            // The spec's required keys (ts-025), and the connect, write and read that probe-cli records.
            assertThat(keys.get("endpoint").asText()).isEqualTo("localhost:" + coturn.port);
            assertThat(keys.get("failure").isNull()).isTrue();
            assertThat(keys.get("queries").isArray()).isTrue();
            assertThat(keys.get("network_events")).extracting(e -> e.get("operation").asText()).containsSubsequence("connect", "write", "read");
            assertThat(keys.get("network_events").get(0).get("proto").asText()).isEqualTo("udp");
            assertThat(keys.get(OoniDocument.VERDICT_KEY).get("status").asText()).isEqualTo("accessible");
            // The answer carries this machine's address: only its size is kept.
            assertThat(keys.toString()).doesNotContain("127.0.0.1:" + coturn.port + "\",\"proto\":null");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndWithoutAControlIsInconclusive() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Measurement m = Nettests.measure(kind(StunControl.NONE), "stun://127.0.0.1:" + silent.getLocalPort());
            StunResult r = (StunResult) m.result();
            assertThat(r.failure()).isEqualTo(Failure.GENERIC_TIMEOUT);
            assertThat(r.failedOperation()).isEqualTo(Operation.READ);
            assertThat(r.networkEvents().stream().filter(e -> "write".equals(e.operation())).count()).as("sent again within the timeout")
                    .isGreaterThan(1);
            assertThat(m.verdict().status()).isEqualTo(Status.INCONCLUSIVE);
            assertThat(r.reach().nothingAnswered()).isTrue();
        }
    }

    @Test
    void aClosedPortIsRefused() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StunResult r = (StunResult) kind(FAILS_TOO).measure("stun://127.0.0.1:" + port);
        assertThat(r.failure()).isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(r.verdict().status()).as("refused at the control too: down").isEqualTo(Status.DOWN);
    }

    @Test
    void droppedForTheProbeAndAnsweredForTheControlIsBlocked() throws Exception {
        InetAddress probe = InetAddress.getByName("127.0.0.3");
        try (SimStunServer server = new SimStunServer(InetAddress.getLoopbackAddress(), Set.of(probe))) {
            String input = "stun://127.0.0.1:" + server.address().getPort();
            StunResult blocked = (StunResult) new StunReachability(TIMEOUT, StepListener.NONE, ANSWERS, probe).measure(input);
            assertThat(blocked.failure()).isEqualTo(Failure.GENERIC_TIMEOUT);
            assertThat(blocked.verdict().status()).isEqualTo(Status.BLOCKED);
            assertThat(blocked.verdict().method()).isEqualTo(Method.TCP_IP);
            assertThat(blocked.reach().controlAnswered()).isTrue();
            StunResult open = (StunResult) new StunReachability(TIMEOUT, StepListener.NONE, ANSWERS, InetAddress.getByName("127.0.0.4"))
                    .measure(input);
            assertThat(open.verdict().status()).isEqualTo(Status.ACCESSIBLE);
            assertThat(server.answered()).isEqualTo(1);
        }
    }

    @Test
    void theVerdictsEdges() {
        StunEndpoint e = StunEndpoint.parse("stun://stun.example:3478");
        StunControl.Answer up = StunControl.Answer.of(null, "h");
        StunControl.Answer down = StunControl.Answer.of(Failure.GENERIC_TIMEOUT, "h");
        StunControl.Answer none = StunControl.Answer.unavailable("the control does not measure STUN");
        assertThat(StunReachability.decide(e, null, null, none).status()).isEqualTo(Status.ACCESSIBLE);
        Verdict byName = StunReachability.decide(e, Failure.DNS_NXDOMAIN, Operation.RESOLVE, up);
        assertThat(byName.status()).isEqualTo(Status.BLOCKED);
        assertThat(byName.method()).isEqualTo(Method.DNS);
        assertThat(StunReachability.decide(e, Failure.GENERIC_TIMEOUT, Operation.READ, up).method()).isEqualTo(Method.TCP_IP);
        assertThat(StunReachability.decide(e, Failure.GENERIC_TIMEOUT, Operation.READ, down).status()).isEqualTo(Status.DOWN);
        Verdict unknown = StunReachability.decide(e, Failure.GENERIC_TIMEOUT, Operation.READ, none);
        assertThat(unknown.status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(unknown.explanation()).contains("the control does not measure STUN");
    }

    @Test
    void anInputIsAStunUrlWithItsPort() {
        assertThat(StunEndpoint.parse("stun://Stun.Example:19302").endpoint()).isEqualTo("stun.example:19302");
        assertThat(StunEndpoint.parse("stun://[2001:db8::1]:3478").endpoint()).isEqualTo("[2001:db8::1]:3478");
        for (String bad : List.of("stun.example:3478", "stun://stun.example", "turn://stun.example:3478", "stun://:3478", "")) {
            assertThatThrownBy(() -> StunEndpoint.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stun://");
        }
    }
}
