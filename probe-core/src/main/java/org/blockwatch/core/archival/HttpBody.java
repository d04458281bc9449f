package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** A body as read: a string when it is valid UTF-8, OONI's base64 object otherwise. */
public record HttpBody(byte[] bytes) {
    public static final HttpBody EMPTY = new HttpBody(new byte[0]);

    public HttpBody {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Reads the body without copying it (the analysis reads every body; a copy was half of what it
     * allocated). {@code reader} must neither change the array nor keep it.
     */
    public <T> T read(java.util.function.Function<byte[], T> reader) {
        return reader.apply(bytes);
    }

    public int length() {
        return bytes.length;
    }

    @JsonValue
    Object archival() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notText) {
            return Map.of("format", "base64", "data", Base64.getEncoder().encodeToString(bytes));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpBody other && java.util.Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "HttpBody[" + bytes.length + " bytes]";
    }
}
