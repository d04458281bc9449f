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
import org.junit.jupiter.api.Timeout;
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

    /**
     * Issue 29, finding 6: an answer of 1 GB is refused while it is read, at 20 MB, not after: the
     * connection is dropped there and the server's writes fail long before its body ends.
     */
    @Test
    @Timeout(120)
    void aHugeAnswerIsCutAtTheLimitNotReadWhole() throws Exception {
        long declared = 1L << 30, sends = 256L << 20;
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = raw.accept()) {
                    org.blockwatch.sim.RawHttp.readRequest(s.getInputStream());
                    var out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] row = "https://big.example/,NEWS,News Media,2024-01-01,x,\n".getBytes(StandardCharsets.US_ASCII);
                    byte[] chunk = new byte[row.length * 1024];
                    for (int i = 0; i < 1024; i++) System.arraycopy(row, 0, chunk, i * row.length, row.length);
                    // 256 MiB, then the connection is closed early (what a 1 GB answer starts as).
                    while (written.get() < sends) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (java.io.IOException e) {
                    // the updater hung up: expected
                }
            });
            ListUpdater.Outcome o = updater.update("http://127.0.0.1:" + raw.getLocalPort() + "/lists/", "kz", dir);
            assertThat(o.updated()).isFalse();
            assertThat(o.message()).contains("larger than");
            answering.join();
            assertThat(written.get()).as("the updater stopped reading at the limit").isLessThan(sends);
            assertThat(dir.resolve("citizenlab-kz.csv")).doesNotExist();
        }
    }

    /** Issue 29, finding 6: a body that trickles (a byte, then nothing) is given up at the deadline; the old list stays. */
    @Test
    @Timeout(120)
    void aTricklingAnswerIsGivenUpAtTheDeadline() throws Exception {
        pages.put("/lists/kz.csv", Files.readAllBytes(REAL.resolve("kz.csv")));
        assertThat(updater.update(base, "kz", dir).updated()).isTrue();
        byte[] before = Files.readAllBytes(dir.resolve("citizenlab-kz.csv"));
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = raw.accept()) {
                    org.blockwatch.sim.RawHttp.readRequest(s.getInputStream());
                    var out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nu".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    done.await(); // the rest never comes while the test runs
                } catch (java.io.IOException | InterruptedException e) {
                    // closed
                }
            });
            try {
                ListUpdater quick = new ListUpdater(HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build(), Duration.ofSeconds(1));
                ListUpdater.Outcome o = quick.update("http://127.0.0.1:" + raw.getLocalPort() + "/lists/", "kz", dir);
                assertThat(o.updated()).isFalse();
                assertThat(o.message()).contains("kept");
                assertThat(Files.readAllBytes(dir.resolve("citizenlab-kz.csv"))).isEqualTo(before);
            } finally {
                done.countDown();
            }
        }
    }
}
