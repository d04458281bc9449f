package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blockwatch.agent.run.Consent;
import org.blockwatch.agent.run.Language;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Russian texts are there, complete, and chosen by the locale, as a volunteer's shell sets it. */
class TextsTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("%[sd]");
    @TempDir
    Path tmp;

    @Test
    void everyTextHasARussianTwinWithTheSamePlaceholders() {
        for (Map.Entry<String, String[]> e : Texts.ALL.entrySet()) {
            String en = e.getValue()[0];
            String ru = e.getValue()[1];
            assertThat(ru).as(e.getKey()).isNotBlank();
            if (en.chars().anyMatch(Character::isLetter) && !e.getKey().startsWith("status.header") || e.getKey().equals("status.header.state")) {
                assertThat(ru).as(e.getKey()).containsPattern("[А-Яа-яЁё]");
            }
            assertThat(placeholders(ru)).as(e.getKey()).isEqualTo(placeholders(en));
        }
        assertThat(Consent.text(Language.RUSSIAN)).contains("risks.ru.md").containsPattern("[А-Яа-я]{20,}|риск");
        assertThat(Consent.text(Language.ENGLISH)).contains("risks.md");
    }

    @Test
    void theLanguageComesFromLcAllThenLcMessagesThenLang() {
        assertThat(Language.fromMap(Map.of("LANG", "ru_RU.UTF-8"))).isEqualTo(Language.RUSSIAN);
        assertThat(Language.fromMap(Map.of("LANG", "ru_RU.UTF-8", "LC_ALL", "en_US.UTF-8"))).isEqualTo(Language.ENGLISH);
        assertThat(Language.fromMap(Map.of("LANG", "en_GB.UTF-8", "LC_MESSAGES", "ru_KZ.UTF-8"))).isEqualTo(Language.RUSSIAN);
        assertThat(Language.fromMap(Map.of("LANG", "kk_KZ.UTF-8"))).isEqualTo(Language.KAZAKH);
        assertThat(Language.fromMap(Map.of())).isEqualTo(Language.ENGLISH);
    }

    @Test
    void underARussianLocaleTheConsentAndStatusAreInRussian() throws Exception {
        Path store = tmp.resolve("demo.db");
        assertThat(Cli.run("demo", "--metrics-listen", "127.0.0.1:0", "--store", store.toString()).exit()).isZero();
        String status = child(List.of("status", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1"));
        assertThat(status).contains("Агент:", "Хранилище:", "Сеть:", "Последний проход:", "Пауза:", "Следующий проход:", "СОСТОЯНИЕ", "заблокирован");
        String consent = child(List.of("consent"));
        assertThat(consent).contains("Работа зонда может быть связана с риском", "Чтобы согласиться:");
    }

    /** blockwatch in a child JVM with LANG=ru_RU.UTF-8 and a home of its own, with the launcher's output encoding; its output. */
    private String child(List<String> args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8", // as the launcher runs it
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_MESSAGES");
        pb.environment().put("LANG", "ru_RU.UTF-8");
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static int placeholders(String s) {
        Matcher m = PLACEHOLDER.matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
