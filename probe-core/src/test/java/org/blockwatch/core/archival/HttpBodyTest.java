package org.blockwatch.core.archival;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpBodyTest {
    @Test
    void utf8BodiesAreStringsAndOthersBase64() {
        JsonNode text = MeasurementJson.mapper().valueToTree(new HttpBody("Блокировка".getBytes(StandardCharsets.UTF_8)));
        assertThat(text.asText()).isEqualTo("Блокировка");
        JsonNode binary = MeasurementJson.mapper().valueToTree(new HttpBody(new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
        assertThat(binary.get("format").asText()).isEqualTo("base64");
        assertThat(binary.get("data").asText()).isEqualTo("iVBORw==");
    }

    @Test
    void isImmutable() {
        byte[] bytes = {1, 2, 3};
        HttpBody body = new HttpBody(bytes);
        bytes[0] = 9;
        body.bytes()[1] = 9;
        assertThat(body.bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void aWindows1251PageIsKeptByteForByteAsBase64() {
        byte[] page = "<title>Новости</title>".getBytes(java.nio.charset.Charset.forName("windows-1251"));
        JsonNode json = MeasurementJson.mapper().valueToTree(new HttpBody(page));
        assertThat(json.get("format").asText()).isEqualTo("base64");
        assertThat(java.util.Base64.getDecoder().decode(json.get("data").asText())).isEqualTo(page);
    }
}
