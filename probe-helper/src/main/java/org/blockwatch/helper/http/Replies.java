package org.blockwatch.helper.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Whole answers in one write: a body of known length, and {@code {"error": ...}} for every refusal. */
public final class Replies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Replies() {}

    public static void send(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    public static void send(Response response, Callback callback, int status, String type, String body) {
        send(response, callback, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    public static void error(Response response, Callback callback, int status, String message) {
        send(response, callback, status, "application/json", errorBody(message));
    }

    /** The answer closes the connection (a client that may still be sending, or one to get rid of). */
    public static void closing(Response response) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }

    public static String errorBody(String message) {
        try {
            return "{\"error\":" + JSON.writeValueAsString(message) + "}";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
