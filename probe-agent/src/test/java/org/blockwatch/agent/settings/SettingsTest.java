package org.blockwatch.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.blockwatch.core.dns.ResolverAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
    private static final Settings DEFAULTS = Settings.defaults();

    private static Path fixture(String name) throws Exception {
        return Path.of(SettingsTest.class.getResource("/settings/" + name).toURI());
    }

    @Test
    void everyKeyIsInTheTable() throws Exception {
        // A key left out of Keys.ALL has no value: the command that takes it fails at start ("no setting ...").
        List<Key<?>> declared = new java.util.ArrayList<>();
        for (java.lang.reflect.Field f : Keys.class.getFields()) {
            if (f.getType() == Key.class) declared.add((Key<?>) f.get(null));
        }
        assertThat(declared).hasSizeGreaterThan(50);
        assertThat(Keys.ALL).containsAll(declared);
    }

    @Test
    void aValidFileOverridesTheDefaultsAndResolvesPathsNextToIt() throws Exception {
        Path file = fixture("valid.yml");
        Settings s = CommandSettings.fromFile(file);
        assertThat(s.get(Keys.CONSENT)).isTrue();
        assertThat(s.get(Keys.INTERVAL)).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.get(Keys.JITTER)).isZero();
        assertThat(s.get(Keys.BANDWIDTH_PER_HOUR)).isEqualTo(50_000_000L);
        assertThat(s.get(Keys.BODY_LIMIT)).isEqualTo(32 * 1024);
        assertThat(s.get(Keys.CATEGORIES)).containsExactly("NEWS");
        assertThat(s.get(Keys.RESOLVER)).isEqualTo(ResolverAddress.parse("127.0.0.1:5353"));
        assertThat(s.storePath()).isEqualTo(file.getParent().resolve("data/bw.db"));
        // Issue 29, finding 17: a list's path too, as documented ("Relative paths are taken from the file's folder").
        assertThat(s.get(Keys.TARGET_LISTS)).containsExactly(file.getParent().resolve("lists/kz.csv").toString());
        assertThat(s.get(Keys.ASN)).isEqualTo("AS9198");
        assertThat(s.get(Keys.CONCURRENCY)).isEqualTo(DEFAULTS.get(Keys.CONCURRENCY));
        assertThat(s.file()).isEqualTo(file);
    }

    /** Issue 29, finding 17: a configuration's own list, named relative to it, loads whatever the working folder. */
    @Test
    void aTargetListIsFoundNextToTheConfigurationFile(@TempDir Path tmp) throws Exception {
        Path folder = java.nio.file.Files.createDirectories(tmp.resolve("etc/blockwatch"));
        java.nio.file.Files.writeString(folder.resolve("mine.csv"),
                "url,category_code,category_description,date_added,source,notes\nhttps://mine.example/,NEWS,News Media,2026-01-01,me,\n");
        Path config = folder.resolve("config.yaml");
        java.nio.file.Files.writeString(config, "targets:\n  lists: [mine.csv, builtin:kz, " + folder.resolve("mine.csv") + "]\n");
        Settings s = CommandSettings.fromFile(config);
        assertThat(s.get(Keys.TARGET_LISTS)).containsExactly(folder.resolve("mine.csv").toString(), "builtin:kz", folder.resolve("mine.csv").toString());
        assertThat(org.blockwatch.agent.targets.TargetListLoader.load(s.get(Keys.TARGET_LISTS), List.of()).targets())
                .extracting(org.blockwatch.agent.targets.Target::label).contains("https://mine.example/");
    }

    @Test
    void theDocumentedSampleLoadsToTheDefaults() {
        Settings s = CommandSettings.fromFile(Path.of("../config/blockwatch.sample.yaml"));
        for (Key<?> k : Keys.inFile()) assertThat(s.get(k)).as(k.name()).isEqualTo(DEFAULTS.get(k));
    }

    /** The sample documents every key of the file, with its default as the table writes it. */
    @Test
    void theSampleNamesEveryKeyOfTheFileWithItsDefault() throws Exception {
        String sample = Files.readString(Path.of("../config/blockwatch.sample.yaml"));
        for (Key<?> k : Keys.inFile()) {
            String leaf = k.name().substring(k.name().lastIndexOf('.') + 1);
            Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(leaf) + ":\\s*(.*?)\\s*(#.*)?$").matcher(sample);
            assertThat(m.find()).as("the sample has %s", k.name()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "invalid-malformed.yml    | :3:16: not valid YAML: a list opened with '[' is not closed with ']'",
            "invalid-unknown-key.yml  | :3:3: key 'schedule.intervall': unknown key (did you mean 'schedule.interval'?)",
            "invalid-duration.yml     | :3:3: key 'schedule.interval': 'five minutes' is not a duration",
            "invalid-concurrency.yml  | :2:3: key 'schedule.concurrency': 1000 is out of range 1 to 64",
            "invalid-asn.yml          | :2:3: key 'network.asn': '9198' is not 'auto' or an AS number",
            "invalid-resolver.yml     | :2:3: key 'measurement.resolver': resolver 'dns.example': expected an IP address",
            "invalid-log-format.yml   | :2:3: key 'logging.format': 'xml' is not one of text, json",
            "invalid-consent.yml      | :1:1: key 'consent': expected true or false",
            "invalid-section.yml      | :1:1: key 'targets': expected a section of keys"})
    void eachBadFileIsRejectedNamingFileLineAndKey(String name, String expected) throws Exception {
        Path file = fixture(name);
        assertThatThrownBy(() -> CommandSettings.fromFile(file))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(expected.strip());
    }

    @Test
    void everyMistakeOfAFileIsReportedAtOnceEachWithItsLine(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("c.yaml"), String.join("\n",
                "consent: yes please",
                "schedule:",
                "  intervall: 5m",
                "  concurrency: 1000",
                "metrics:",
                "  remote_write:",
                "    url: not a url",
                "network:",
                "  asn: 9198",
                ""));
        assertThatThrownBy(() -> CommandSettings.fromFile(file)).isInstanceOf(SettingsException.class)
                .hasMessage(String.join("\n",
                        file + ":1:1: key 'consent': expected true or false, not 'yes please'",
                        file + ":3:3: key 'schedule.intervall': unknown key (did you mean 'schedule.interval'?)",
                        file + ":4:3: key 'schedule.concurrency': 1000 is out of range 1 to 64",
                        file + ":7:5: key 'metrics.remote_write.url': 'not a url' is not an http(s) URL",
                        file + ":9:3: key 'network.asn': '9198' is not 'auto' or an AS number (e.g. AS9198)"));
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> CommandSettings.fromFile(Path.of("/nonexistent/blockwatch.yaml")))
                .hasMessage("/nonexistent/blockwatch.yaml: no such file");
    }

    @Test
    void rangesAreWrittenInHumanUnits(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("c.yaml"), "schedule:\n  interval: 10s\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(file)).hasMessage(file + ":2:3: key 'schedule.interval': 10s is out of range 1m to 7d");
        // A value far longer than any setting, or a file far bigger than any configuration: refused at once, by size.
        Path longName = Files.writeString(tmp.resolve("n.yaml"), "network:\n  name: " + "x".repeat(2000) + "\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(longName))
                .hasMessage(longName + ":2:3: key 'network.name': a value of 2000 characters; at most 1000");
        Path big = Files.writeString(tmp.resolve("big.yaml"), "network:\n  name: " + "x".repeat(2_000_000) + "\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(big)).hasMessageStartingWith(big + ": " + Files.size(big) + " bytes; a configuration file is at most 1048576");
        // More than a duration holds: out of range, named with its key and line (not "long overflow", exit 1).
        Path huge = Files.writeString(tmp.resolve("h.yaml"), "schedule:\n  interval: 99999999999999999d\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(huge))
                .hasMessage(huge + ":2:3: key 'schedule.interval': '99999999999999999d' is out of range 1m to 7d");
        assertThatThrownBy(() -> new Kind.Time(Duration.ZERO, Duration.ofDays(7)).parse("99999999999999999999999s"))
                .hasMessageContaining("is out of range");
        Path jitter = Files.writeString(tmp.resolve("j.yaml"), "schedule:\n  interval: 5m\n  jitter: 1h\n");
        assertThatThrownBy(() -> CommandSettings.fromFile(jitter)).hasMessageContaining("schedule.jitter: 1h must not be longer than schedule.interval (5m)");
    }

    @Test
    void durationsAndSizesReadAndWriteAsAPersonWritesThem() {
        Kind.Time time = new Kind.Time(Duration.ZERO, Duration.ofDays(7));
        assertThat(time.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(time.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(time.parse("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(time.parse("0.5")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> time.parse("PT2M")).hasMessageContaining("not a duration");
        assertThat(time.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(time.format(Duration.ofDays(7))).isEqualTo("7d");
        Kind.Size size = new Kind.Size(0, Long.MAX_VALUE);
        assertThat(size.parse("64KiB")).isEqualTo(65536);
        assertThat(size.parse("2MB")).isEqualTo(2_000_000);
        assertThat(size.parse("123")).isEqualTo(123);
        assertThatThrownBy(() -> size.parse("12 parsecs")).hasMessageContaining("not a size");
        assertThat(size.format(65536L)).isEqualTo("64KiB");
        assertThat(size.format(200_000_000L)).isEqualTo("200MB");
    }

    /** Every key's example is a value of its kind, in range and not its default: the option tests set it. */
    @Test
    void everyExampleIsValidAndDiffersFromTheDefault() {
        for (Key<?> k : Keys.ALL) {
            Object example = k.isFlag() ? Boolean.TRUE : k.parse(List.of(k.example()));
            assertThat(example).as(k.name()).isNotEqualTo(k.defaultValue());
        }
    }

    @Test
    void keyNamesAndOptionsAreUniquePerCommandAndTheHelpShowsRangeAndDefault() {
        assertThat(Keys.ALL.stream().map(Key::name).distinct().count()).isEqualTo(Keys.ALL.size());
        assertThat(Keys.TIMEOUT.help()).endsWith("100ms to 5m. Default: 10s.");
        assertThat(Keys.BODY_LIMIT.help()).endsWith("0B to 64MiB. Default: 64KiB.");
        assertThat(Stream.of(Keys.INTERVAL, Keys.MAX_GAP).map(Key::help)).noneMatch(h -> h.contains("PT"));
    }
}
