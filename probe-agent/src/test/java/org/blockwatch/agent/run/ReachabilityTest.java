package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.engine.TargetUrl;
import org.junit.jupiter.api.Test;

class ReachabilityTest {

    @Test
    void aListeningControlIsReachableAndAClosedOneIsNamedAsUnreachable() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Reachability.Look up = reachability(open.getLocalPort()).look();
            assertThat(up.reachable()).isTrue();
            assertThat(up.why()).contains("answers");
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Reachability.Look down = reachability(closed).look();
        assertThat(down.reachable()).isFalse();
        assertThat(down.why()).isEqualTo("the control is unreachable: 127.0.0.1:" + closed + " refused the connection");
    }

    private static Reachability reachability(int port) {
        return new Reachability(List.of(new Reachability.Endpoint("the control", "127.0.0.1", port)), Duration.ofSeconds(2));
    }

    private static Target target(String url, boolean domestic) {
        return new Target(TargetUrl.parse(url), "NEWS", "News", "test", domestic);
    }

    @Test
    void aBlockedControlAloneDoesNotKeepTheAgentFromSweepingWhenATargetAnswers() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Reachability r = Reachability.of(List.of("https://127.0.0.1:" + closed + "/"),
                    List.of(target("https://127.0.0.2:1/", false), target("http://127.0.0.1:" + open.getLocalPort() + "/", true)),
                    Duration.ofSeconds(2));
            Reachability.Look look = r.look();
            assertThat(look.reachable()).isTrue();
            assertThat(look.why()).isEqualTo("a target (127.0.0.1:" + open.getLocalPort() + ") answers");
        }
        Reachability.Look down = Reachability.of(List.of("https://127.0.0.1:" + closed + "/"), List.of(target("http://127.0.0.1:" + closed + "/", false)),
                Duration.ofSeconds(2)).look();
        assertThat(down.why()).isEqualTo("the control is unreachable: 127.0.0.1:" + closed + " refused the connection; "
                + "a target is unreachable: 127.0.0.1:" + closed + " refused the connection");
    }

    @Test
    void theControlIsLookedAtFirstThenATarget() {
        assertThat(Reachability.of(List.of("https://helper.example:8443/"), List.of(target("https://a.example/", false)), Duration.ofSeconds(1))).isNotNull();
        assertThat(Reachability.of(List.of(), List.of(target("http://a.example/", false)), Duration.ofSeconds(1))).isNotNull();
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
