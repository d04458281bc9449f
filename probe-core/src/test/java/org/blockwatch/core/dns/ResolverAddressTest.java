package org.blockwatch.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResolverAddressTest {
    @Test
    void parsesIpv4WithAndWithoutPort() {
        assertThat(ResolverAddress.parse("192.0.2.1").toString()).isEqualTo("192.0.2.1:53");
        assertThat(ResolverAddress.parse("127.0.0.1:5353").toString()).isEqualTo("127.0.0.1:5353");
    }

    @Test
    void parsesIpv6() {
        assertThat(ResolverAddress.parse("[::1]:5353").toString()).isEqualTo("[0:0:0:0:0:0:0:1]:5353");
        assertThat(ResolverAddress.parse("2001:db8::1").socketAddress().getPort()).isEqualTo(53);
    }

    @Test
    void rejectsNamesAndBadPortsWithoutLookingAnythingUp() {
        assertThatThrownBy(() -> ResolverAddress.parse("dns.example")).hasMessageContaining("expected an IP address");
        assertThatThrownBy(() -> ResolverAddress.parse("999.1.1.1")).hasMessageContaining("expected an IP address");
        assertThatThrownBy(() -> ResolverAddress.parse("1.1.1.1:0")).hasMessageContaining("port");
        assertThatThrownBy(() -> ResolverAddress.parse("1.1.1.1:dns")).hasMessageContaining("port");
    }
}
