package org.blockwatch.core.archival;


/** A low-level event observed during an HTTP transaction (connect, TLS, request, response). */
public record NetworkEvent(String operation, String address, String proto, Long numBytes, String failure,
        double t0, double t, long transactionId) {}
