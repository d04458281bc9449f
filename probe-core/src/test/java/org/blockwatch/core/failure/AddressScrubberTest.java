package org.blockwatch.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressScrubberTest {
    @Test
    void removesIpv4AndIpv6Addresses() {
        assertThat(AddressScrubber.scrub("connect to 10.0.0.7:443 from 203.0.113.9")).isEqualTo("connect to [scrubbed]:443 from [scrubbed]");
        assertThat(AddressScrubber.scrub("peer [fe80::1%eth0]:443 and ::1")).doesNotContain("fe80").doesNotContain("::1");
        assertThat(AddressScrubber.scrub("2001:db8:0:0:0:0:0:10 closed")).isEqualTo("[scrubbed] closed");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        assertThat(AddressScrubber.scrub("Remote host terminated the handshake")).isEqualTo("Remote host terminated the handshake");
    }
}
