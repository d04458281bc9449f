package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReachabilityTest {

    @Test
    void aListeningControlIsReachableAndAClosedOneIsNamedAsUnreachable() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Reachability.Look up = new Reachability("127.0.0.1", open.getLocalPort(), Duration.ofSeconds(2)).look();
            assertThat(up.reachable()).isTrue();
            assertThat(up.why()).contains("answers");
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Reachability.Look down = new Reachability("127.0.0.1", closed, Duration.ofSeconds(2)).look();
        assertThat(down.reachable()).isFalse();
        assertThat(down.why()).isEqualTo("the control is unreachable: 127.0.0.1:" + closed + " refused the connection");
    }

    @Test
    void theControlIsLookedAtFirstThenATarget() {
        assertThat(Reachability.of(List.of("https://helper.example:8443/"), List.of("https://a.example/"), Duration.ofSeconds(1))).isNotNull();
        assertThat(Reachability.of(List.of(), List.of("http://a.example/"), Duration.ofSeconds(1))).isNotNull();
        assertThat(Reachability.of(List.of(), List.of(), Duration.ofSeconds(1))).isNull();
    }

    @Test
    void looksBackOffFromAMinuteToTheSweepInterval() {
        Duration first = Duration.ofMinutes(1);
        Duration most = Duration.ofMinutes(10);
        Duration d = null;
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            d = Reachability.backoff(d, first, most);
            seen.append(d.toMinutes()).append(' ');
        }
        assertThat(seen.toString().strip()).isEqualTo("1 2 4 8 10 10");
    }
}
