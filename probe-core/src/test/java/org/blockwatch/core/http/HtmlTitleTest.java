package org.blockwatch.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HtmlTitleTest {
    private static String title(String html) {
        return HtmlTitle.extract(html.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsTheFirstTitleInAnyCaseWithAttributes() {
        assertThat(title("<html><HEAD><Title lang=\"kk\">Азаттық   Радиосы\n</TITLE>")).isEqualTo("Азаттық Радиосы");
        assertThat(title("<title>one</title><title>two</title>")).isEqualTo("one");
    }

    @Test
    void noTitleIsNull() {
        assertThat(title("<html><body>no title</body></html>")).isNull();
        assertThat(title("<title>   </title>")).isNull();
        assertThat(HtmlTitle.extract(new byte[] {(byte) 0xff, (byte) 0xfe, 0})).isNull();
    }
}
