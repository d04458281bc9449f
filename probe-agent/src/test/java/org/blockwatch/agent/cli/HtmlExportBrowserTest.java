package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.blockwatch.agent.store.MeasurementStore;
import org.blockwatch.agent.store.StoredMeasurement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/** The HTML export opens offline in a real headless Chromium, and its charts are drawn. */
class HtmlExportBrowserTest {
    private static final Instant T0 = Instant.parse("2026-01-05T06:00:00Z");

    @TempDir
    Path tmp;

    private static Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) return Path.of(candidate);
        }
        if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs Debian's chromium for the HTML export test (.ci/run installs it)");
        Assumptions.abort("no chromium on this machine (apt-get install chromium)");
        return null;
    }

    private static int pixels(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) n++;
            }
        }
        return n;
    }

    @Test
    void theTimelineChartIsDrawnInAHeadlessBrowser() throws Exception {
        Path browser = chromium();
        Path db = tmp.resolve("store.db");
        try (MeasurementStore s = MeasurementStore.open(db)) {
            String[] states = {"accessible", "accessible", "accessible", "blocked", "blocked", "blocked", "blocked"};
            for (int i = 0; i < states.length; i++) {
                String method = states[i].equals("blocked") ? "tls" : null;
                s.insert(new StoredMeasurement(T0.plus(Duration.ofMinutes(60L * i)), "https://news.example/<b>", "NEWS",
                        new ProbeInfo("AS9198", "KZ", "home", "blockwatch", "test"), Status.ofLabel(states[i]), Method.ofLabel(method), List.of(), "{}"));
            }
        }
        Path page = tmp.resolve("timeline.html");
        Cli r = Cli.run("export", "--db", db.toString(), "--format", "html", "--out", page.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String html = Files.readString(page);
        // Self-contained: nothing to fetch, nothing to run; the target's name is escaped.
        assertThat(html).doesNotContain("<script", "<link", "src=", "url(", "@import").contains("https://news.example/&lt;b&gt;");
        assertThat(html).contains("<title>blocked (tls): 4 measurements");

        Path shot = tmp.resolve("shot.png");
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + tmp.resolve("profile"), "--window-size=1100,500", "--screenshot=" + shot, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(Files.exists(shot)).as("screenshot; chromium said: %s", Files.readString(tmp.resolve("chromium.log"))).isTrue();
        BufferedImage image = ImageIO.read(shot.toFile());
        // Both bars are drawn in their state's colour: accessible (#2e7d32) and blocked (#c62828).
        assertThat(pixels(image, 0x2e7d32)).as("accessible pixels").isGreaterThan(1000);
        assertThat(pixels(image, 0xc62828)).as("blocked pixels").isGreaterThan(1000);
    }
}
