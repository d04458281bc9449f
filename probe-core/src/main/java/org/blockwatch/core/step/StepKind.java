package org.blockwatch.core.step;

import org.blockwatch.core.failure.Operation;

/** The steps of a measurement, as the metrics and logs name them, and the operation each is. */
public enum StepKind {
    DNS("dns", Operation.RESOLVE),
    TCP_CONNECT("tcp_connect", Operation.CONNECT),
    TLS_HANDSHAKE("tls_handshake", Operation.TLS_HANDSHAKE),
    HTTP_RESPONSE("http_response", Operation.HTTP_ROUND_TRIP),
    CONTROL("control", Operation.CONTROL),
    /** A STUN Binding request and its answer, over UDP: a failure is one of reading the answer. */
    STUN_BINDING("stun_binding", Operation.READ);

    private final String label;
    private final Operation operation;

    StepKind(String label, Operation operation) {
        this.label = label;
        this.operation = operation;
    }

    public String label() {
        return label;
    }

    public Operation operation() {
        return operation;
    }
}
