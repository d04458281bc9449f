package org.blockwatch.core.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BogonsTest {
    @ParameterizedTest
    @CsvSource({
            "10.1.2.3, true", "100.64.0.1, true", "100.63.255.255, false", "100.127.255.255, true", "100.128.0.0, false",
            "172.16.0.1, true", "172.31.255.255, true", "172.32.0.0, false", "127.0.0.1, true", "169.254.1.1, true",
            "198.18.0.1, true", "198.20.0.1, false", "8.8.8.8, false", "104.18.20.15, false", "224.0.0.1, true", "255.255.255.255, true",
            "::1, true", "::, true", "fe80::1, true", "febf::1, true", "fec0::1, false", "fc00::1, true", "fdff::1, true",
            "2001:db8::1, true", "2001:1ff::1, true", "2001:200::1, false", "2606:4700::6812:140f, false", "ff02::1, true",
            // RFC 4291's IPv4-compatible addresses, local-use NAT64 (RFC 8215) and 6to4 (RFC 3056): not a site's own address.
            "::1.2.3.4, true", "64:ff9b:1::1, true", "64:ff9b:2::1, false", "2002:c000:204::1, true",
            "not an address, false"})
    void theSpecialRangesAreBogonsAndPublicAddressesAreNot(String ip, boolean bogon) {
        assertThat(Bogons.DEFAULT.isBogon(ip)).as(ip).isEqualTo(bogon);
    }

    @Test
    void aLabsPublicRangeIsNotABogonThere() {
        Bogons lab = new Bogons(List.of(AddressRange.parse("198.18.0.0/15")));
        assertThat(lab.isBogon("198.19.0.10")).isFalse();
        assertThat(lab.isBogon("10.0.0.1")).isTrue();
    }

    @Test
    void aRangeIsItsNetworkWhateverHostBitsItWasWrittenWith() {
        AddressRange r = AddressRange.parse("10.1.2.3/12");
        assertThat(r).isEqualTo(AddressRange.parse("10.0.0.0/12"));
        assertThat(r.toString()).isEqualTo("10.0.0.0/12");
        assertThat(r.contains("10.15.255.255")).isTrue();
        assertThat(r.contains("10.16.0.0")).isFalse();
        assertThat(r.contains("::ffff:10.1.0.0")).as("an IPv4-mapped address is the IPv4 address").isTrue();
        assertThat(AddressRange.parse("0.0.0.0/0").contains("203.0.113.9")).isTrue();
        assertThat(AddressRange.parse("0.0.0.0/0").contains("2001:db8::1")).as("another family").isFalse();
    }
}
