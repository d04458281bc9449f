package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.blockwatch.core.failure.Operation;

/**
 * Everything the engine saw while measuring one URL, redirects included: the network half of
 * OONI's {@code test_keys}. Immutable; lists are in the order the steps started, except
 * {@code requests}, which is newest first as OONI has it. {@code sniProbes} are the fetches of the
 * follow-up after a slow exchange: the same address and page under another name, none, and its own.
 * {@code dnsIntercepted} is the interception checks of the Do53 resolvers asked ({@code
 * x_dns_intercepted}), absent when none of them is checked.
 *
 * <p>A query went along the measurement's path (the answer the user's browser gets) when it is
 * getaddrinfo's or went to {@code resolverAddress}; any other query is an extra resolver's (a
 * DoH or DoT resolver, say), evidence only: the page is never fetched from its addresses.
 */
public record WebObservation(
        @JsonIgnore String input,
        @JsonIgnore String url,
        @JsonIgnore Instant startTime,
        @JsonIgnore double runtimeSeconds,
        @JsonIgnore String resolverAddress,
        List<DnsQuery> queries,
        @JsonProperty("x_dns_late_replies") List<DnsQuery> dnsLateReplies,
        String dnsExperimentFailure,
        List<TcpConnect> tcpConnect,
        List<TlsHandshake> tlsHandshakes,
        List<HttpTransaction> requests,
        String httpExperimentFailure,
        @JsonProperty("x_failed_operation") Operation failedOperation,
        List<NetworkEvent> networkEvents,
        @JsonProperty("x_sni_probes") List<SniProbe> sniProbes,
        @JsonProperty("x_dns_intercepted") @JsonInclude(JsonInclude.Include.NON_NULL) DnsIntercepted dnsIntercepted) {

    /** An observation without interception checks. */
    public WebObservation(String input, String url, Instant startTime, double runtimeSeconds, String resolverAddress,
            List<DnsQuery> queries, List<DnsQuery> dnsLateReplies, String dnsExperimentFailure, List<TcpConnect> tcpConnect,
            List<TlsHandshake> tlsHandshakes, List<HttpTransaction> requests, String httpExperimentFailure,
            Operation failedOperation, List<NetworkEvent> networkEvents, List<SniProbe> sniProbes) {
        this(input, url, startTime, runtimeSeconds, resolverAddress, queries, dnsLateReplies, dnsExperimentFailure, tcpConnect,
                tlsHandshakes, requests, httpExperimentFailure, failedOperation, networkEvents, sniProbes, null);
    }

    /** A measurement that could not be made (an error inside it): the URL, when, and why, as {@code http_experiment_failure}. */
    public static WebObservation failed(String input, String url, Instant start, double runtimeSeconds, String failure) {
        return new WebObservation(input, url, start, runtimeSeconds, "", List.of(), List.of(), null, List.of(), List.of(), List.of(), failure,
                null, List.of(), List.of());
    }

    public WebObservation {
        queries = List.copyOf(queries);
        dnsLateReplies = List.copyOf(dnsLateReplies);
        tcpConnect = List.copyOf(tcpConnect);
        tlsHandshakes = List.copyOf(tlsHandshakes);
        requests = List.copyOf(requests);
        networkEvents = List.copyOf(networkEvents);
        sniProbes = List.copyOf(sniProbes);
    }

    /** This observation with {@code checks} as its {@code x_dns_intercepted} (null: none). */
    public WebObservation withDnsIntercepted(DnsIntercepted checks) {
        return new WebObservation(input, url, startTime, runtimeSeconds, resolverAddress, queries, dnsLateReplies, dnsExperimentFailure,
                tcpConnect, tlsHandshakes, requests, httpExperimentFailure, failedOperation, networkEvents, sniProbes, checks);
    }

    /** The last response received (the end of the redirect chain), or null. */
    @JsonIgnore
    public HttpTransaction finalRequest() {
        return requests.isEmpty() ? null : requests.get(0);
    }
}
