package org.blockwatch.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetUrlTest {
    @Test
    void idnHostsBecomeAsciiInAnyLetterCase() {
        assertThat(TargetUrl.parse("https://яндекс.рф/").host()).isEqualTo("xn--d1acpjx3f.xn--p1ai");
        assertThat(TargetUrl.parse("https://ЯНДЕКС.РФ/").host()).isEqualTo("xn--d1acpjx3f.xn--p1ai");
        assertThat(TargetUrl.parse("HTTPS://Azattyq.ORG/path").host()).isEqualTo("azattyq.org");
    }

    @Test
    void keepsTheInputAndTheExplicitPort() {
        TargetUrl t = TargetUrl.parse("http://news.test:8080/a?b=c");
        assertThat(t.input()).isEqualTo("http://news.test:8080/a?b=c");
        assertThat(t.url().port()).isEqualTo(8080);
        assertThat(t.https()).isFalse();
        assertThat(TargetUrl.parse("https://news.test/").url().port()).isEqualTo(443);
    }

    @Test
    void rejectsWhatCannotBeMeasuredNamingIt() {
        assertThatThrownBy(() -> TargetUrl.parse("ftp://files.test/")).hasMessageContaining("ftp");
        assertThatThrownBy(() -> TargetUrl.parse("news.test")).hasMessageContaining("news.test");
        assertThatThrownBy(() -> TargetUrl.parse("http://news.test:99999/")).hasMessageContaining("news.test:99999");
        assertThatThrownBy(() -> TargetUrl.parse(" ")).hasMessageContaining("empty");
    }
}
