package org.blockwatch.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe's name beside the store: made once, kept; a damaged file named, never replaced. */
class ProbeNameTest {
    @TempDir
    Path tmp;

    @Test
    void aNameIsMadeOnceAndKept() {
        Path file = tmp.resolve("blockwatch.probe-name");
        String name = ProbeFactory.probeName(file);
        assertThat(name).matches("probe-[0-9a-f]{8}");
        assertThat(ProbeFactory.probeName(file)).isEqualTo(name);
    }

    /** Issue 29, finding 18: a damaged probe-name file was replaced silently (the probe's series changed their instance). */
    @Test
    void aDamagedFileIsAnErrorNamingItAndIsNotReplaced() throws Exception {
        Path file = tmp.resolve("blockwatch.probe-name");
        for (byte[] damaged : new byte[][] {"probe name with spaces\n".getBytes(), {(byte) 0xff, (byte) 0xfe, 'a'}, new byte[0], "x".repeat(65).getBytes()}) {
            Files.write(file, damaged);
            assertThatThrownBy(() -> ProbeFactory.probeName(file)).isInstanceOf(SettingsException.class).hasMessageContaining(file.toString())
                    .hasMessageContaining(Keys.REMOTE_WRITE_PROBE.name());
            assertThat(Files.readAllBytes(file)).as("left as it was").isEqualTo(damaged);
        }
        Files.delete(file);
        Files.createDirectory(file);
        assertThatThrownBy(() -> ProbeFactory.probeName(file)).isInstanceOf(SettingsException.class).hasMessageContaining(file.toString());
    }
}
