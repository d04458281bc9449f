package org.blockwatch.core.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.archival.HttpBody;
import org.blockwatch.core.archival.HttpHeaders;
import org.blockwatch.core.archival.HttpTransaction;
import org.junit.jupiter.api.Test;

/** The title comparison of a page that is not in UTF-8, against both kinds of helper. */
class TitleCharsetTest {
    private static final Charset CP1251 = Charset.forName("windows-1251");
    private static final String TITLE = "Новости Казахстана";

    private static HttpTransaction.Response page(String title, String charset) {
        return new HttpTransaction.Response(200, new HttpHeaders(List.of()), new HttpBody(new byte[] {1}), false, title, charset);
    }

    @Test
    void goReadsEachByteThatIsNotUtf8AsOneReplacementCharacter() {
        assertThat(GoUtf8.decode(new byte[] {(byte) 0xE0, (byte) 0xA0, 'A'})).isEqualTo("\uFFFD\uFFFDA");
        assertThat(GoUtf8.decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).as("a surrogate").isEqualTo("\uFFFD\uFFFD\uFFFD");
        assertThat(GoUtf8.decode(new byte[] {(byte) 0xC0, (byte) 0x80})).as("overlong").isEqualTo("\uFFFD\uFFFD");
        assertThat(GoUtf8.decode("Қазақ ✓ \uD83D\uDE00".getBytes(StandardCharsets.UTF_8))).isEqualTo("Қазақ ✓ \uD83D\uDE00");
        assertThat(GoUtf8.decode(TITLE.getBytes(CP1251))).isEqualTo("\uFFFD".repeat(7) + " " + "\uFFFD".repeat(10));
    }

    @Test
    void aDecodedTitleMatchesBlockwatchsHelperAndOonisRawBytes() {
        assertThat(HttpComparison.titleMatch(TITLE, "windows-1251", TITLE)).isTrue();
        String ooni = GoUtf8.decode(TITLE.getBytes(CP1251));
        assertThat(HttpComparison.titleMatch(TITLE, "windows-1251", ooni)).as("OONI's helper's view").isTrue();
        // Another page whose title has as many letters is no match, whatever the helper.
        assertThat(HttpComparison.titleMatch("Доступ ограничен", "windows-1251", TITLE)).isFalse();
        assertThat(HttpComparison.titleMatch("Доступ ограничен", "windows-1251", ooni)).isFalse();
        // A UTF-8 page is never compared by its bytes: a helper's U+FFFD is then a difference.
        assertThat(HttpComparison.titleMatch(TITLE, "UTF-8", ooni)).isFalse();
    }

    @Test
    void aUtf8PageWhoseHeaderSaysLatin1StillMatchesOonisHelper() {
        // The probe reads it as the header says (as a browser does); OONI's helper takes the bytes as UTF-8.
        String asWindows1252 = new String("Café Zürich".getBytes(StandardCharsets.UTF_8), Charset.forName("windows-1252"));
        assertThat(HttpComparison.titleMatch(asWindows1252, "windows-1252", "Café Zürich")).isTrue();
        assertThat(HttpComparison.titleMatch(asWindows1252, "windows-1252", "Another Zürich")).isFalse();
    }

    @Test
    void theComparisonUsesTheResponsesCharset() {
        var control = new org.blockwatch.core.control.wire.ControlResponse.HttpRequest(1, null, GoUtf8.decode(TITLE.getBytes(CP1251)), Map.of(), 200);
        assertThat(HttpComparison.compare(page(TITLE, "windows-1251"), control).titleMatch()).isTrue();
        assertThat(HttpComparison.compare(page(TITLE, null), control).titleMatch()).as("charset unknown").isFalse();
    }
}
