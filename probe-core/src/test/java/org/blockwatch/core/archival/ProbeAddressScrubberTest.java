package org.blockwatch.core.archival;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressScrubberTest {
    private static ProbeAddressScrubber of(String... addresses) throws Exception {
        List<InetAddress> list = new java.util.ArrayList<>();
        for (String a : addresses) list.add(InetAddress.getByName(a));
        return ProbeAddressScrubber.of(list);
    }

    @Test
    void theProbesAddressIsReplacedWhereverAServerEchoesIt() throws Exception {
        String body = "{\"body\":\"<title>Your IP: 203.0.113.7</title>\",\"headers\":{\"X-Client\":\"203.0.113.7\","
                + "\"Set-Cookie\":\"ip=203.0.113.7; Path=/\",\"Location\":\"http://x.example/?from=203.0.113.7&to=203.0.113.70\"}}";
        ProbeAddressScrubber.Scrubbed s = of("203.0.113.7").scrub(body);
        assertThat(s.replaced()).isEqualTo(4);
        assertThat(s.text()).doesNotContain("203.0.113.7\"").doesNotContain("203.0.113.7;").contains("to=203.0.113.70")
                .contains("Your IP: [scrubbed]");
    }

    @Test
    void anAddressInsideALongerNumberIsNotTouched() throws Exception {
        assertThat(of("10.0.0.5").scrub("10.0.0.50 110.0.0.5 10.0.0.5.1 v10.0.0.5").text()).isEqualTo("10.0.0.50 110.0.0.5 10.0.0.5.1 v[scrubbed]");
    }

    @Test
    void ipv6InItsFullAndCompressedFormsAnyCase() throws Exception {
        ProbeAddressScrubber s = of("2001:db8::7");
        assertThat(s.scrub("a 2001:db8::7 b 2001:DB8:0:0:0:0:0:7 c [2001:db8::7]:443 d 2001:db8::70").text())
                .isEqualTo("a [scrubbed] b [scrubbed] c [[scrubbed]]:443 d 2001:db8::70");
        assertThat(ProbeAddressScrubber.compressed(InetAddress.getByName("2001:db8:0:1:0:0:0:1").getAddress())).isEqualTo("2001:db8:0:1::1");
        assertThat(ProbeAddressScrubber.compressed(InetAddress.getByName("2001:db8:1:1:1:1:1:1").getAddress())).isEqualTo("2001:db8:1:1:1:1:1:1");
    }

    @Test
    void loopbackIsNotTheProbesToHide() throws Exception {
        assertThat(of("127.0.0.1", "::1").scrub("\"probe_ip\":\"127.0.0.1\"").replaced()).isZero();
        assertThat(ProbeAddressScrubber.ofThisMachineAnd(List.of()).scrub("127.0.0.1").text()).isEqualTo("127.0.0.1");
    }

    /**
     * Issue 29, finding 11: each address in its non-canonical and embedded forms. (The inputs that
     * found it: every one was kept in a document before.)
     */
    static final String[][] FORMS_OF_192_0_2_2 = {
            {"rDNS: 2.2.0.192.in-addr.arpa", "rDNS: [scrubbed].in-addr.arpa"},
            {"PTR 2.2.0.192.IN-ADDR.ARPA.", "PTR [scrubbed].IN-ADDR.ARPA."},
            {"host 192-0-2-2.dyn.example.kz", "host [scrubbed].dyn.example.kz"},
            {"host ip-192-0-2-2.example", "host ip-[scrubbed].example"},
            {"padded 192.000.002.002", "padded [scrubbed]"},
            {"padded 192.0.02.2/24", "padded [scrubbed]/24"},
            {"octal 0300.0.02.02", "octal [scrubbed]"},
            {"hex 0xc0.0x0.0x2.0x2", "hex [scrubbed]"},
            // 192 * 2^24 + 2 * 2^8 + 2 (the issue's 3221226018 is 192.0.2.34's)
            {"integer 3221225986", "integer [scrubbed]"},
            {"http://3221225986/", "http://[scrubbed]/"},
            {"hex 0xC0000202", "hex [scrubbed]"},
            {"mapped ::ffff:192.0.2.2", "mapped [scrubbed]"},
            {"mapped ::ffff:c000:202", "mapped [scrubbed]"},
            {"mapped [::FFFF:C000:0202]:443", "mapped [[scrubbed]]:443"},
            {"mapped 0:0:0:0:0:ffff:c000:202", "mapped [scrubbed]"},
            {"nat64 64:ff9b::c000:202", "nat64 [scrubbed]"},
            {"nat64 64:ff9b::192.0.2.2.", "nat64 [scrubbed]."},
            // found by ScrubberFuzzTest: letters run into the address
            {"cya2.2.0.192.in-addr.arpa", "cya[scrubbed].in-addr.arpa"},
            {"a3221225986", "a[scrubbed]"},
            {"64:ff9b::c000:202cc", "[scrubbed]cc"},
    };
    static final String[][] FORMS_OF_FD00__2 = {
            {"zeros fd00::0:2", "zeros [scrubbed]"},
            {"zeros fd00:0:0:0:0:0:0:2", "zeros [scrubbed]"},
            {"zeros FD00:0000:0000::0002", "zeros [scrubbed]"},
            {"ip=fd00::2;", "ip=[scrubbed];"},
            {"addr:fd00::0:2 end", "addr:[scrubbed] end"},
            {"[fd00::0:2]:443", "[[scrubbed]]:443"},
            {"aFD00:0::2", "a[scrubbed]"},
            {"fd00::2abcde", "[scrubbed]abcde"},
            {"2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa", "[scrubbed].ip6.arpa"},
    };
    /** Near misses: other addresses and numbers, untouched. */
    static final String[] NOT_THE_PROBES = {
            "192.0.2.20", "192.0.2.21", "1192.0.2.2", "192.0.2.2.5", "3221225987", "32212259860", "3221226018", "22.2.0.192.in-addr.arpa",
            "192-0-2-22.example", "fd00::0:20", "fd00::2:0", "::ffff:c000:203", "12:30:45", "fd00::1", "0xc0000203"};

    @Test
    void nonCanonicalAndEmbeddedFormsOfEachAddressAreScrubbed() throws Exception {
        ProbeAddressScrubber s = of("192.0.2.2", "fd00::2");
        for (String[][] table : new String[][][] {FORMS_OF_192_0_2_2, FORMS_OF_FD00__2}) {
            for (String[] c : table) assertThat(s.scrub(c[0]).text()).as(c[0]).isEqualTo(c[1]);
        }
        for (String near : NOT_THE_PROBES) assertThat(s.scrub(near).text()).as(near).isEqualTo(near);
    }

    /**
     * Issue 29, finding 11: a body that is not UTF-8 (kept as base64) is scrubbed decoded, in its
     * charset, and every other byte stays as it was.
     */
    @Test
    void aBodyThatIsNotUtf8IsScrubbedInItsCharset() throws Exception {
        ProbeAddressScrubber s = of("192.0.2.2", "fd00::2");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.nio.charset.Charset cp1251 = java.nio.charset.Charset.forName("windows-1251");
        String[][] bodies = {
                {"windows-1251", "Ваш IP-адрес: 192.0.2.2 (fd00::0:2)"},
                {"ISO-8859-1", "Votre adresse IP : 192.0.2.2 - très bien"},
                {"KOI8-R", "Ваш адрес 192-0-2-2.dyn.example.kz"},
                {"UTF-16LE", "Your address: 192.0.2.2"},
                {"UTF-16BE", "Your address: fd00::2"},
                {"UTF-16", "Ваш IP: 192.0.2.2"},
                {"Shift_JIS", "あなたのIPアドレス: 192.0.2.2"},
                {"IBM037", "your address 192.0.2.2"},
        };
        for (String[] b : bodies) {
            java.nio.charset.Charset charset = java.nio.charset.Charset.forName(b[0]);
            byte[] bytes = b[1].getBytes(charset);
            String doc = "{\"response\":{\"headers\":{\"Content-Type\":\"text/html; charset=" + b[0] + "\"},\"body\":{\"format\":\"base64\",\"data\":\""
                    + java.util.Base64.getEncoder().encodeToString(bytes) + "\"}}}";
            com.fasterxml.jackson.databind.JsonNode tree = json.readTree(doc);
            assertThat(s.scrub(tree)).as(b[0]).isPositive();
            byte[] after = java.util.Base64.getDecoder().decode(tree.path("response").path("body").path("data").asText());
            String text = new String(after, charset);
            assertThat(text).as(b[0]).doesNotContain("192.0.2.2").doesNotContain("192-0-2-2").doesNotContain("fd00::").contains("[scrubbed]");
            // Every other byte as it was.
            String expected = b[1].replace("192.0.2.2", "[scrubbed]").replace("192-0-2-2", "[scrubbed]").replace("fd00::0:2", "[scrubbed]")
                    .replace("fd00::2", "[scrubbed]");
            assertThat(text).as(b[0]).isEqualTo(expected);
        }
        // Undeclared: windows-1251 bytes with no charset said, and UTF-16 without a byte order mark.
        for (byte[] bytes : List.of("Ваш IP-адрес: 192.0.2.2".getBytes(cp1251), "IP: 192.0.2.2".getBytes(java.nio.charset.StandardCharsets.UTF_16LE),
                "xIP: 192.0.2.2".getBytes(java.nio.charset.StandardCharsets.UTF_16BE))) {
            com.fasterxml.jackson.databind.JsonNode tree = json.readTree("{\"body\":{\"format\":\"base64\",\"data\":\""
                    + java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, 1, bytes.length)) + "\"}}");
            assertThat(s.scrub(tree)).isEqualTo(1);
        }
    }

    /** Through the one place a body becomes a document's text: HttpBody's archival form, then the tree's scrub. */
    @Test
    void anHttpBodyThatIsNotUtf8IsScrubbedInTheDocument() throws Exception {
        ProbeAddressScrubber s = of("192.0.2.2");
        byte[] latin1 = "Adresse : 192.0.2.2 ÿ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        com.fasterxml.jackson.databind.node.ObjectNode doc = MeasurementJson.mapper().createObjectNode();
        doc.set("body", MeasurementJson.mapper().valueToTree(new HttpBody(latin1)));
        assertThat(doc.path("body").path("format").asText()).isEqualTo("base64");
        assertThat(s.scrub(doc)).isEqualTo(1);
        assertThat(new String(java.util.Base64.getDecoder().decode(doc.path("body").path("data").asText()), java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("Adresse : [scrubbed] ÿ");
    }
}
