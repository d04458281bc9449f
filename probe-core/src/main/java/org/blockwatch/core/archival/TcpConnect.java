package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.blockwatch.core.failure.Operation;

/** One TCP connect attempt to {@code ip:port}. */
public record TcpConnect(String ip, int port, Status status, double t0, double t, long transactionId) {
    /** OONI's nested status; {@code blocked} is left to the analysis. */
    public record Status(boolean success, String failure, Boolean blocked) {}

    public String failure() {
        return status.failure();
    }

    public boolean success() {
        return status.success();
    }

    /** OONI's {@code failed_operation}: the operation this record's failure happened in; null when it succeeded. */
    @JsonProperty("failed_operation")
    public Operation failedOperation() {
        return failure() == null ? null : Operation.CONNECT;
    }
}
