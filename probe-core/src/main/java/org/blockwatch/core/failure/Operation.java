package org.blockwatch.core.failure;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The operation a failure happened in, as OONI names it ({@code failed_operation}, spec df-007):
 * a failure string alone does not tell a reset during the connect from one during the handshake.
 */
public enum Operation {
    RESOLVE("resolve"), CONNECT("connect"), TLS_HANDSHAKE("tls_handshake"), HTTP_ROUND_TRIP("http_round_trip"),
    /** Reading an answer over a datagram socket (a STUN binding's). */
    READ("read"),
    /** Asking the test helper for the control measurement (blockwatch's own). */
    CONTROL("control");

    private final String label;

    Operation(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
