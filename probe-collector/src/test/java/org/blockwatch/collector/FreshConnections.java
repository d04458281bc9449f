package org.blockwatch.collector;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * An HTTP client for the tests that opens a connection of its own for each request: a refusal (401,
 * 403, 429) may close the connection as it answers, and a pooled one reused in that instant reads
 * nothing ("header parser received no bytes", seen under load in CI). The agent's uploader retries
 * that case; a test asserting one exchange must not depend on it.
 */
final class FreshConnections {
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws Exception {
        try (HttpClient once = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build()) {
            return once.send(request, body);
        }
    }
}
