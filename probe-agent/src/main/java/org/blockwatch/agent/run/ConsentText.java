package org.blockwatch.agent.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The consent text in one language, with its version and the questions asked on a terminal, read
 * from the resources a translator edits ({@code org/blockwatch/agent/consent/consent_<code>.txt}
 * and {@code questions[_<code>].properties}).
 */
public record ConsentText(Language language, int version, String text, List<Question> questions, Properties words) {
    private static final String DIR = "/org/blockwatch/agent/consent/";
    private static final Pattern VERSION = Pattern.compile("^version:\\s*(\\d+)\\s*$");

    /** A statement the volunteer answers true or false; a wrong answer is followed by {@code explanation}. */
    public record Question(String id, String statement, boolean answer, String explanation) {}

    /** The version of the consent text: the English one's, which translations follow. */
    public static int currentVersion() {
        return of(Language.ENGLISH).version();
    }

    /** The text in {@code language}. */
    public static ConsentText of(Language language) {
        String code = code(language);
        String file = read("consent_" + code + ".txt");
        int version = -1;
        StringBuilder text = new StringBuilder();
        for (String line : file.split("\n", -1)) {
            Matcher m = VERSION.matcher(line);
            if (line.startsWith("#")) continue;
            if (version < 0 && m.matches()) {
                version = Integer.parseInt(m.group(1));
                continue;
            }
            text.append(line).append('\n');
        }
        if (version < 0) throw new IllegalStateException(DIR + "consent_" + code + ".txt: no 'version: N' line");
        Properties words = properties(code.equals("en") ? "questions.properties" : "questions_" + code + ".properties");
        List<Question> questions = new ArrayList<>();
        for (String id : list(words, "questions")) {
            String answer = required(words, id + ".answer");
            if (!answer.equals("true") && !answer.equals("false")) {
                throw new IllegalStateException("questions_" + code + ".properties: " + id + ".answer is '" + answer + "', not true or false");
            }
            questions.add(new Question(id, required(words, id), Boolean.parseBoolean(answer), required(words, id + ".explain")));
        }
        return new ConsentText(language, version, text.toString().strip() + "\n", List.copyOf(questions), words);
    }

    /** The language's code, as recorded and in the resources' names: en, ru, kk. */
    public static String code(Language language) {
        return switch (language) {
            case RUSSIAN -> "ru";
            case KAZAKH -> "kk";
            default -> "en";
        };
    }

    /** A word of the questions' dialogue ({@code agree}, {@code right}, ...). */
    public String word(String key) {
        return required(words, key);
    }

    /** The answers that mean {@code key} ({@code true}, {@code false}, {@code yes}), in lower case. */
    public Set<String> answers(String key) {
        return list(words, key).stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    private static List<String> list(Properties p, String key) {
        return Arrays.stream(required(p, key).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalStateException(DIR + ": no '" + key + "' in the consent questions");
        return v.strip();
    }

    private static Properties properties(String name) {
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(stream(name), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(DIR + name, e);
        }
        return p;
    }

    private static String read(String name) {
        try (InputStream in = stream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(DIR + name, e);
        }
    }

    private static InputStream stream(String name) {
        InputStream in = ConsentText.class.getResourceAsStream(DIR + name);
        if (in == null) throw new IllegalStateException("missing resource " + DIR + name);
        return in;
    }
}
