package org.blockwatch.core.control.wire;

import java.util.List;
import java.util.Map;

/**
 * blockwatch's extension of the test-helper protocol for STUN: {@code POST x/stun} (beside the
 * helper's URL) with the endpoints ({@code host:port}) a probe could not bind to; the helper
 * answers each with its own binding's failure (null: it answered). OONI's helpers do not serve
 * it (they answer 404), and OONI's clients never ask it: the TH protocol itself is unchanged.
 */
public final class StunCheck {
    private StunCheck() {}

    /** The path beside the helper's URL. */
    public static final String PATH = "x/stun";
    /** At most this many endpoints in one request (a helper is not a STUN scanner). */
    public static final int MAX_ENDPOINTS = 4;

    public record Request(List<String> endpoints) {
        public Request {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }
    }

    /** The helper's binding to one endpoint: its failure, null when it answered. */
    public record Binding(String failure) {}

    public record Response(Map<String, Binding> endpoints) {
        public Response {
            endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
        }
    }
}
