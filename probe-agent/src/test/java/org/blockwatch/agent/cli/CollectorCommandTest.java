package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorCommandTest {
    @TempDir
    Path tmp;

    @Test
    void withoutADatabaseOrWithOneThatDoesNotAnswerItSaysSoInOneLine() throws Exception {
        Cli none = Cli.run("collector", "--listen", "127.0.0.1:0");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--database is needed");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Cli down = Cli.run("collector", "--listen", "127.0.0.1:0", "--database", "postgresql://bw:secret@127.0.0.1:" + closed + "/blockwatch");
        assertThat(down.exit()).isEqualTo(2);
        assertThat(down.err()).contains("--database postgresql://bw:***@127.0.0.1:" + closed).doesNotContain("secret");
    }

    @Test
    void aBadTokensFileIsNamedWithItsLine() throws Exception {
        Path tokens = Files.writeString(tmp.resolve("tokens.txt"), "# probes\nalice 0123456789abcdef0123\nbob short\n");
        Cli r = Cli.run("collector", "--database", "postgresql://bw@127.0.0.1:1/x", "--tokens-file", tokens.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(tokens + ":3: expected 'PROBE TOKEN'");
    }
}
