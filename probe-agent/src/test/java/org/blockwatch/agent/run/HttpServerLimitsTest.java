package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpServerLimitsTest {
    @Test
    void everyServerIsBoundedAndTheCollectorGivesSlowUploadsMoreTime() {
        for (String command : new String[] {"control-server", "run", "demo"}) {
            assertThat(HttpServerLimits.forCommand(command)).containsEntry("sun.net.httpserver.maxReqTime", "10")
                    .containsEntry("sun.net.httpserver.maxRspTime", "30")
                    .containsEntry("jdk.httpserver.maxConnections", Integer.toString(HttpServerLimits.maxConnections(HttpServerLimits.descriptorLimit())))
                    .containsKeys("sun.net.httpserver.maxReqHeaders", "sun.net.httpserver.maxReqHeaderSize", "sun.net.httpserver.idleInterval");
        }
        assertThat(HttpServerLimits.forCommand("collector")).containsEntry("sun.net.httpserver.maxReqTime", "120");
        // A command that serves nothing does not pay for the descriptor limit's lookup.
        assertThat(HttpServerLimits.forCommand("measure")).doesNotContainKey("jdk.httpserver.maxConnections");
    }

    @Test
    void connectionsAreCappedUnderTheDescriptorsWithRoomForTheProgramsOwn() {
        assertThat(HttpServerLimits.maxConnections(1024)).isEqualTo(512); // a shell's default soft limit
        assertThat(HttpServerLimits.maxConnections(20_000)).isEqualTo(16_384);
        assertThat(HttpServerLimits.maxConnections(4096)).isEqualTo(2048);
        assertThat(HttpServerLimits.maxConnections(8192)).isEqualTo(6144);
        assertThat(HttpServerLimits.maxConnections(524_288)).isEqualTo(16_384); // systemd's hard limit
        assertThat(HttpServerLimits.maxConnections(100)).isEqualTo(64);
    }
}
