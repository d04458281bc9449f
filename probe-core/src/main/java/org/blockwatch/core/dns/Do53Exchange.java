package org.blockwatch.core.dns;

import java.io.IOException;
import org.blockwatch.core.step.Scope;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepKind;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One question of any class and type to a Do53 resolver, over UDP or TCP, the response kept
 * whole: the interception checks' way to ask what an A/AAAA lookup cannot ({@code id.server CH
 * TXT}). No EDNS, so that the query is the smallest there is. Stateless and thread-safe.
 */
final class Do53Exchange {
    private final ResolverAddress resolver;
    private final boolean tcp;

    Do53Exchange(ResolverAddress resolver, boolean tcp) {
        this.resolver = resolver;
        this.tcp = tcp;
    }

    /** The response, or the failure that left none; {@code response} is null exactly when {@code failure} is not. */
    record Reply(Message response, String failure) {}

    /** Asks {@code name} of {@code type} in {@code dclass}. Never throws: a failure is in the reply. */
    Reply ask(String name, int type, int dclass, StepContext context) {
        Scope step = context.open(StepKind.DNS, name + " " + DClass.string(dclass) + " " + Type.string(type));
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, dclass));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + name + "' is not a DNS name: " + e.getMessage(), e);
        }
        SimpleResolver client = new SimpleResolver(resolver.socketAddress());
        client.setTCP(tcp);
        client.setEDNS(-1);
        client.setTimeout(context.timeout());
        try {
            Message response = client.send(query);
            step.succeed();
            return new Reply(response, null);
        } catch (IOException e) {
            return new Reply(null, step.fail(e));
        }
    }
}
