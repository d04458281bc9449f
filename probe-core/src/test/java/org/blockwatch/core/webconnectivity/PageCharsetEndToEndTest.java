package org.blockwatch.core.webconnectivity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.wire.ControlProtocol;
import org.blockwatch.core.control.wire.ControlRequest;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.dns.LoopbackDnsServer;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;
import org.blockwatch.core.verdict.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 32: a page's title is read in the page's own charset (the Content-Type header's, then a
 * meta tag's, then a sniff), with real bytes in windows-1251, KOI8-R and UTF-8 served on loopback
 * and fetched through the engine; and the title comparison with the control agrees whether the
 * helper decoded the title as blockwatch's own helper does (in the page's charset) or sent its
 * raw bytes as UTF-8, as OONI's helpers do (U+FFFD for each byte that is not UTF-8).
 */
class PageCharsetEndToEndTest {
    private static final Analyzer ANALYZER = Analyzer.standard(Bogons.DEFAULT);
    private static final Charset CP1251 = Charset.forName("windows-1251");
    private static final Charset KOI8R = Charset.forName("KOI8-R");
    private static final String TITLE = "Новости Казахстана сегодня";
    private static final String TEXT = "<p>" + "Главные новости страны и мира, последние события дня. ".repeat(20) + "</p>";

    private static LoopbackWebWorld world;

    /** One page: the header's Content-Type, the meta tag (or none), the charset its bytes are in. */
    private record Page(String contentType, String meta, Charset bytesIn) {
        byte[] bytes() {
            return ("<html><head>" + meta + "<title>" + TITLE + "</title></head><body>" + TEXT + "</body></html>").getBytes(bytesIn);
        }

        /** The title as OONI's helpers send it: its bytes taken as UTF-8 (Java's reading of them, independent of the code under test). */
        String titleAsOoniHelperSendsIt() {
            return new String(TITLE.getBytes(bytesIn), StandardCharsets.UTF_8);
        }
    }

    private static final Map<String, Page> PAGES = Map.of(
            "/cp1251-header", new Page("text/html; charset=windows-1251", "", CP1251),
            "/cp1251-header-quoted", new Page("text/html; Charset=\"CP1251\"", "<meta charset=\"utf-8\">", CP1251),
            "/koi8-header", new Page("text/html;charset=koi8-r", "", KOI8R),
            "/cp1251-meta-charset", new Page("text/html", "<meta charset=\"windows-1251\">", CP1251),
            "/koi8-meta-http-equiv", new Page("text/html", "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=KOI8-R\">", KOI8R),
            "/cp1251-sniffed", new Page("text/html", "", CP1251),
            "/koi8-sniffed", new Page("text/html", "", KOI8R),
            "/utf8-sniffed", new Page("text/html", "", StandardCharsets.UTF_8),
            "/utf8-header", new Page("text/html; charset=utf-8", "", StandardCharsets.UTF_8));

    @BeforeAll
    static void start() throws Exception {
        Map<String, LoopbackWebWorld.Page> served = new java.util.HashMap<>();
        PAGES.forEach((path, p) -> served.put(path, new LoopbackWebWorld.Page(p.contentType(), p.bytes())));
        world = new LoopbackWebWorld(served, Map.of("site.test", "127.0.0.1"), url -> {
            Page page = PAGES.get(url.encodedPath());
            // ?helper=ooni: the helper sends the title as OONI's do; otherwise as blockwatch's own, decoded.
            String title = "ooni".equals(url.queryParameter("helper")) ? page.titleAsOoniHelperSendsIt() : TITLE;
            return world.pageAtTheSite(page.bytes().length, title, Map.of("Content-Type", page.contentType()));
        });
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
    }

    private static WebMeasurement measure(String path, String helperKind) {
        return world.measure("site.test", path + "?helper=" + helperKind, null);
    }

    @ParameterizedTest(name = "{0}, a helper sending the title as {1} does")
    @CsvSource({
        "/cp1251-header, blockwatch", "/cp1251-header, ooni",
        "/cp1251-header-quoted, blockwatch",
        "/koi8-header, blockwatch", "/koi8-header, ooni",
        "/cp1251-meta-charset, blockwatch", "/cp1251-meta-charset, ooni",
        "/koi8-meta-http-equiv, blockwatch",
        "/cp1251-sniffed, blockwatch", "/cp1251-sniffed, ooni",
        "/koi8-sniffed, blockwatch", "/koi8-sniffed, ooni",
        "/utf8-sniffed, blockwatch", "/utf8-header, ooni"})
    void theTitleIsReadInThePagesCharsetAndMatchesTheControls(String path, String helperKind) {
        WebMeasurement m = measure(path, helperKind);
        HttpTransaction.Response page = m.observation().finalRequest().response();
        assertThat(page.title()).isEqualTo(TITLE);
        assertThat(m.analysis().http().titleMatch()).as("title_match").isTrue();
        assertThat(m.verdict().status()).as(m.verdict().explanation()).isEqualTo(Verdict.Status.ACCESSIBLE);
        // The body stays as read: the same bytes in the record, a base64 object when they are not UTF-8.
        assertThat(page.body().bytes()).isEqualTo(PAGES.get(path).bytes());
    }
}
