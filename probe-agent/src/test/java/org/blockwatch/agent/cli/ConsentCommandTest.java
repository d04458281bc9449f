package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consent is kept beside the configuration it is for, so that a packaged service finds it. */
class ConsentCommandTest {
    @TempDir
    Path tmp;

    /** The volunteer's own ~/.config may hold a consent that applies to every configuration. */
    private static boolean userConsented() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path home = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return Files.exists(home.resolve("blockwatch").resolve("consent"));
    }

    @Test
    void acceptRecordsConsentBesideTheConfigurationAndCheckFindsIt() throws Exception {
        Path config = Files.writeString(tmp.resolve("blockwatch.yaml"), "consent: false\n");

        assertThat(userConsented()).as("tests run with a home of their own, where nobody consented").isFalse();
        Cli before = Cli.run("consent", "--check", "--config", config.toString());
        assertThat(before.exit()).isEqualTo(1);
        assertThat(before.out()).contains("blockwatch consent --accept --config " + config);

        Cli accepted = Cli.run("consent", "--accept", "--config", config.toString());
        assertThat(accepted.exit()).isZero();
        assertThat(accepted.out()).contains("Running a probe can carry risk").contains("Consent recorded in " + tmp.resolve("consent"));
        assertThat(tmp.resolve("consent")).content().contains("version=" + org.blockwatch.agent.run.ConsentText.currentVersion(), "via=accept", "given=");

        Cli after = Cli.run("consent", "--check", "--config", config.toString());
        assertThat(after.exit()).isZero();
        assertThat(after.out()).contains("Consent was given to version " + org.blockwatch.agent.run.ConsentText.currentVersion());
    }

    @Test
    void theConfigurationKeyIsConsentToo() throws Exception {
        Path config = Files.writeString(tmp.resolve("blockwatch.yaml"), "consent: true\n");

        assertThat(Cli.run("consent", "--check", "--config", config.toString()).exit()).isZero();
        assertThat(tmp.resolve("consent")).doesNotExist();
    }

    @Test
    void aConsentForAnotherConfigurationDoesNotCount() throws Exception {
        Files.createDirectories(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("b"));
        Path a = Files.writeString(tmp.resolve("a/blockwatch.yaml"), "consent: false\n");
        Path b = Files.writeString(tmp.resolve("b/blockwatch.yaml"), "consent: false\n");
        assertThat(Cli.run("consent", "--accept", "--config", a.toString()).exit()).isZero();

        assertThat(userConsented()).as("tests run with a home of their own, where nobody consented").isFalse();
        assertThat(Cli.run("consent", "--check", "--config", b.toString()).exit()).isEqualTo(1);
        Cli refused = Cli.run("run", "--config", b.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("consent needed").contains("--config " + b);
    }

    @Test
    void aBrokenConfigurationIsNamed() throws Exception {
        Path config = Files.writeString(tmp.resolve("blockwatch.yaml"), "consent: perhaps\n");

        Cli r = Cli.run("consent", "--check", "--config", config.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(config.toString()).contains("consent");
    }
}
