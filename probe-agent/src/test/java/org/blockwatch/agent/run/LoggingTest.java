package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {
    private static List<String> logged(String format, String level, Runnable logging) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Logging.configure(format, level);
            logging.run();
        } finally {
            System.setErr(stderr);
            Logging.configure("text", "info");
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonLinesWhenAsked() throws Exception {
        List<String> lines = logged("json", "info", () -> LoggerFactory.getLogger("test").info("site {} is {}", "a.example", "blocked"));
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("formattedMessage").asText()).isEqualTo("site a.example is blocked");
    }

    @Test
    void readableTextByDefaultAndTheLevelHolds() {
        List<String> lines = logged("text", "info", () -> {
            LoggerFactory.getLogger("test").info("state change");
            LoggerFactory.getLogger("test").debug("per-step detail");
        });
        assertThat(lines).singleElement().asString().contains("INFO", "state change");
        assertThat(logged("text", "debug", () -> LoggerFactory.getLogger("test").debug("per-step detail"))).singleElement()
                .asString().contains("DEBUG", "per-step detail");
    }
}
