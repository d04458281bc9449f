package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpServerLimitsTest {
    @Test
    void everyServerIsBoundedAndTheCollectorGivesSlowUploadsMoreTime() {
        for (String command : new String[] {"control-server", "run", "demo"}) {
            assertThat(HttpServerLimits.forCommand(command)).containsEntry("sun.net.httpserver.maxReqTime", "10")
                    .containsEntry("sun.net.httpserver.maxRspTime", "30").containsEntry("jdk.httpserver.maxConnections", "512")
                    .containsKeys("sun.net.httpserver.maxReqHeaders", "sun.net.httpserver.maxReqHeaderSize", "sun.net.httpserver.idleInterval");
        }
        assertThat(HttpServerLimits.forCommand("collector")).containsEntry("sun.net.httpserver.maxReqTime", "120")
                .containsEntry("jdk.httpserver.maxConnections", "512");
    }
}
