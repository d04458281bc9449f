package org.blockwatch.agent.run;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.blockwatch.agent.settings.Xdg;

/**
 * The informed consent a volunteer gives before the agent measures, as OONI Probe asks for: to a
 * version of the text ({@link ConsentText}), recorded in a file beside the configuration. A consent
 * to another version of the text is not consent: the volunteer is asked again.
 */
public final class Consent {
    /** The consent text in the volunteer's language. */
    public static String text(Language language) {
        return ConsentText.of(language).text();
    }

    private Consent() {}

    /** How a consent was given. */
    public enum Via {
        /** On a terminal, having answered the questions ({@code run} or {@code consent}). */
        TERMINAL("terminal"),
        /** {@code blockwatch consent --accept}: scripts and the .deb's instructions, no questions. */
        ACCEPT("accept"),
        /** {@code blockwatch run --accept-consent}. */
        RUN_ACCEPT("run-accept");

        private final String word;

        Via(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Via of(String word) {
            for (Via v : values()) if (v.word.equals(word)) return v;
            return null;
        }
    }

    /**
     * A recorded consent: the version of the text agreed to, when, in which language, how, and each
     * question's answers in the order given (a wrong one, then the right one).
     */
    public record Record(int version, Instant given, String language, Via via, Map<String, List<Boolean>> answers) {
        public Record {
            answers = answers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()),
                    (a, b) -> a, LinkedHashMap::new));
        }

        /** The file's text: key=value lines (docs/interfaces.md, "The consent file"). */
        public String format() {
            StringBuilder out = new StringBuilder("# blockwatch consent: the version of the text agreed to, when, in which language, how,"
                    + " and the answers to its questions\n");
            out.append("version=").append(version).append('\n');
            out.append("given=").append(given).append('\n');
            out.append("language=").append(language).append('\n');
            out.append("via=").append(via == null ? "" : via.word()).append('\n');
            answers.forEach((id, a) -> out.append("answer.").append(id).append('=')
                    .append(a.stream().map(String::valueOf).collect(Collectors.joining(","))).append('\n'));
            return out.toString();
        }

        /**
         * A consent file's record. A file without a version is version 1 (before versions, the file
         * said only "consent given INSTANT"); an unreadable version is 0: neither is the current one.
         */
        public static Record parse(String file) {
            Properties p = new Properties();
            try {
                p.load(new StringReader(file));
            } catch (IOException | IllegalArgumentException e) {
                return new Record(0, null, "", null, Map.of());
            }
            int version;
            try {
                version = p.containsKey("version") ? Integer.parseInt(p.getProperty("version").strip()) : 1;
            } catch (NumberFormatException e) {
                version = 0;
            }
            Instant given = null;
            String at = p.getProperty("given", p.getProperty("consent", "").replaceFirst("^given\\s+", "")).strip();
            try {
                if (!at.isEmpty()) given = Instant.parse(at);
            } catch (DateTimeParseException e) {
                given = null;
            }
            Map<String, List<Boolean>> answers = new LinkedHashMap<>();
            for (String k : p.stringPropertyNames().stream().sorted().toList()) {
                if (!k.startsWith("answer.")) continue;
                List<Boolean> a = new ArrayList<>();
                Arrays.stream(p.getProperty(k).split(",")).map(String::strip).filter(w -> !w.isEmpty()).forEach(w -> a.add(Boolean.parseBoolean(w)));
                answers.put(k.substring("answer.".length()), a);
            }
            return new Record(version, given, p.getProperty("language", "").strip(), Via.of(p.getProperty("via", "").strip()), answers);
        }
    }

    /** Whether consent was given, to which text, and where it is recorded. */
    public sealed interface State permits Given, Outdated, Missing {}

    /** Consent to the current text: recorded in {@code file}, or (both null) the configuration's {@code consent: true}. */
    public record Given(Path file, Record record) implements State {}

    /** A consent recorded in {@code file} to another {@code version} of the text than {@code current}: not consent. */
    public record Outdated(Path file, int version, int current) implements State {}

    /** No consent. */
    public record Missing() implements State {}

    /**
     * Where the consent for a configuration file is kept: beside it (so that a service reading
     * /etc/blockwatch/blockwatch.yaml finds /etc/blockwatch/consent); with no file, in the user's
     * configuration directory.
     */
    public static Path directory(Path configFile) {
        if (configFile == null) return Xdg.configHome().resolve("blockwatch");
        Path parent = configFile.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of("/");
    }

    /**
     * The consent for this configuration: its {@code consent: true} (the person who writes the
     * configuration vouches for it), a consent to the current text recorded beside it or for the
     * user, else a recorded consent to an older text, else none.
     */
    public static State state(boolean configKey, Path configFile) throws IOException {
        if (configKey) return new Given(null, null);
        int current = ConsentText.currentVersion();
        Outdated outdated = null;
        for (Path f : List.of(file(directory(configFile)), file(directory(null)))) {
            if (!Files.isRegularFile(f)) continue;
            Record r = Record.parse(Files.readString(f));
            if (r.version() == current) return new Given(f, r);
            if (outdated == null) outdated = new Outdated(f, r.version(), current);
        }
        return outdated != null ? outdated : new Missing();
    }

    /** Whether the volunteer has consented to the current text (see {@link #state}). */
    public static boolean given(boolean configKey, Path configFile) throws IOException {
        return state(configKey, configFile) instanceof Given;
    }

    /** Records {@code consent} for this configuration file (or the user); the file it is in. */
    public static Path record(Path configFile, Record consent) throws IOException {
        Path f = file(directory(configFile));
        Files.createDirectories(f.getParent());
        Files.writeString(f, consent.format());
        return f;
    }

    /** Records consent to the current text, given without questions ({@code --accept}), in the environment's language. */
    public static Path record(Path configFile, Via via) throws IOException {
        return record(configFile, accepted(via));
    }

    /** A consent to the current text, given without questions, in the environment's language, now. */
    public static Record accepted(Via via) {
        return new Record(ConsentText.currentVersion(), Instant.now(), ConsentText.code(Language.fromEnvironment()), via, Map.of());
    }

    /** The command that records consent for this configuration file (or the user's, with none). */
    public static String acceptCommand(Path configFile) {
        return "blockwatch consent --accept" + (configFile == null ? "" : " --config " + configFile);
    }

    private static Path file(Path directory) {
        return directory.resolve("consent");
    }
}
