package org.blockwatch.core.control.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.blockwatch.core.failure.Failure;
import org.junit.jupiter.api.Test;

class LegacyFailuresTest {
    @Test
    void helpersLegacyStringsBecomeTheProbesOwn() {
        assertThat(LegacyFailures.dns("dns_name_error")).isEqualTo(Failure.DNS_NXDOMAIN);
        assertThat(LegacyFailures.dns("dns_server_failure")).isEqualTo(Failure.DNS_SERVFAIL);
        assertThat(LegacyFailures.generic("connection_refused_error")).isEqualTo(Failure.CONNECTION_REFUSED);
        assertThat(LegacyFailures.generic("generic_timeout_error")).isEqualTo(Failure.GENERIC_TIMEOUT);
        assertThat(LegacyFailures.generic("unknown_error")).startsWith("unknown_failure");
        assertThat(LegacyFailures.generic(null)).isNull();
        assertThat(LegacyFailures.toLegacyDns(Failure.DNS_NXDOMAIN)).isEqualTo("dns_name_error");
    }
}
