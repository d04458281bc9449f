package org.blockwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static Envelope read(String s) throws IOException {
        return Envelope.read(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theContentIsKeptAsSentWhateverComesAroundIt() throws IOException {
        String content = "{\"input\": \"https://новости.kz/\",\n \"test_keys\": {\"a\": [1, 2.50, null]}}";
        Envelope e = read("{\"x\": {\"nested\": [\"format\"]}, \"content\": " + content + ", \"format\": \"json\"}");
        assertThat(e.format()).isEqualTo("json");
        assertThat(e.contentText()).isEqualTo(content);
        assertThat(e.content().path("input").asText()).isEqualTo("https://новости.kz/");
    }

    @Test
    void theOutlineHoldsWhatTheChecksReadAndNotThePages() throws IOException {
        String content = "{\"measurement_uid\": \"u1\", \"annotations\": {\"category_code\": \"NEWS\"}, \"probe_ip\": \"127.0.0.1\","
                + " \"test_keys\": {\"requests\": [{\"response\": {\"body\": \"<html>a page</html>\"}}], \"x_verdict\": {\"status\": \"blocked\","
                + " \"flags\": [\"tls_mitm\"]}, \"queries\": {}}, \"extra\": [1, {\"a\": 2}]}";
        Envelope e = read("{\"format\": \"json\", \"content\": " + content + "}");
        assertThat(e.contentText()).isEqualTo(content);
        assertThat(e.content().toString()).isEqualTo("{\"measurement_uid\":\"u1\",\"annotations\":{\"category_code\":\"NEWS\"},"
                + "\"probe_ip\":\"127.0.0.1\",\"test_keys\":{\"x_verdict\":{\"status\":\"blocked\",\"flags\":[\"tls_mitm\"]}},\"extra\":[]}");
    }

    @Test
    void brokenJsonInsideTheSkippedPartsIsStillRefused() {
        for (String bad : new String[] {"{\"test_keys\": {\"requests\": [1, }}", "{\"extra\": {\"a\" 1}}", "{\"test_keys\": {\"b\": \"\\q\"}}"}) {
            assertThatThrownBy(() -> read("{\"format\": \"json\", \"content\": " + bad + "}")).as(bad).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aNulWhichPostgresqlRefusesBecomesAReplacementCharacterAndAnEscapedBackslashStays() throws IOException {
        Envelope e = read("{\"format\": \"json\", \"content\": {\"body\": \"a\\u0000b\", \"path\": \"C:\\\\u0000\"}}");
        assertThat(e.contentText()).contains("\"body\":\"a\uFFFDb\"").contains("\"path\":\"C:\\\\u0000\"");
        assertThat(e.content().path("body").asText()).isEqualTo("a\0b");
    }

    @Test
    void anythingButOneJsonObjectIsRefused() {
        for (String bad : new String[] {"", "[]", "{\"format\": \"json\"", "{} {}", "{\"content\": {}} x", "\"json\""}) {
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }

    @Test
    void withoutContentTheTextIsNull() throws IOException {
        Envelope e = read("{\"format\": \"json\"}");
        assertThat(e.content()).isNull();
        assertThat(e.contentText()).isNull();
    }
}
