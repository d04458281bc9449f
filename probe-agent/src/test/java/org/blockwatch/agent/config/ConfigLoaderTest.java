package org.blockwatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static final AgentConfig DEFAULTS = AgentConfig.defaults(Path.of("/home/v/.local/share"));

    private static Path fixture(String name) throws Exception {
        return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
    }

    @Test
    void aValidFileOverridesTheDefaultsAndResolvesPathsNextToIt() throws Exception {
        Path file = fixture("valid.yml");
        AgentConfig c = ConfigLoader.load(file, DEFAULTS);
        assertThat(c.consent()).isTrue();
        assertThat(c.interval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.jitter()).isZero();
        assertThat(c.bandwidthPerHour()).isEqualTo(50_000_000L);
        assertThat(c.bodyLimit()).isEqualTo(32 * 1024);
        assertThat(c.categories()).containsExactly("NEWS");
        assertThat(c.resolver()).isEqualTo("127.0.0.1:5353");
        assertThat(c.storePath()).isEqualTo(file.getParent().resolve("data/bw.db"));
        assertThat(c.targetLists()).containsExactly("lists/kz.csv");
        assertThat(c.asn()).isEqualTo("AS9198");
        assertThat(c.concurrency()).isEqualTo(DEFAULTS.concurrency());
    }

    @Test
    void theDocumentedSampleLoadsToTheDefaults() throws Exception {
        AgentConfig c = ConfigLoader.load(Path.of("../config/blockwatch.sample.yaml"), DEFAULTS);
        assertThat(c).isEqualTo(DEFAULTS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "invalid-malformed.yml    | :3: not valid YAML",
            "invalid-unknown-key.yml  | :3: key 'schedule.intervall': unknown key (did you mean 'schedule.interval'?)",
            "invalid-duration.yml     | :3: key 'schedule.interval': 'five minutes' is not a duration",
            "invalid-concurrency.yml  | :2: key 'schedule.concurrency': 1000 is out of range 1-64",
            "invalid-asn.yml          | :2: key 'network.asn': '9198' is not an AS number",
            "invalid-resolver.yml     | :2: key 'measurement.resolver': resolver 'dns.example': expected an IP address",
            "invalid-log-format.yml   | :2: key 'logging.format': 'xml' is not one of [text, json]",
            "invalid-consent.yml      | :1: key 'consent': expected true or false",
            "invalid-section.yml      | :1: key 'targets': expected a section of keys"})
    void eachBadFileIsRejectedNamingFileLineAndKey(String name, String expected) throws Exception {
        Path file = fixture(name);
        assertThatThrownBy(() -> ConfigLoader.load(file, DEFAULTS))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(expected.strip());
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("/nonexistent/blockwatch.yaml"), DEFAULTS))
                .hasMessage("/nonexistent/blockwatch.yaml: no such file");
    }

    @Test
    void durationsAndSizes() {
        assertThat(Values.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Values.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Values.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> Values.duration("10")).hasMessageContaining("not a duration");
        assertThat(Values.size("64KiB")).isEqualTo(65536);
        assertThat(Values.size("2MB")).isEqualTo(2_000_000);
        assertThat(Values.size("123")).isEqualTo(123);
        assertThatThrownBy(() -> Values.size("12 parsecs")).hasMessageContaining("not a size");
    }
}
