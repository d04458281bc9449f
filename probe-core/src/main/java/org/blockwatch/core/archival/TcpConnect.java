package org.blockwatch.core.archival;

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
}
