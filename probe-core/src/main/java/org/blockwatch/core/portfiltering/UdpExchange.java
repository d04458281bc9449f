package org.blockwatch.core.portfiltering;

/**
 * A DNS query or a QUIC Initial to one UDP port of the helper, sent again within its timeout
 * until the helper's answer came (blockwatch's {@code x_udp}): {@code service} {@code dns} or
 * {@code quic}; {@code failure} null when the helper's answer came, else OONI's (a timeout; a
 * refusal, when an ICMP port unreachable came back), or {@link PortFiltering#UNEXPECTED_ANSWER}
 * when only datagrams that were not the helper's answer came. {@code unexpected} counts those.
 */
public record UdpExchange(String service, String ip, int port, String failure, int datagramsSent, long sentBytes, long receivedBytes,
        int unexpected, double t0, double t, long transactionId) {}
