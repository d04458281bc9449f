package org.blockwatch.agent.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The protobuf bytes, field by field, of prompb's WriteRequest; Prometheus itself reads them in RemoteWriterTest. */
class WriteRequestTest {

    @Test
    void oneSeriesIsEncodedAsPrompbSpecifies() {
        TreeMap<String, String> labels = new TreeMap<>();
        labels.put("__name__", "up");
        labels.put("job", "b");
        byte[] b = WriteRequest.encode(List.of(new Series(labels, 1.0)), 1_000);
        String label1 = "0a0e" + "0a08" + hex("__name__") + "1202" + hex("up");
        String label2 = "0a08" + "0a03" + hex("job") + "1201" + hex("b");
        String sample = "120c" + "09" + "000000000000f03f" + "10" + "e807"; // double 1.0 little-endian; varint 1000
        String series = label1 + label2 + sample;
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("0a" + String.format("%02x", series.length() / 2) + series);
    }

    @Test
    void theStaleMarkerIsPrometheusesNaN() {
        assertThat(Double.doubleToRawLongBits(WriteRequest.STALE)).isEqualTo(0x7ff0000000000002L);
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
