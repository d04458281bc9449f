package org.blockwatch.sim;

/** What {@link FaultServer} does to each connection it accepts. */
public enum Fault {
    /** Reads the first bytes (a ClientHello), then resets the connection: SNI-based DPI. */
    RESET_ON_FIRST_DATA,
    /** Reads the first bytes, then closes cleanly: the client sees EOF mid-handshake. */
    CLOSE_ON_FIRST_DATA,
    /** Reads and never answers: a TLS handshake that stalls. */
    STALL,
    /** Reads an HTTP request head, then resets the connection. */
    RESET_AFTER_HTTP_REQUEST,
    /** Reads an HTTP request head, then answers a status line and headers that never end. */
    ENDLESS_RESPONSE_HEADERS,
    /** Reads an HTTP request head, then closes in the middle of the response head. */
    CLOSE_IN_RESPONSE_HEAD
}
