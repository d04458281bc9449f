package org.blockwatch.core.portfiltering;

/**
 * The helper's line exchange on a TCP connection that was accepted (blockwatch's {@code x_tcp_exchange}):
 * {@code failure} null when the helper's own answer came back; {@link PortFiltering#UNEXPECTED_ANSWER}
 * when something else answered (a middlebox that accepts every connection); a timeout, EOF or reset
 * otherwise. Its transaction id is its connection's, as in {@code tcp_connect}.
 */
public record TcpExchange(String ip, int port, String failure, long sentBytes, long receivedBytes, double t0, double t, long transactionId) {}
