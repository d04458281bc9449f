package org.blockwatch.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.blockwatch.core.http.PageCharset.Source;
import org.junit.jupiter.api.Test;

/** The page's charset as a browser finds it, on real bytes: windows-1251, KOI8-R, UTF-8. */
class PageCharsetTest {
    private static final Charset CP1251 = Charset.forName("windows-1251");
    private static final Charset KOI8R = Charset.forName("KOI8-R");
    private static final String TITLE = "Казахстан жаңалықтары: новости дня";
    private static final String RUSSIAN = "Новости Казахстана и мира сегодня";

    private static byte[] page(String head, String title, Charset in) {
        return ("<html><head>" + head + "<title>" + title + "</title></head><body><p>Последние события</p></body></html>").getBytes(in);
    }

    @Test
    void theHeadersCharsetComesFirst() {
        byte[] body = page("<meta charset=\"utf-8\">", RUSSIAN, CP1251);
        PageCharset c = PageCharset.of("text/html; charset=windows-1251", body);
        assertThat(c).isEqualTo(new PageCharset(CP1251, Source.HEADER));
        assertThat(HtmlTitle.extract(body, c)).isEqualTo(RUSSIAN);
        assertThat(PageCharset.of("text/html; Charset=\"KOI8-R\"", page("", RUSSIAN, KOI8R)).charset()).isEqualTo(KOI8R);
        assertThat(PageCharset.of("text/html; charset=cp1251", body).charset()).isEqualTo(CP1251);
    }

    @Test
    void anUnknownHeaderCharsetFallsThroughToTheMetaTag() {
        byte[] body = page("<meta charset='koi8-r'>", RUSSIAN, KOI8R);
        assertThat(PageCharset.of("text/html; charset=no-such-charset", body)).isEqualTo(new PageCharset(KOI8R, Source.META));
    }

    @Test
    void theMetaTagsCharsetInTheFirst1024Bytes() {
        byte[] meta = page("<meta charset=windows-1251>", RUSSIAN, CP1251);
        assertThat(PageCharset.of("text/html", meta)).isEqualTo(new PageCharset(CP1251, Source.META));
        assertThat(HtmlTitle.extract(meta, PageCharset.of("text/html", meta))).isEqualTo(RUSSIAN);

        byte[] httpEquiv = page("<!-- <meta charset=\"utf-8\"> --><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">", RUSSIAN, KOI8R);
        assertThat(PageCharset.of(null, httpEquiv)).isEqualTo(new PageCharset(KOI8R, Source.META));
        assertThat(HtmlTitle.extract(httpEquiv, PageCharset.of(null, httpEquiv))).isEqualTo(RUSSIAN);

        // A content attribute without http-equiv names no charset; a meta tag past the first 1024 bytes is not read.
        assertThat(PageCharset.prescan("<meta name=x content=\"charset=koi8-r\">".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        byte[] late = ("<html>" + " ".repeat(1100) + "<meta charset=koi8-r>").getBytes(StandardCharsets.US_ASCII);
        assertThat(PageCharset.prescan(late)).isEmpty();
    }

    @Test
    void latin1LabelsAreWindows1252AsInABrowserAndUtf16InAMetaTagIsUtf8() {
        assertThat(PageCharset.of("text/html; charset=iso-8859-1", new byte[0]).charset().name()).isEqualTo("windows-1252");
        assertThat(PageCharset.of(null, "<meta charset=utf-16>".getBytes(StandardCharsets.US_ASCII)).charset()).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void withoutADeclarationTheBytesAreSniffed() {
        byte[] cp1251 = page("", RUSSIAN, CP1251);
        assertThat(PageCharset.of("text/html", cp1251)).isEqualTo(new PageCharset(CP1251, Source.SNIFF));
        assertThat(HtmlTitle.extract(cp1251)).isEqualTo(RUSSIAN);

        byte[] koi8 = page("", RUSSIAN, KOI8R);
        assertThat(PageCharset.of("text/html", koi8)).isEqualTo(new PageCharset(KOI8R, Source.SNIFF));
        assertThat(HtmlTitle.extract(koi8)).isEqualTo(RUSSIAN);

        byte[] utf8 = page("", TITLE, StandardCharsets.UTF_8);
        assertThat(PageCharset.of(null, utf8)).isEqualTo(new PageCharset(StandardCharsets.UTF_8, Source.SNIFF));
        assertThat(HtmlTitle.extract(utf8)).isEqualTo(TITLE);
        // Cut at the probe's body limit in the middle of a letter, it is still UTF-8.
        byte[] cut = java.util.Arrays.copyOf(utf8, indexOfSecondByteOfALetter(utf8));
        assertThat(PageCharset.sniff(cut)).isEqualTo(StandardCharsets.UTF_8);
    }

    /** The offset of the second byte of the last two-byte letter of the page. */
    private static int indexOfSecondByteOfALetter(byte[] utf8) {
        for (int i = utf8.length - 1; i > 0; i--) if ((utf8[i] & 0xE0) == 0xC0) return i + 1;
        throw new AssertionError("no two-byte letter");
    }

    @Test
    void latinTextWithAFewAccentsIsNotTakenForCyrillicAndAsciiSaysNothing() {
        byte[] french = "<title>Caf\u00e9 de la gare, d\u00e9j\u00e0 ouvert</title>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(PageCharset.of(null, french)).isEqualTo(new PageCharset(PageCharset.DEFAULT, Source.DEFAULT));
        assertThat(HtmlTitle.extract(french)).isEqualTo("Caf\u00e9 de la gare, d\u00e9j\u00e0 ouvert");
        assertThat(PageCharset.of(null, "<title>plain</title>".getBytes(StandardCharsets.US_ASCII)).source()).isEqualTo(Source.DEFAULT);
    }

    @Test
    void aByteOrderMarkWinsAndIsNotPartOfTheText() {
        byte[] body = ("\uFEFF<title>" + RUSSIAN + "</title>").getBytes(StandardCharsets.UTF_8);
        PageCharset c = PageCharset.of("text/html; charset=windows-1251", body);
        assertThat(c).isEqualTo(new PageCharset(StandardCharsets.UTF_8, Source.BOM));
        assertThat(c.decode(body)).startsWith("<title>");
    }
}
