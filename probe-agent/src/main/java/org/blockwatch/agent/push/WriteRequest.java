package org.blockwatch.agent.push;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Prometheus remote write 1.0's body before compression: a {@code prometheus.WriteRequest}
 * protobuf message (prompb/remote.proto, types.proto), written field by field. Only what a
 * sender needs: {@code WriteRequest.timeseries = 1}; {@code TimeSeries.labels = 1, samples = 2};
 * {@code Label.name = 1, value = 2}; {@code Sample.value = 1 (double), timestamp = 2 (int64, ms)}.
 * Four small messages do not earn protobuf's runtime and a code generator.
 */
public final class WriteRequest {
    /** Prometheus's staleness marker: a series that is gone (value.StaleNaN). */
    public static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    private WriteRequest() {}

    /** The message for {@code series}, each one sample at {@code timestampMillis}. */
    public static byte[] encode(List<Series> series, long timestampMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(series.size() * 96);
        ByteArrayOutputStream one = new ByteArrayOutputStream(256);
        ByteArrayOutputStream part = new ByteArrayOutputStream(64);
        for (Series s : series) {
            one.reset();
            for (Map.Entry<String, String> label : s.labels().entrySet()) {
                part.reset();
                bytes(part, 1, label.getKey().getBytes(StandardCharsets.UTF_8));
                bytes(part, 2, label.getValue().getBytes(StandardCharsets.UTF_8));
                bytes(one, 1, part.toByteArray());
            }
            part.reset();
            tag(part, 1, 1);
            fixed64(part, Double.doubleToRawLongBits(s.value()));
            tag(part, 2, 0);
            varint(part, timestampMillis);
            bytes(one, 2, part.toByteArray());
            bytes(out, 1, one.toByteArray());
        }
        return out.toByteArray();
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] b) {
        tag(out, field, 2);
        varint(out, b.length);
        out.writeBytes(b);
    }

    private static void tag(ByteArrayOutputStream out, int field, int wireType) {
        varint(out, (long) field << 3 | wireType);
    }

    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void fixed64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
    }
}
