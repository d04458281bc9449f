package org.blockwatch.core.ip;

import java.util.List;

/**
 * Addresses that no public site has: private, loopback, link-local, documentation, multicast and
 * reserved ranges (OONI's list). A lab declares the ranges that stand for the public internet
 * in it ({@code publicRanges}); by default none, so loopback is a bogon as OONI has it.
 * Immutable and thread-safe.
 */
public final class Bogons {
    private static final List<AddressRange> BOGONS = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
            "2002::/16", "fc00::/7", "fe80::/10", "ff00::/8").stream().map(AddressRange::parse).toList();
    // ::/96 (IPv4-compatible, deprecated), 64:ff9b:1::/48 (local-use NAT64) and 2002::/16 (6to4
    // relays) are no site's own address either (RFC 4291, 8215, 3056; IANA's special-purpose registry).
    // IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) arrive as IPv4 addresses in Java and meet the IPv4 ranges.

    public static final Bogons DEFAULT = new Bogons(List.of());

    private final List<AddressRange> publicRanges;

    public Bogons(List<AddressRange> publicRanges) {
        this.publicRanges = List.copyOf(publicRanges);
    }

    public List<AddressRange> publicRanges() {
        return publicRanges;
    }

    public boolean isBogon(String ip) {
        // Parsed once, then compared with each range as bytes.
        byte[] address = IpLiteral.parse(ip).map(java.net.InetAddress::getAddress).orElse(null);
        if (address == null) return false;
        for (AddressRange r : publicRanges) {
            if (r.contains(address)) return false;
        }
        for (AddressRange r : BOGONS) {
            if (r.contains(address)) return true;
        }
        return false;
    }
}
