package org.blockwatch.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.blockwatch.core.archival.HttpHeaders;
import org.junit.jupiter.api.Test;

class FingerprintSetTest {
    private static final FingerprintSet SET = FingerprintSet.bundled();

    private static List<String> body(String html) {
        return SET.matchBody(html.getBytes(StandardCharsets.UTF_8)).stream().map(Fingerprint::name).toList();
    }

    @Test
    void loadsTheWholeBundledSet() {
        assertThat(SET.size()).isEqualTo(1729 + 226);
    }

    @Test
    void bodyContainsPatternsMatchAnywhere() {
        assertThat(body("<html><p class=\"error\">Access to the requested website has been blocked by judicial decision!</p></html>"))
                .contains("cp.c_isp_kg_elcat");
        assertThat(body("<html><body>an ordinary page about the news</body></html>")).isEmpty();
    }

    @Test
    void prefixAndFullPatternsAreAnchored() {
        assertThat(body("<HTML></HTML>")).contains(firstFullBody());
        assertThat(body("x<HTML></HTML>")).doesNotContain(firstFullBody());
    }

    private static String firstFullBody() {
        return FingerprintSet.read("fingerprints_http.csv").stream()
                .filter(f -> f.location().equals("body") && f.type().equals("full")).findFirst().orElseThrow().name();
    }

    @Test
    void regexpsWrittenForPythonCompileAndMatch() {
        assertThat(body("{\"msg\": \"x\", \"id\": 3}")).isNotEmpty();
        assertThat(FingerprintSet.compile("{\"msg\":.*\"id\":").matcher("{\"msg\":1,\"id\":2}").find()).isTrue();
        assertThat(FingerprintSet.compile("a{2}").matcher("aa").matches()).isTrue();
    }

    @Test
    void headerPatternsMatchByNameAndType() {
        HttpHeaders kg = new HttpHeaders(List.of(List.of("Location", "http://homeline.kg/access/blockpage.html")));
        assertThat(SET.matchHeaders(kg)).extracting(Fingerprint::name).contains("ooni.kg_0");
        HttpHeaders uz = new HttpHeaders(List.of(List.of("location", "http://reestr.mitc.uz/some/page")));
        assertThat(SET.matchHeaders(uz)).extracting(Fingerprint::name).contains("ooni.uz_0");
        HttpHeaders notFull = new HttpHeaders(List.of(List.of("Location", "http://homeline.kg/access/blockpage.html?x=1")));
        assertThat(SET.matchHeaders(notFull)).extracting(Fingerprint::name).doesNotContain("ooni.kg_0");
        HttpHeaders otherHeader = new HttpHeaders(List.of(List.of("X-Other", "http://homeline.kg/access/blockpage.html")));
        assertThat(SET.matchHeaders(otherHeader)).isEmpty();
    }

    @Test
    void dnsFingerprintsAreExactAnswers() {
        assertThat(SET.matchDns("134.17.0.7")).extracting(Fingerprint::name).contains("ooni.by_4");
        assertThat(SET.matchDns("134.17.0.8")).isEmpty();
        assertThat(SET.matchDns("Internet-Positif.org.")).extracting(Fingerprint::name).contains("ooni.id_44");
    }

    @Test
    void scopesWeighDifferently() {
        assertThat(new Fingerprint("a", "nat", "body", "contains", "x", 5).weight()).isEqualTo(Fingerprint.Weight.BLOCKPAGE);
        assertThat(new Fingerprint("a", "vbw", "body", "contains", "x", 5).weight()).isEqualTo(Fingerprint.Weight.VAGUE);
        assertThat(new Fingerprint("a", "fp", "body", "contains", "Ray ID:", 5).weight()).isEqualTo(Fingerprint.Weight.FALSE_POSITIVE);
    }
}
