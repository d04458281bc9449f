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

    /** Where the screenshot and the PDF are kept for a person to look at (target/, beside the test reports). */
    private static final Path ARTIFACTS = Path.of("target", "html-export");

    private static Process chromium(Path browser, Path profile, Path log, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(false).redirectError(log.toFile()).start();
    }

    @Test
    void theTimelineChartIsDrawnInAHeadlessBrowser() throws Exception {
        Path browser = chromium();
        Path db = tmp.resolve("store.db");
        try (MeasurementStore s = MeasurementStore.open(db)) {
            String[] states = {"accessible", "accessible", "accessible", "blocked", "blocked", "blocked", "blocked"};
            for (String target : List.of("https://news.example/<b>", "https://other.example/")) {
                for (int i = 0; i < states.length; i++) {
                    String method = states[i].equals("blocked") ? "tls" : null;
                    List<String> flags = states[i].equals("blocked") ? List.of("tls_mitm_government_root") : List.of();
                    Instant at = T0.plus(Duration.ofMinutes(60L * i)).plusSeconds(target.contains("other") ? 30 : 0);
                    String uid = "uid-" + i + (target.contains("other") ? "-other" : "-news");
                    s.insert(new StoredMeasurement(at, "web_connectivity", target, "NEWS", new ProbeInfo("AS9198", "KZ", "JSC Kazakhtelecom", "blockwatch", "test"),
                            Status.ofLabel(states[i]), Method.ofLabel(method), flags, org.blockwatch.core.nettest.Speed.UNKNOWN, uid,
                            "{\"measurement_uid\":\"" + uid + "\"}"), false);
                }
            }
        }
        Path page = tmp.resolve("timeline.html");
        Cli r = Cli.run("export", "--db", db.toString(), "--format", "html", "--out", page.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String html = Files.readString(page);
        // Self-contained: nothing to fetch, nothing to run; the target's name is escaped.
        assertThat(html).doesNotContain("<script", "<link", "src=", "url(", "@import").contains("https://news.example/&lt;b&gt;");
        assertThat(html).contains("<title>blocked (tls): 4 measurements");
        // Method, flags and uids are text on the page, not only in a tooltip (title elements stripped).
        String visible = html.replaceAll("(?s)<title>.*?</title>", "");
        assertThat(visible).contains(">blocked · tls<", ">tls<", ">tls_mitm_government_root<", ">uid-3-news<br>uid-6-news<", "JSC Kazakhtelecom",
                "after 2026-01-05T08:00:00Z (accessible),</span><br><span class=\"nw\">at 2026-01-05T09:00:00Z");
        // Printed: A4 landscape, no lane cut across pages, colours kept.
        assertThat(html).contains("@page{size:A4 landscape", "break-inside:avoid", "print-color-adjust:exact");

        Files.createDirectories(ARTIFACTS);
        Path shot = ARTIFACTS.resolve("timeline.png");
        Files.deleteIfExists(shot);
        Process p = chromium(browser, tmp.resolve("profile"), tmp.resolve("chromium.log"), "--window-size=1100,700", "--screenshot=" + shot.toAbsolutePath(),
                page.toUri().toString());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(Files.exists(shot)).as("screenshot; chromium said: %s", Files.readString(tmp.resolve("chromium.log"))).isTrue();
        BufferedImage image = ImageIO.read(shot.toFile());
        // Both bars are drawn in their state's colour: accessible (#2e7d32) and blocked (#c62828).
        assertThat(pixels(image, 0x2e7d32)).as("accessible pixels").isGreaterThan(1000);
        assertThat(pixels(image, 0xc62828)).as("blocked pixels").isGreaterThan(1000);

        // The DOM as the browser built it: an axis with hour ticks, a lane per target, its rows as a table.
        Process dump = chromium(browser, tmp.resolve("profile-dom"), tmp.resolve("chromium-dom.log"), "--dump-dom", page.toUri().toString());
        String dom = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(dump.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(dom).contains("<svg class=\"axis\"");
        java.util.regex.Matcher ticks = java.util.regex.Pattern.compile("<g class=\"tick\">.*?<text[^>]*>([^<]+)</text>").matcher(dom);
        List<String> labels = new java.util.ArrayList<>();
        while (ticks.find()) labels.add(ticks.group(1));
        assertThat(labels).as("tick labels").contains("01-05 06:00", "07:00", "12:00");
        assertThat(dom.split("<tr class=\"lane\"", -1)).as("two lanes").hasSize(3);
        assertThat(dom).contains("<th>method</th>", "<th>flags</th>", "<th>changed between</th>");

        // Printed to PDF: produced, and its pages are A4 landscape (wider than tall: 842 x 595 points).
        Path pdf = ARTIFACTS.resolve("timeline.pdf");
        Files.deleteIfExists(pdf);
        Process print = chromium(browser, tmp.resolve("profile-pdf"), tmp.resolve("chromium-pdf.log"), "--no-pdf-header-footer",
                "--print-to-pdf=" + pdf.toAbsolutePath(), page.toUri().toString());
        assertThat(print.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(Files.exists(pdf)).as("PDF; chromium said: %s", Files.readString(tmp.resolve("chromium-pdf.log"))).isTrue();
        String pdfText = new String(Files.readAllBytes(pdf), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(pdfText).startsWith("%PDF-");
        java.util.regex.Matcher box = java.util.regex.Pattern.compile("/MediaBox\\s*\\[\\s*0\\s+0\\s+([\\d.]+)\\s+([\\d.]+)\\s*\\]").matcher(pdfText);
        assertThat(box.find()).as("a page size in the PDF").isTrue();
        assertThat(Double.parseDouble(box.group(1))).as("page width").isCloseTo(842, org.assertj.core.data.Offset.offset(2.0));
        assertThat(Double.parseDouble(box.group(2))).as("page height").isCloseTo(595, org.assertj.core.data.Offset.offset(2.0));
    }
}
