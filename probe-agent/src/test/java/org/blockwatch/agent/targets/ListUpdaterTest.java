package org.blockwatch.agent.targets;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lists fetched from a local server standing in for Citizen Lab's: taken when sound, refused otherwise, the old ones kept. */
class ListUpdaterTest {
    private static final Path REAL = Path.of("src/test/resources/citizenlab-test-lists");
    @TempDir
    Path dir;
    private HttpServer server;
    private final Map<String, byte[]> pages = new ConcurrentHashMap<>();
    private String base;
    private final ListUpdater updater = new ListUpdater(HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build(), Duration.ofSeconds(10));

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            try (x) {
                byte[] page = pages.get(x.getRequestURI().getPath());
                x.sendResponseHeaders(page == null ? 404 : 200, page == null ? -1 : page.length);
                if (page != null) x.getResponseBody().write(page);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/lists/";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aSoundListIsPutInPlaceAndTheAgentsBuiltInNameFindsIt() throws Exception {
        pages.put("/lists/kz.csv", Files.readAllBytes(REAL.resolve("kz.csv")));
        ListUpdater.Outcome o = updater.update(base, "kz", dir);
        assertThat(o.updated()).as(o.message()).isTrue();
        assertThat(o.targets()).isEqualTo(553);
        TargetList loaded = TargetListLoader.loadOne("builtin:citizenlab-kz", dir);
        assertThat(loaded.targets()).hasSize(553);
        // A newer list with one more row: the agent's name now gives it.
        String kz = Files.readString(REAL.resolve("kz.csv"));
        String more = (kz.endsWith("\n") ? kz : kz + "\n") + "https://new-site.example/,NEWS,News Media,2026-12-01,citizenlab,\n";
        pages.put("/lists/kz.csv", more.getBytes(StandardCharsets.UTF_8));
        assertThat(updater.update(base, "kz", dir).updated()).isTrue();
        assertThat(TargetListLoader.load(List.of("builtin:citizenlab-kz"), List.of(), dir).targets()).extracting(Target::label)
                .contains("https://new-site.example/");
    }

    @Test
    void anythingButASoundListLeavesTheOldOneInPlace() throws Exception {
        pages.put("/lists/kz.csv", Files.readAllBytes(REAL.resolve("kz.csv")));
        assertThat(updater.update(base, "kz", dir).updated()).isTrue();
        byte[] before = Files.readAllBytes(dir.resolve("citizenlab-kz.csv"));
        Map<String, byte[]> bad = Map.of(
                "an HTML error page", "<html><body>Rate limited</body></html>".getBytes(StandardCharsets.UTF_8),
                "not UTF-8", new byte[] {'u', 'r', 'l', '\n', (byte) 0xff, (byte) 0xfe},
                "mostly bad rows", ("url,category_code,category_description,date_added,source,notes\n" + "not a url,NEWS,,,,\n".repeat(50)
                        + "https://one.example/,NEWS,News,2024-01-01,x,\n").getBytes(StandardCharsets.UTF_8),
                "a header alone", "url,category_code,category_description,date_added,source,notes\n".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            pages.put("/lists/kz.csv", e.getValue());
            ListUpdater.Outcome o = updater.update(base, "kz", dir);
            assertThat(o.updated()).as(e.getKey()).isFalse();
            assertThat(o.message()).as(e.getKey()).endsWith("the list in place is kept");
            assertThat(Files.readAllBytes(dir.resolve("citizenlab-kz.csv"))).as(e.getKey()).isEqualTo(before);
        }
        pages.remove("/lists/kz.csv");
        assertThat(updater.update(base, "kz", dir).message()).contains("HTTP 404");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("citizenlab-kz.csv"); // no temporary file left
        }
    }
}
