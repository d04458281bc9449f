package org.blockwatch.core.failure;

/**
 * OONI's failure strings (spec df-007), the only way a failed step is named above the network
 * layer. A {@code null} failure means the step succeeded.
 */
public final class Failure {
    public static final String GENERIC_TIMEOUT = "generic_timeout_error";
    public static final String CONNECTION_REFUSED = "connection_refused";
    public static final String CONNECTION_RESET = "connection_reset";
    public static final String EOF = "eof_error";
    public static final String HOST_UNREACHABLE = "host_unreachable";
    public static final String NETWORK_UNREACHABLE = "network_unreachable";
    public static final String DNS_NXDOMAIN = "dns_nxdomain_error";
    public static final String DNS_NO_ANSWER = "dns_no_answer";
    public static final String DNS_REFUSED = "dns_refused_error";
    public static final String DNS_SERVFAIL = "dns_servfail_error";
    public static final String DNS_SERVER_MISBEHAVING = "dns_server_misbehaving";
    /** getaddrinfo's EAI_AGAIN: the system resolver could not get an answer for now. */
    public static final String DNS_TEMPORARY_FAILURE = "dns_temporary_failure";
    public static final String SSL_INVALID_HOSTNAME = "ssl_invalid_hostname";
    public static final String SSL_UNKNOWN_AUTHORITY = "ssl_unknown_authority";
    public static final String SSL_INVALID_CERTIFICATE = "ssl_invalid_certificate";
    public static final String SSL_FAILED_HANDSHAKE = "ssl_failed_handshake";
    /** blockwatch's own: the site redirected more often than a browser would follow. */
    public static final String HTTP_TOO_MANY_REDIRECTS = "http_too_many_redirects";
    /**
     * blockwatch's own: the response head went on past 256 KiB without ending (endless or huge
     * headers), where OkHttp stops reading; not a peer that closed ({@code eof_error}).
     */
    public static final String HTTP_HEADERS_TOO_LARGE = "http_response_headers_too_large";
    /** blockwatch's own: a redirect whose Location is not an http(s) URL. */
    public static final String HTTP_INVALID_REDIRECT = "http_invalid_redirect_location";
    /** blockwatch's own: the control server may not connect there (a private or bogon address). */
    public static final String DESTINATION_REFUSED = "destination_refused";
    private static final String UNKNOWN_PREFIX = "unknown_failure: ";

    private Failure() {}

    /** An unclassified failure, its text scrubbed of every IP address (the probe's own among them). */
    public static String unknown(String message) {
        return UNKNOWN_PREFIX + AddressScrubber.scrub(message == null ? "" : message);
    }
}
