package org.blockwatch.collector;

import org.blockwatch.core.nettest.OoniDocument;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * A submission's envelope, {@code {"format": "json", "content": {...}}} (bk-003), read in one pass:
 * the content as a tree, to check, and as the text it was sent in, to store, sliced from the
 * request's bytes rather than written out again (a 40 KB measurement is parsed once by the
 * collector, not parsed and re-serialised).
 *
 * @param format the {@code format} field, or null
 * @param content the {@code content} field (for a measurement, its outline: what a submission's
 *     checks read), or null
 * @param contentText {@code content}'s text as PostgreSQL can store it: as sent, except that a
 *     {@code \u0000} (which jsonb refuses) becomes U+FFFD
 */
public record Envelope(String format, JsonNode content, String contentText) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code data}; an {@link IOException} when it is not one JSON object. */
    public static Envelope read(byte[] data) throws IOException {
        String format = null;
        JsonNode content = null;
        String text = null;
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("content")) {
                    int from = (int) p.currentTokenLocation().getByteOffset();
                    content = value == JsonToken.START_OBJECT ? outline(p) : p.readValueAsTree();
                    int to = (int) p.currentLocation().getByteOffset();
                    text = value == JsonToken.START_OBJECT ? new String(data, from, to - from, StandardCharsets.UTF_8) : String.valueOf(content);
                } else if (field.equals("format") && value == JsonToken.VALUE_STRING) {
                    format = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) throw new IOException("not one JSON object");
        }
        if (text != null && text.contains("\\u0000")) text = JSON.writeValueAsString(withoutNul(JSON.readTree(text)));
        return new Envelope(format, content, text);
    }

    /**
     * The measurement's outline, read with the parser on its START_OBJECT: its top-level
     * scalars and {@code annotations}, and of {@code test_keys} only the verdict. The rest (a page
     * body, records of every step) is checked as JSON but never made into strings.
     */
    private static ObjectNode outline(JsonParser p) throws IOException {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("test_keys") && value == JsonToken.START_OBJECT) {
                ObjectNode keys = o.putObject(field);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    if (key.equals(OoniDocument.VERDICT_KEY)) keys.set(key, p.readValueAsTree());
                    else p.skipChildren();
                }
            } else if (field.equals("annotations") || value.isScalarValue()) {
                o.set(field, p.readValueAsTree());
            } else {
                // An object or array: its kind is kept, its inside skipped.
                if (value == JsonToken.START_ARRAY) o.putArray(field);
                else o.putObject(field);
                p.skipChildren();
            }
        }
        return o;
    }

    /** A copy of {@code node} with every NUL in names and strings replaced by U+FFFD. */
    private static JsonNode withoutNul(JsonNode node) {
        if (node.isTextual()) return JsonNodeFactory.instance.textNode(node.asText().replace('\0', '\uFFFD'));
        if (node.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> a.add(withoutNul(e)));
            return a;
        }
        if (node.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> i = node.fields(); i.hasNext(); ) {
                Map.Entry<String, JsonNode> e = i.next();
                o.set(e.getKey().replace('\0', '\uFFFD'), withoutNul(e.getValue()));
            }
            return o;
        }
        return node;
    }
}
