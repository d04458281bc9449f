package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.blockwatch.agent.settings.CommandSettings;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.ProbeFactory;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.agent.settings.SettingsException;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.core.dns.ResolverAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option a command lists in its help takes effect: walking each command's options, each is
 * a key of the settings table, and giving it its example value changes the resolved setting to
 * that value (not the default). The factory then builds from what was resolved.
 */
class OptionsTakeEffectTest {
    @TempDir
    static Path tmp;

    static Stream<String> commands() {
        return Stream.of("measure", "run", "demo", "control-server", "collector", "export", "consent");
    }

    @ParameterizedTest(name = "blockwatch {0}")
    @MethodSource("commands")
    void everyListedOptionSetsItsSetting(String name) throws Exception {
        CommandLine command = Main.commandLine().getSubcommands().get(name);
        TakesSettings takes = (TakesSettings) command.getCommand();
        List<String> checked = new ArrayList<>();
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) continue;
            Key<?> key = takes.settingKeys().stream().filter(k -> List.of(option.names()).contains(k.option())).findFirst().orElse(null);
            assertThat(key).as("blockwatch %s %s is a key of the settings table", name, option.longestName()).isNotNull();
            assertThat(option.description()).as(option.longestName() + " has help").isNotEmpty();

            String value = key == Keys.CONFIG ? Files.writeString(tmp.resolve(name + ".yaml"), "network:\n  asn: AS9198\n").toString() : key.example();
            List<String> args = new ArrayList<>(List.of(name));
            args.addAll(key.isFlag() ? List.of(key.option()) : List.of(key.option(), value));
            if (name.equals("measure")) args.add("https://site.example/");
            Settings s = CommandSettings.resolve(Main.commandLine().parseArgs(args.toArray(String[]::new)).subcommand(), takes.settingKeys());

            if (key == Keys.CONFIG) {
                assertThat(s.file()).isEqualTo(Path.of(value));
                assertThat(s.get(Keys.ASN)).as("the file's keys are read").isEqualTo("AS9198");
            } else {
                Object expected = key.isFlag() ? Boolean.TRUE : key.parse(List.of(value));
                assertThat((Object) s.get(key)).as("blockwatch %s %s %s", name, key.option(), value).isEqualTo(expected)
                        .isNotEqualTo(key.defaultValue());
            }
            checked.add(key.option());
        }
        assertThat(checked).as("blockwatch %s has options", name).isNotEmpty();
    }

    @Test
    void theFactoryBuildsTheEngineControlAndAnalysisFromTheSettings() throws Exception {
        Settings s = Settings.defaults().with(Keys.TIMEOUT, Duration.ofSeconds(20)).with(Keys.BODY_LIMIT, 1000L)
                .with(Keys.RESOLVER, ResolverAddress.parse("127.0.0.1:5353")).with(Keys.PARALLEL, 2)
                .with(Keys.CONTROL_HELPERS, List.of("http://127.0.0.1:8080/")).with(Keys.PUBLIC_RANGES, List.of("198.18.0.0/15"));
        ProbeFactory.Parts parts = ProbeFactory.probe(s);
        assertThat(parts.engine().stepTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(parts.engine().bodyLimit()).isEqualTo(1000L);
        assertThat(parts.engine().resolver()).isEqualTo(ResolverAddress.parse("127.0.0.1:5353"));
        assertThat(parts.engine().parallelism()).isEqualTo(2);
        assertThat(parts.control().helpers()).hasToString("[http://127.0.0.1:8080/]");
        assertThat(ProbeFactory.bogons(s).isBogon("198.18.0.5")).isFalse();
        assertThat(ProbeFactory.bogons(Settings.defaults()).isBogon("198.18.0.5")).isTrue();
        assertThat(ProbeFactory.probe(s.with(Keys.NO_CONTROL, true)).control()).isNull();
    }

    @Test
    void theControlTokenFileIsReadWithTheDefaultHelpersToo() {
        Settings s = Settings.defaults().with(Keys.CONTROL_TOKEN_FILE, tmp.resolve("absent.token"));
        assertThatThrownBy(() -> ProbeFactory.probe(s)).isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("--control-token-file: " + tmp.resolve("absent.token") + ": cannot read");
    }

    @Test
    void aTokenThatCouldNotTravelInAHeaderIsRefusedWhenReadWithAClearMessage() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("ru.token"), "пароль-123\n");
        Cli r = Cli.run("measure", "--control", "http://127.0.0.1:1/", "--control-token-file", file.toString(), "https://x.example/");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--control-token-file: " + file + ": a bearer token is made of letters A-Z and a-z, digits");
        java.nio.file.Files.writeString(file, "AbC-12._~+/xyz==\n");
        assertThat(ProbeFactory.token(file, Keys.CONTROL_TOKEN_FILE)).isEqualTo("AbC-12._~+/xyz==");
    }

    @Test
    void aBodyLimitTheHeapCannotHoldAtTheConcurrencyIsRefusedAtLoad() {
        Cli r = Cli.run("measure", "--body-limit", "64MiB", "--parallel", "64", "--no-control", "https://x.example/");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("measurement.body_limit: 64MiB with 64 measurements at once (schedule.concurrency, --parallel) needs about",
                "of memory, and this program has");
    }

    @Test
    void runChecksItsTimeoutLikeEveryOtherCommand() {
        for (String command : List.of("run", "measure")) {
            Cli r = Cli.run(Stream.concat(Stream.of(command, "--timeout", "0"), command.equals("measure") ? Stream.of("https://x.example/") : Stream.empty())
                    .toArray(String[]::new));
            assertThat(r.exit()).as(command).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).as(command).contains("--timeout: 0s is out of range 100ms to 5m");
        }
        Cli r = Cli.run("control-server", "--timeout", "10m");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--timeout: 10m is out of range 100ms to 5m");
    }

    @Test
    void exportReadsTheStoreNamedInItsConfiguration() throws Exception {
        Path db = tmp.resolve("configured.db");
        MeasurementStore.open(db).close();
        Path config = Files.writeString(tmp.resolve("export.yaml"), "store:\n  path: configured.db\n");
        Cli r = Cli.run("export", "--config", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("target,category,probe_asn");
        Cli missing = Cli.run("export", "--config", Files.writeString(tmp.resolve("other.yaml"), "store:\n  path: nowhere.db\n").toString());
        assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains(tmp.resolve("nowhere.db").toString());
    }
}
