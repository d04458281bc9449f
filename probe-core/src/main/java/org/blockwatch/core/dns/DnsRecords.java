package org.blockwatch.core.dns;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.archival.DnsAnswer;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.failure.ClassifiedException;
import org.blockwatch.core.failure.Failure;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** DNS messages as the wire resolvers build, check and record them (dnsjava underneath). */
final class DnsRecords {
    private DnsRecords() {}

    /** A recursive query for {@code host} (ASCII) of {@code type} in class IN. */
    static Message query(String host, int type) throws TextParseException {
        return Message.newQuery(Record.newRecord(Name.fromString(host, Name.root), type, DClass.IN));
    }

    /** Parses a response and checks that it answers {@code query}; a response that does not is the server misbehaving. */
    static Message response(Message query, byte[] wire) throws IOException {
        Message response;
        try {
            response = new Message(wire);
        } catch (IOException garbage) {
            throw new Misbehaving("not a DNS message");
        }
        Record q = query.getQuestion();
        Record r = response.getQuestion();
        if (response.getHeader().getID() != query.getHeader().getID()) throw new Misbehaving("a response with another id");
        if (r == null || r.getType() != q.getType() || r.getDClass() != q.getDClass() || !r.getName().equals(q.getName())) {
            throw new Misbehaving("a response to another question");
        }
        return response;
    }

    /** The failure a response means for a query of {@code type}: its rcode's, or no answer of that type; null when it has one. */
    static String failureOf(Message response, int type) {
        return switch (response.getRcode()) {
            case Rcode.NOERROR -> response.getSection(Section.ANSWER).stream().anyMatch(rr -> rr.getType() == type) ? null : Failure.DNS_NO_ANSWER;
            case Rcode.NXDOMAIN -> Failure.DNS_NXDOMAIN;
            case Rcode.SERVFAIL -> Failure.DNS_SERVFAIL;
            case Rcode.REFUSED -> Failure.DNS_REFUSED;
            default -> Failure.DNS_SERVER_MISBEHAVING;
        };
    }

    /** One query's record: its answers (addresses and CNAMEs) and failure, at the exchange's times. */
    static DnsQuery record(String engine, String resolverAddress, String host, int type, DnsExchange exchange) {
        if (!exchange.answered()) {
            return new DnsQuery(engine, resolverAddress, host, Type.string(type), null, List.of(), exchange.failure(), exchange.t0(),
                    exchange.t(), exchange.transactionId());
        }
        Message response = exchange.response();
        List<DnsAnswer> answers = new ArrayList<>();
        for (Record rr : response.getSection(Section.ANSWER)) {
            if (rr instanceof ARecord a && type == Type.A) answers.add(DnsAnswer.a(a.getAddress().getHostAddress(), a.getTTL()));
            else if (rr instanceof AAAARecord aaaa && type == Type.AAAA) answers.add(DnsAnswer.aaaa(aaaa.getAddress().getHostAddress(), aaaa.getTTL()));
            else if (rr instanceof CNAMERecord cname) answers.add(DnsAnswer.cname(cname.getTarget().toString(), cname.getTTL()));
        }
        return new DnsQuery(engine, resolverAddress, host, Type.string(type), response.getRcode(), answers, failureOf(response, type),
                exchange.t0(), exchange.t(), exchange.transactionId());
    }

    /** A response that is not one to the query sent. */
    static final class Misbehaving extends IOException implements ClassifiedException {
        Misbehaving(String why) {
            super(why);
        }

        @Override
        public String failure() {
            return Failure.DNS_SERVER_MISBEHAVING;
        }
    }
}
