package org.blockwatch.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.blockwatch.core.dns.ResolverUrl.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResolverUrlTest {
    @Test
    void eachSchemeWithItsDefaultPort() {
        assertThat(ResolverUrl.parse("udp://8.8.8.8")).extracting(ResolverUrl::protocol, ResolverUrl::port).containsExactly(Protocol.UDP, 53);
        assertThat(ResolverUrl.parse("tcp://8.8.8.8")).extracting(ResolverUrl::protocol, ResolverUrl::port).containsExactly(Protocol.TCP, 53);
        assertThat(ResolverUrl.parse("dot://dns.google")).extracting(ResolverUrl::protocol, ResolverUrl::port).containsExactly(Protocol.DOT, 853);
        ResolverUrl doh = ResolverUrl.parse("https://dns.google/dns-query");
        assertThat(doh).extracting(ResolverUrl::protocol, ResolverUrl::port, ResolverUrl::path).containsExactly(Protocol.DOH, 443, "/dns-query");
        assertThat(doh.protocol().engine()).isEqualTo("doh");
    }

    @Test
    void hostsAreNamesOrAddressesAndNamesNeedABootstrap() {
        ResolverUrl v6 = ResolverUrl.parse("dot://[2001:4860:4860::8888]:853");
        assertThat(v6.host()).isEqualTo("2001:4860:4860:0:0:0:0:8888");
        assertThat(v6.needsBootstrap()).isFalse();
        assertThat(v6.serverName()).isNull();
        ResolverUrl named = ResolverUrl.parse("DOT://DNS.Google.:853");
        assertThat(named.host()).isEqualTo("dns.google");
        assertThat(named.needsBootstrap()).isTrue();
        assertThat(named.serverName()).isEqualTo("dns.google");
    }

    @Test
    void aLookupIsNamedAsOonisDnscheckNamesItAndKeepsTheServerName() throws Exception {
        ResolverUrl doh = ResolverUrl.parse("https://dns.google/dns-query");
        assertThat(doh.lookupKey(InetAddress.getByName("8.8.8.8"))).isEqualTo("https://8.8.8.8/dns-query");
        ResolverUrl dot = ResolverUrl.parse("dot://dns.google:853");
        assertThat(dot.lookupKey(InetAddress.getByName("2001:4860:4860::8844"))).isEqualTo("dot://[2001:4860:4860:0:0:0:0:8844]:853");
        ResolverUrl pinned = dot.at(InetAddress.getByName("8.8.4.4"));
        assertThat(pinned.text()).isEqualTo("dot://8.8.4.4:853?tls_server_name=dns.google");
        assertThat(pinned.serverName()).isEqualTo("dns.google");
        assertThat(ResolverUrl.parse(pinned.text())).isEqualTo(pinned);
    }

    @Test
    void optionsUnderOonisNames() throws Exception {
        ResolverUrl u = ResolverUrl.parse("dot://1.1.1.1?tls_server_name=one.one.one.one&default_addrs=1.0.0.1,1.1.1.1");
        assertThat(u.serverName()).isEqualTo("one.one.one.one");
        assertThat(u.defaultAddrs()).containsExactly(InetAddress.getByName("1.0.0.1"), InetAddress.getByName("1.1.1.1"));
        assertThat(u.text()).isEqualTo("dot://1.1.1.1?tls_server_name=one.one.one.one&default_addrs=1.0.0.1,1.1.1.1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty resolver URL",
            "8.8.8.8|no scheme",
            "doh://dns.google/dns-query|scheme 'doh' is not a resolver's",
            "http://dns.google/dns-query|scheme 'http' is not a resolver's",
            "udp://|is not a resolver URL",
            "udp://8.8.8.8:0|port must be 1-65535",
            "udp://8.8.8.8:70000|port must be 1-65535",
            "tcp://8.8.8.8/dns-query|has no path",
            "udp://8.8.8.8?tls_server_name=dns.google|tls_server_name is an option of dot:// and https:// only",
            "dot://8.8.8.8?sni=dns.google|unknown option 'sni'",
            "https://dns.google/dns-query?dns=AAAB|unknown option 'dns'",
            "dot://8.8.8.8?default_addrs=8.8.8.x|'8.8.8.x' is not an IP address",
            "dot://dns..google|not a valid one",
            "dot://999.1.1.1|not a valid one",
            "dot://user@dns.google|no user name",
            "https://dns.google/q#x|no #fragment",
            "dot://dns google|is not a resolver URL"})
    void badInputIsRefusedSayingWhatIsWrong(String input, String message) {
        assertThatThrownBy(() -> ResolverUrl.parse(input)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
