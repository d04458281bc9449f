package org.blockwatch.core.dns;

import org.blockwatch.core.failure.Operation;
import org.xbill.DNS.Message;

/**
 * One DNS message sent and its response, over one transport, as one DNS step: the response (null
 * when none arrived), the failure of the transport otherwise and the operation it broke in
 * ({@code connect}, {@code tls_handshake}, {@code resolve} for the exchange itself), the step's
 * times and transaction id, and what the transport recorded on the way.
 */
public record DnsExchange(Message response, String failure, Operation failedOperation, double t0, double t, long transactionId,
        Transcript transcript) {
    public DnsExchange {
        if ((response == null) == (failure == null)) throw new IllegalArgumentException("a response or a failure, exactly one");
    }

    /** Whether the resolver's response arrived (whatever its rcode). */
    public boolean answered() {
        return response != null;
    }
}
