package org.blockwatch.agent.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A command's settings: its options are made from the table's keys (so the help shows each
 * key's range and default), and what was given is resolved over the configuration file and the
 * defaults in one way for every command.
 */
public final class CommandSettings {
    private CommandSettings() {}

    /** Adds an option for each of {@code keys} to {@code command}. */
    public static void addOptions(CommandSpec command, List<Key<?>> keys) {
        for (Key<?> key : keys) {
            if (key.option() == null) throw new IllegalArgumentException(key.name() + " has no command-line option");
            OptionSpec.Builder option = OptionSpec.builder(key.option()).description(key.help());
            if (key.isFlag()) {
                option.arity("0").type(boolean.class);
            } else if (key.repeatable()) {
                option.paramLabel(key.paramLabel()).arity("1").type(List.class).auxiliaryTypes(String.class);
            } else {
                option.paramLabel(key.paramLabel()).arity("1").type(String.class);
            }
            command.addOption(option.build());
        }
    }

    /**
     * The settings of a parsed command: defaults, then the configuration file (when the command
     * takes {@code --config}, or reads the user's standard file), then the options given.
     */
    public static Settings resolve(ParseResult parsed, List<Key<?>> keys) {
        Settings s = Settings.defaults();
        if (keys.contains(Keys.CONFIG)) {
            Path file = given(parsed, Keys.CONFIG) != null ? Keys.CONFIG.parse(given(parsed, Keys.CONFIG)) : standardFile();
            if (file != null) s = ConfigFileReader.read(file, s);
        }
        for (Key<?> key : keys) {
            List<String> texts = given(parsed, key);
            if (texts == null) continue;
            try {
                s = s.withValue(key, key.isFlag() ? Boolean.TRUE : key.parse(texts));
            } catch (IllegalArgumentException e) {
                throw new SettingsException(key.option() + ": " + e.getMessage(), e);
            }
        }
        if (s.get(Keys.NO_CONTROL) && given(parsed, Keys.CONTROL_HELPERS) != null) {
            throw new SettingsException("--control and --no-control exclude each other");
        }
        if (s.get(Keys.NO_EXTRA_RESOLVERS) && given(parsed, Keys.EXTRA_RESOLVERS) != null) {
            throw new SettingsException("--extra-resolver and --no-extra-resolvers exclude each other");
        }
        return s.checked("");
    }

    /** The texts given for {@code key}'s option, or null when it was not given. */
    private static List<String> given(ParseResult parsed, Key<?> key) {
        if (key.option() == null) return null;
        OptionSpec option = parsed.matchedOption(key.option());
        return option == null ? null : option.originalStringValues();
    }

    /** The user's configuration file when it exists: {@code $XDG_CONFIG_HOME/blockwatch/config.yaml}. */
    static Path standardFile() {
        Path standard = Xdg.configHome().resolve("blockwatch").resolve("config.yaml");
        return Files.exists(standard) ? standard : null;
    }

    /** Reads {@code file} over the defaults (tests and tools that have a file but no command line). */
    public static Settings fromFile(Path file) {
        return ConfigFileReader.read(file, Settings.defaults());
    }
}
