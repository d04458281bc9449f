package org.blockwatch.core.locate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.SimpleResolver;

/** Cymru-format TXT records served by a real dnsmasq; who-am-I names the same way. */
class CymruLookupTest {
    @TempDir
    Path tmp;

    @Test
    void anAddressIsLookedUpToItsAsCountryAndName() throws Exception {
        try (RealServer dns = RealServer.dnsmasq(tmp,
                "txt-record=7.113.0.203.origin.asn.lab,64500 64501 | 203.0.113.0/24 | KZ | ripencc | 2001-01-01",
                "txt-record=AS64500.asn.lab,\"64500 | KZ | ripencc | 2001-01-01 | KAZTEL-AS - Example Kaztelecom JSC, KZ\"",
                "txt-record=7.7.6.6.5.5.4.4.3.3.2.2.1.1.0.0.8.7.6.5.4.3.2.1.8.b.d.0.1.0.0.2.origin6.asn.lab,64502 | 2001:db8::/32 | DE | ripencc | 2001-01-01")) {
            SimpleResolver resolver = new SimpleResolver(new java.net.InetSocketAddress("127.0.0.1", dns.port));
            CymruLookup lookup = new CymruLookup(resolver, "asn.lab", Duration.ofSeconds(2));
            assertThat(lookup.lookup(InetAddress.getByName("203.0.113.7"))).as(dns.log())
                    .contains(new AsInfo(64500, "KZ", "KAZTEL-AS - Example Kaztelecom JSC, KZ"));
            // No AS name record: the number and the country still count.
            assertThat(lookup.lookup(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"))).contains(new AsInfo(64502, "DE", ""));
            // Not in the zone.
            assertThat(lookup.lookup(InetAddress.getByName("198.51.100.1"))).isEmpty();
        }
    }

    @Test
    void theWhoAmINameTellsTheResolversEgress() throws Exception {
        try (RealServer dns = RealServer.dnsmasq(tmp, "address=/whoami.lab/192.0.2.53", "txt-record=o-o.myaddr.lab,2001:db8::53")) {
            SimpleResolver resolver = new SimpleResolver(new java.net.InetSocketAddress("127.0.0.1", dns.port));
            assertThat(ResolverEgress.find(resolver, "whoami.lab", Duration.ofSeconds(2))).contains(InetAddress.getByName("192.0.2.53"));
            assertThat(ResolverEgress.find(resolver, "o-o.myaddr.lab", Duration.ofSeconds(2))).contains(InetAddress.getByName("2001:db8::53"));
            assertThat(ResolverEgress.find(resolver, "nothing.lab", Duration.ofSeconds(2))).isEmpty();
        }
    }
}
