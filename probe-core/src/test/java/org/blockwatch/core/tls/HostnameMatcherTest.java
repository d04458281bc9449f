package org.blockwatch.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.blockwatch.sim.CertificateAuthority;
import org.junit.jupiter.api.Test;

class HostnameMatcherTest {
    @Test
    void exactNamesMatchWhateverTheCaseAndTrailingDot() {
        assertThat(HostnameMatcher.dnsNameMatches("www.example.org", "WWW.Example.org")).isTrue();
        assertThat(HostnameMatcher.dnsNameMatches("www.example.org", "www.example.org.")).isTrue();
        assertThat(HostnameMatcher.dnsNameMatches("www.example.org", "example.org")).isFalse();
    }

    @Test
    void wildcardsMatchExactlyOneLeftMostLabel() {
        assertThat(HostnameMatcher.dnsNameMatches("*.example.org", "news.example.org")).isTrue();
        assertThat(HostnameMatcher.dnsNameMatches("*.example.org", "example.org")).isFalse();
        assertThat(HostnameMatcher.dnsNameMatches("*.example.org", "a.b.example.org")).isFalse();
        assertThat(HostnameMatcher.dnsNameMatches("*.org", "example.org")).as("no wildcard over a top-level domain").isFalse();
        assertThat(HostnameMatcher.dnsNameMatches("w*.example.org", "www.example.org")).isFalse();
    }

    @Test
    void certificatesMatchBySubjectAlternativeNames() {
        CertificateAuthority ca = CertificateAuthority.root("CN=matcher test");
        var leaf = ca.issue("site.test", "*.cdn.test", "192.0.2.7").chain().get(0);
        assertThat(HostnameMatcher.matches(leaf, "site.test")).isTrue();
        assertThat(HostnameMatcher.matches(leaf, "img.cdn.test")).isTrue();
        assertThat(HostnameMatcher.matches(leaf, "192.0.2.7")).isTrue();
        assertThat(HostnameMatcher.matches(leaf, "192.0.2.8")).isFalse();
        assertThat(HostnameMatcher.matches(leaf, "other.test")).isFalse();
        // The leaf's CN is site.test too, but only the SANs count; an IP is never matched against a DNS name.
        var dnsOnly = ca.issue("192.0.2.9.example").chain().get(0);
        assertThat(HostnameMatcher.matches(dnsOnly, "192.0.2.9")).isFalse();
    }
}
