package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A consent is to a version of the text: a consent to another version is not consent. */
class ConsentStateTest {
    @TempDir
    Path tmp;

    private Path config() throws Exception {
        return Files.writeString(tmp.resolve("blockwatch.yaml"), "consent: false\n");
    }

    @Test
    void aConsentToTheCurrentTextIsGiven() throws Exception {
        Path config = config();
        Consent.Record r = new Consent.Record(ConsentText.currentVersion(), Instant.parse("2026-12-07T21:30:00Z"), "kk", Consent.Via.TERMINAL,
                Map.of("watched", List.of(true)));
        Path f = Consent.record(config, r);

        assertThat(f).isEqualTo(tmp.resolve("consent"));
        assertThat(f).content().contains("version=" + ConsentText.currentVersion(), "given=2026-12-07T21:30:00Z", "language=kk", "via=terminal",
                "answer.watched=true");
        assertThat(Consent.state(false, config)).isEqualTo(new Consent.Given(f, r));
    }

    @Test
    void aConsentToAnOlderTextIsNot() throws Exception {
        Path config = config();
        int older = ConsentText.currentVersion() - 1;
        Consent.record(config, new Consent.Record(older, Instant.now(), "en", Consent.Via.ACCEPT, Map.of()));

        assertThat(Consent.state(false, config)).isEqualTo(new Consent.Outdated(tmp.resolve("consent"), older, ConsentText.currentVersion()));
        assertThat(Consent.given(false, config)).isFalse();
    }

    @Test
    void theFileOfBeforeVersionsIsVersionOne() throws Exception {
        Path config = config();
        Files.writeString(tmp.resolve("consent"), "consent given 2026-11-02T08:00:00Z\n");

        Consent.Record r = Consent.Record.parse(Files.readString(tmp.resolve("consent")));
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.given()).isEqualTo(Instant.parse("2026-11-02T08:00:00Z"));
        assertThat(ConsentText.currentVersion()).as("the texts of issue 32 are a new version").isGreaterThan(1);
        assertThat(Consent.state(false, config)).isInstanceOf(Consent.Outdated.class);
    }

    @Test
    void noFileIsNoConsentAndTheConfigurationKeyIsConsent() throws Exception {
        Path config = config();
        assertThat(Consent.state(false, config)).isEqualTo(new Consent.Missing());
        assertThat(Consent.state(true, config)).isInstanceOf(Consent.Given.class);
    }

    @Test
    void acceptRecordsTheCurrentVersionWithoutAnswers() throws Exception {
        Path config = config();
        Consent.record(config, Consent.Via.ACCEPT);

        Consent.Record r = Consent.Record.parse(Files.readString(tmp.resolve("consent")));
        assertThat(r.version()).isEqualTo(ConsentText.currentVersion());
        assertThat(r.via()).isEqualTo(Consent.Via.ACCEPT);
        assertThat(r.answers()).isEmpty();
        assertThat(Consent.given(false, config)).isTrue();
    }
}
