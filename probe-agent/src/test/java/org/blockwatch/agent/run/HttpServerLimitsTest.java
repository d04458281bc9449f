package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.blockwatch.helper.http.ServerLimits;
import org.junit.jupiter.api.Test;

class HttpServerLimitsTest {
    @Test
    void theAgentsMetricsServerIsBoundedAndOnlyTheCommandsThatServeLookUpTheDescriptors() {
        for (String command : new String[] {"run", "demo"}) {
            assertThat(HttpServerLimits.forCommand(command)).containsEntry("sun.net.httpserver.maxReqTime", "10")
                    .containsEntry("sun.net.httpserver.maxRspTime", "30")
                    .containsEntry("jdk.httpserver.maxConnections", Integer.toString(ServerLimits.maxConnections(ServerLimits.descriptorLimit())))
                    .containsKeys("sun.net.httpserver.maxReqHeaders", "sun.net.httpserver.maxReqHeaderSize", "sun.net.httpserver.idleInterval");
        }
        // A command that serves nothing on the JDK's server does not pay for the descriptor limit's lookup.
        for (String command : new String[] {"measure", "control-server", "collector"}) {
            assertThat(HttpServerLimits.forCommand(command)).doesNotContainKey("jdk.httpserver.maxConnections");
        }
    }

    @Test
    void connectionsAreCappedUnderTheDescriptorsWithRoomForTheProgramsOwn() {
        assertThat(ServerLimits.maxConnections(1024)).isEqualTo(512); // a shell's default soft limit
        assertThat(ServerLimits.maxConnections(20_000)).isEqualTo(16_384);
        assertThat(ServerLimits.maxConnections(4096)).isEqualTo(2048);
        assertThat(ServerLimits.maxConnections(8192)).isEqualTo(6144);
        assertThat(ServerLimits.maxConnections(524_288)).isEqualTo(16_384); // systemd's hard limit
        assertThat(ServerLimits.maxConnections(100)).isEqualTo(64);
    }
}
