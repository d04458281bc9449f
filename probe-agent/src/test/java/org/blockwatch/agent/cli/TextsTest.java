package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blockwatch.agent.run.Consent;
import org.blockwatch.agent.run.Language;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The texts are in bundles a translator edits, complete in Russian and Kazakh, with CLDR's plural
 * forms, chosen by the locale as a volunteer's shell sets it.
 */
class TextsTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("%(\\d+\\$)?[sd]");
    private static final Pattern PLURAL = Pattern.compile("(.+)\\.(one|few|many|other)");
    @TempDir
    static Path tmp;
    private static Path store;

    @org.junit.jupiter.api.BeforeAll
    static void theDemosStore() {
        store = tmp.resolve("demo.db");
        assertThat(Cli.run("demo", "--metrics-listen", "127.0.0.1:0", "--store", store.toString()).exit()).isZero();
    }

    /** A bundle's own keys and texts, read as the JDK reads it (UTF-8). */
    private static Properties own(String file) throws Exception {
        Properties p = new Properties();
        try (InputStream in = TextsTest.class.getResourceAsStream("/org/blockwatch/agent/cli/" + file)) {
            assertThat(in).as(file).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyEnglishTextIsInRussianAndKazakhWithEveryPluralFormAndTheSamePlaceholders() throws Exception {
        Properties english = own("messages.properties");
        assertThat(english).hasSizeGreaterThan(60);
        for (Language language : List.of(Language.RUSSIAN, Language.KAZAKH)) {
            Properties translated = own("messages_" + language.locale().getLanguage() + ".properties");
            List<String> missing = new ArrayList<>();
            for (String key : new TreeSet<>(english.stringPropertyNames())) {
                Matcher plural = PLURAL.matcher(key);
                String en = english.getProperty(key);
                List<String> keys = plural.matches() ? language.pluralCategories().stream().map(c -> plural.group(1) + "." + c).toList() : List.of(key);
                for (String k : keys) {
                    String text = translated.getProperty(k);
                    if (text == null) {
                        missing.add(k);
                        continue;
                    }
                    assertThat(placeholders(text)).as(language + " " + k).isEqualTo(placeholders(en));
                    if (en.chars().filter(Character::isLetter).count() > 3 && !k.startsWith("error.frame")) {
                        assertThat(text).as(language + " " + k + " is translated").containsPattern("[А-Яа-яЁёӘәІіҢңҒғҮүҰұҚқӨөҺһ]");
                    }
                }
            }
            assertThat(missing).as("keys of messages.properties that messages_%s.properties lacks", language.locale()).isEmpty();
        }
        assertThat(Texts.ALL).as("texts still in Java, not in the bundles").isEmpty();
        assertThat(Consent.text(Language.RUSSIAN)).contains("risks.ru.md").containsPattern("[А-Яа-я]{20,}|риск");
        assertThat(Consent.text(Language.ENGLISH)).contains("risks.md");
    }

    @Test
    void russianPluralsFollowCldr() {
        Texts ru = new Texts(Language.RUSSIAN);
        assertThat(ru.n("status.count.blocked", 1)).isEqualTo("1 сайт заблокирован");
        assertThat(ru.n("status.count.blocked", 2)).isEqualTo("2 сайта заблокированы");
        assertThat(ru.n("status.count.blocked", 5)).isEqualTo("5 сайтов заблокировано");
        assertThat(ru.n("status.count.blocked", 11)).isEqualTo("11 сайтов заблокировано");
        assertThat(ru.n("status.count.blocked", 13)).isEqualTo("13 сайтов заблокировано");
        assertThat(ru.n("status.count.blocked", 21)).isEqualTo("21 сайт заблокирован");
        assertThat(ru.n("status.count.blocked", 22)).isEqualTo("22 сайта заблокированы");
        assertThat(ru.n("status.count.blocked", 25)).isEqualTo("25 сайтов заблокировано");
        assertThat(ru.n("status.count.blocked", 111)).isEqualTo("111 сайтов заблокировано");
        assertThat(ru.n("status.count.blocked", 101)).isEqualTo("101 сайт заблокирован");
        assertThat(ru.n("status.count.blocked", 0)).isEqualTo("0 сайтов заблокировано");
        assertThat(ru.n("duration.hours", 2)).isEqualTo("2 часа");
        assertThat(ru.n("duration.minutes", 14)).isEqualTo("14 минут");
        assertThat(ru.n("duration.minutes", 24)).isEqualTo("24 минуты");
        assertThat(Language.RUSSIAN.plural(12)).isEqualTo("many");
        assertThat(Language.RUSSIAN.plural(1001)).isEqualTo("one");
    }

    @Test
    void kazakhAndEnglishHaveOneAndOther() {
        Texts kk = new Texts(Language.KAZAKH);
        assertThat(kk.n("status.count.blocked", 1)).isEqualTo("1 сайт бұғатталған");
        assertThat(kk.n("status.count.blocked", 2)).isEqualTo("2 сайт бұғатталған");
        assertThat(kk.n("duration.hours", 2)).isEqualTo("2 сағат");
        assertThat(Language.KAZAKH.plural(1)).isEqualTo("one");
        assertThat(Language.KAZAKH.plural(2)).isEqualTo("other");
        Texts en = new Texts(Language.ENGLISH);
        assertThat(en.n("duration.hours", 1)).isEqualTo("1 hour");
        assertThat(en.n("duration.hours", 21)).isEqualTo("21 hours");
        assertThat(en.t("consent.toAgree", "x")).isEqualTo("To agree: x");
    }

    @Test
    void aTextMissingFromATranslationIsTheEnglishOne() {
        Texts ru = new Texts(Language.RUSSIAN, "org.blockwatch.agent.cli.textstest");
        assertThat(ru.t("both")).isEqualTo("Русский оба");
        assertThat(ru.t("only.english")).isEqualTo("English only");
        assertThat(ru.n("sites", 5)).isEqualTo("5 сайтов");
        // A plural translated in part is English whole, by English's rule, never "5 halves" in one and "1 половина" in another form.
        assertThat(ru.n("half", 5)).isEqualTo("5 halves");
        assertThat(ru.n("half", 21)).isEqualTo("21 halves");
        // No translation at all (Kazakh here): English.
        assertThat(new Texts(Language.KAZAKH, "org.blockwatch.agent.cli.textstest").t("both")).isEqualTo("English both");
    }

    @Test
    void theLanguageComesFromLcAllThenLcMessagesThenLang() {
        assertThat(Language.fromMap(Map.of("LANG", "ru_RU.UTF-8"))).isEqualTo(Language.RUSSIAN);
        assertThat(Language.fromMap(Map.of("LANG", "ru_RU.UTF-8", "LC_ALL", "en_US.UTF-8"))).isEqualTo(Language.ENGLISH);
        assertThat(Language.fromMap(Map.of("LANG", "en_GB.UTF-8", "LC_MESSAGES", "ru_KZ.UTF-8"))).isEqualTo(Language.RUSSIAN);
        assertThat(Language.fromMap(Map.of("LANG", "kk_KZ.UTF-8"))).isEqualTo(Language.KAZAKH);
        assertThat(Language.fromMap(Map.of("LANG", "en_US.UTF-8", "LC_ALL", "kk_KZ"))).isEqualTo(Language.KAZAKH);
        assertThat(Language.fromMap(Map.of("LANG", "C.UTF-8"))).isEqualTo(Language.ENGLISH);
        assertThat(Language.fromMap(Map.of())).isEqualTo(Language.ENGLISH);
    }

    @Test
    void underARussianLocaleTheConsentStatusPauseAndErrorsAreInRussianInAlignedColumns() throws Exception {
        String status = child("ru_RU.UTF-8", List.of("status", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1"));
        assertThat(status).contains("Агент:", "Хранилище:", "Сеть:", "Последний проход:", "Пауза:", "Следующий проход:", "СОСТОЯНИЕ", "заблокирован");
        // The demo's 25 targets: 18 blocked, 2 down, 5 accessible, each with its plural form.
        assertThat(status).contains("Сайты:", "25: 18 сайтов заблокировано, 2 сайта недоступны везде, 5 сайтов доступно");
        assertThat(status).containsPattern("измерени(й|я|е)\\)");
        // The labels are a column: every value starts where the longest label's does, whatever the labels' lengths.
        List<String> labelled = status.lines().takeWhile(l -> !l.startsWith("СОСТОЯНИЕ")).toList();
        assertThat(labelled).hasSizeGreaterThanOrEqualTo(8);
        int column = "Следующий проход:".length() + 2;
        assertThat(labelled).allSatisfy(l -> assertThat(l.charAt(column - 1)).as(l).isEqualTo(' '))
                .allSatisfy(l -> assertThat(l.charAt(column)).as(l).isNotEqualTo(' '));
        String consent = child("ru_RU.UTF-8", List.of("consent"));
        assertThat(consent).contains("Работа зонда может быть связана с риском", "Чтобы согласиться:");
        String pause = child("ru_RU.UTF-8", List.of("pause", "2h", "--store", store.toString()));
        assertThat(pause).startsWith("Пауза на 2 часа, до ").contains("Работающий агент");
        assertThat(child("ru_RU.UTF-8", List.of("pause", "awhile", "--store", store.toString())))
                .startsWith("blockwatch: ошибка: DURATION: 'awhile' — не длительность");
        assertThat(child("ru_RU.UTF-8", List.of("status", "--bogus"))).contains("blockwatch: ошибка: непонятно: --bogus", "Справка: 'blockwatch status --help'.");
    }

    @Test
    void underAKazakhLocaleStatusAndPauseAreInKazakh() throws Exception {
        String status = child("kk_KZ.UTF-8", List.of("status", "--store", store.toString(), "--metrics-listen", "127.0.0.1:1"));
        assertThat(status).contains("Агент:", "Қойма:", "Желі:", "Соңғы айналым:", "Үзіліс:", "Келесі айналым:", "КҮЙІ",
                "25: 18 сайт бұғатталған, 2 сайт еш жерде қолжетімсіз, 5 сайт қолжетімді");
        assertThat(child("kk_KZ.UTF-8", List.of("pause", "1h", "--store", store.toString()))).startsWith("1 сағат үзіліс, ");
    }

    /**
     * blockwatch in a child JVM with LANG={@code lang} and a home of its own, with the launcher's output encoding; its output.
     * Its arguments are ASCII: where the locale is not generated (this project's machines have only C.UTF-8) the JVM
     * reads a command line as ASCII ('2 часа' as PauseTest reads it is tested in this JVM).
     */
    private static String child(String lang, List<String> args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8", // as the launcher runs it
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_MESSAGES");
        pb.environment().put("LANG", lang);
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
