package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blockwatch list} and {@code show ID}: what was measured, browsed as ooniprobe's list and show do. */
class ListShowCommandTest {
    @TempDir
    Path tmp;
    private Path store;
    private List<StoredMeasurements.One> stored;

    @BeforeEach
    void measured() throws Exception {
        store = tmp.resolve("blockwatch.db");
        stored = StoredMeasurements.store(store, Instant.parse("2026-12-01T10:00:00Z"), false,
                "https://news.example/", "https://blocked.example/", "https://news.example/", "https://video.example/");
    }

    private static String local(Instant at) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx").format(at.atZone(ZoneId.systemDefault()));
    }

    @Test
    void listShowsTheNewestFirstWithTheIdsOfTheExportsAndLocalTime() {
        Cli r = Cli.run("list", "--store", store.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).contains("ID", "TIME", "KIND", "INPUT", "VERDICT").contains(ZoneId.systemDefault().getId());
        assertThat(lines).hasSize(5);
        assertThat(lines.get(1)).startsWith(stored.get(3).uid()).contains(local(stored.get(3).at()), "web_connectivity",
                "https://video.example/", "accessible");
        assertThat(lines.get(3)).startsWith(stored.get(1).uid()).contains("https://blocked.example/", "blocked", "tcp_ip");
    }

    @Test
    void listFiltersByTargetWithOrWithoutItsSlashByStatusAndLimits() {
        Cli byTarget = Cli.run("list", "--store", store.toString(), "--target", "https://news.example");
        assertThat(byTarget.out().lines().skip(1).toList()).hasSize(2).allSatisfy(l -> assertThat(l).contains("https://news.example/"));
        Cli blocked = Cli.run("list", "--store", store.toString(), "--status", "blocked");
        assertThat(blocked.out().lines().skip(1).toList()).singleElement().satisfies(l -> assertThat(l).startsWith(stored.get(1).uid()));
        Cli limited = Cli.run("list", "--store", store.toString(), "--limit", "1");
        assertThat(limited.out().lines().skip(1).toList()).singleElement().satisfies(l -> assertThat(l).startsWith(stored.get(3).uid()));
        Cli bad = Cli.run("list", "--store", store.toString(), "--status", "censored");
        assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("--status", "'censored'", "blocked");
    }

    @Test
    void listOfAStoreThatIsNotThereSaysSoAndCreatesNothing() {
        Path missing = tmp.resolve("none").resolve("blockwatch.db");
        Cli r = Cli.run("list", "--store", missing.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains(missing.toString(), "no such file");
        assertThat(missing.getParent()).doesNotExist();
    }

    @Test
    void showSaysInPlainWordsWhatWasMeasuredStepByStep() {
        StoredMeasurements.One blocked = stored.get(1);
        Cli r = Cli.run("show", blocked.uid(), "--store", store.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains(blocked.uid(), "web_connectivity", "https://blocked.example/", local(blocked.at()),
                "AS64500", "Example Telecom", "blocked (tcp_ip)", "the connection to 10.10.34.35:443 was reset",
                "DNS", "blocked.example", "10.10.34.35", "127.0.0.1:53", "TCP", "10.10.34.35:443", "connection_reset");
    }

    @Test
    void showJsonIsTheStoredDocument() throws Exception {
        StoredMeasurements.One one = stored.get(0);
        Cli r = Cli.run("show", one.uid(), "--json", "--store", store.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.path("measurement_uid").asText()).isEqualTo(one.uid());
        assertThat(doc.path("input").asText()).isEqualTo("https://news.example/");
    }

    @Test
    void underARussianLocaleListAndShowSpeakRussian() throws Exception {
        String list = russian("list", "--store", store.toString());
        assertThat(list).contains("ВРЕМЯ", "ИТОГ", "заблокирован (tcp_ip)", stored.get(1).uid());
        String show = russian("show", stored.get(1).uid(), "--store", store.toString());
        assertThat(show).contains("Измерение " + stored.get(1).uid(), "Итог:", "заблокирован (tcp_ip)", "Шаги:");
    }

    /** blockwatch in a child JVM with LANG=ru_RU.UTF-8 (the language is the environment's); its output. */
    private String russian(String... args) throws Exception {
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(launcher, "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_MESSAGES");
        pb.environment().put("LANG", "ru_RU.UTF-8");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void showOfAnUnknownIdSaysSo() {
        Cli r = Cli.run("show", "20991231T000000Z_nothing", "--store", store.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("no measurement", "20991231T000000Z_nothing", "blockwatch list");
    }
}
