package org.blockwatch.core.archival;

import java.util.List;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.blockwatch.core.failure.Operation;

/**
 * One DNS lookup, or one response to it. {@code engine} is {@code getaddrinfo} for the system
 * path, {@code udp} or {@code tcp} for a direct query; {@code rcode} is null where no response
 * was read. A direct UDP query yields one record per response received.
 */
public record DnsQuery(
        String engine,
        String resolverAddress,
        String hostname,
        String queryType,
        Integer rcode,
        List<DnsAnswer> answers,
        String failure,
        double t0,
        double t,
        long transactionId) {

    public DnsQuery {
        answers = List.copyOf(answers);
    }

    /** The addresses among the answers, in order. */
    public List<String> addresses() {
        return answers.stream().map(DnsAnswer::address).filter(a -> a != null).toList();
    }

    /** OONI's {@code failed_operation}: the operation this record's failure happened in; null when it succeeded. */
    @JsonProperty("failed_operation")
    public Operation failedOperation() {
        return failure == null ? null : Operation.RESOLVE;
    }
}
