package org.blockwatch.core.locate;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * An address's AS, country and AS name from DNS TXT records in Team Cymru's format, asked in
 * memory of the moment and kept nowhere:
 * <pre>
 *   4.3.2.1.origin.{zone}   "64500 | 1.2.3.0/24 | KZ | ripencc | 2001-01-01"   (IPv6: nibbles under origin6.{zone})
 *   AS64500.{zone}          "64500 | KZ | ripencc | 2001-01-01 | EXAMPLE-AS - Example Telecom, KZ"
 * </pre>
 * The zone is {@code asn.cymru.com} by default; any DNS server that serves the same records
 * stands in (a lab's, or an organisation's own mirror). When an address is announced by several
 * ASes, the first listed is taken.
 */
public final class CymruLookup {
    private final Resolver resolver;
    private final String zone;

    public CymruLookup(Resolver resolver, String zone, Duration timeout) {
        this.resolver = resolver;
        this.resolver.setTimeout(timeout);
        this.zone = zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone;
    }

    /** The AS of {@code address}; empty when the records say nothing or the lookup failed. */
    public Optional<AsInfo> lookup(InetAddress address) throws IOException {
        Optional<String> origin = txt(originName(address));
        if (origin.isEmpty()) return Optional.empty();
        List<String> fields = fields(origin.get());
        if (fields.size() < 3) return Optional.empty();
        long asn;
        try {
            asn = Long.parseLong(fields.get(0).split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String cc = fields.get(2).toUpperCase(Locale.ROOT);
        String name = "";
        Optional<String> as = txt("AS" + asn + "." + zone);
        if (as.isPresent()) {
            List<String> f = fields(as.get());
            if (f.size() >= 5) name = f.get(4);
        }
        return Optional.of(new AsInfo(asn, cc, name));
    }

    /** {@code 4.3.2.1.origin.{zone}}, or the reversed nibbles of an IPv6 address under {@code origin6.{zone}}. */
    String originName(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder s = new StringBuilder();
        if (address instanceof Inet4Address) {
            for (int i = b.length - 1; i >= 0; i--) s.append(b[i] & 0xff).append('.');
            return s + "origin." + zone;
        }
        for (int i = b.length - 1; i >= 0; i--) {
            s.append(Character.forDigit(b[i] & 0x0f, 16)).append('.').append(Character.forDigit((b[i] >> 4) & 0x0f, 16)).append('.');
        }
        return s + "origin6." + zone;
    }

    private static List<String> fields(String txt) {
        return java.util.Arrays.stream(txt.split("\\|")).map(String::strip).toList();
    }

    private Optional<String> txt(String name) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.TXT, DClass.IN));
        Message response = resolver.send(query);
        if (response.getRcode() != Rcode.NOERROR) return Optional.empty();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord t) return Optional.of(String.join("", t.getStrings()));
        }
        return Optional.empty();
    }
}
