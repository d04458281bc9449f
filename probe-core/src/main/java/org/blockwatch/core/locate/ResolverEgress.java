package org.blockwatch.core.locate;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.blockwatch.core.ip.IpLiteral;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The address a resolver's queries leave from, as a "who am I" name tells it: an authoritative
 * server that answers with the address that asked it (Akamai's {@code whoami.akamai.net} in an
 * A record; Google's {@code o-o.myaddr.l.google.com} in a TXT record). Asked through the resolver
 * being identified, so the answer is that resolver's egress, not the probe's.
 */
public final class ResolverEgress {
    private ResolverEgress() {}

    public static Optional<InetAddress> find(Resolver resolver, String whoamiName, Duration timeout) throws IOException {
        resolver.setTimeout(timeout);
        Name name = Name.fromString(whoamiName, Name.root);
        for (int type : new int[] {Type.A, Type.TXT}) {
            Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
            for (Record r : response.getSection(Section.ANSWER)) {
                if (r instanceof ARecord a) return Optional.of(a.getAddress());
                if (r instanceof AAAARecord a) return Optional.of(a.getAddress());
                if (r instanceof TXTRecord t) {
                    Optional<InetAddress> literal = IpLiteral.parse(String.join("", t.getStrings()).strip());
                    if (literal.isPresent()) return literal;
                }
            }
        }
        return Optional.empty();
    }
}
