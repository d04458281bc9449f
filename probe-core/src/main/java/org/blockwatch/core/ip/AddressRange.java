package org.blockwatch.core.ip;

import java.net.InetAddress;
import org.blockwatch.core.ip.IpLiteral;

/** An IPv4 or IPv6 CIDR block such as {@code 10.0.0.0/8} or {@code fc00::/7}. Immutable. */
public record AddressRange(byte[] network, int prefix) {

    /** @throws IllegalArgumentException naming what is wrong */
    public static AddressRange parse(String cidr) {
        String[] parts = cidr.strip().split("/", 2);
        InetAddress address = IpLiteral.parse(parts[0])
                .orElseThrow(() -> new IllegalArgumentException("'" + cidr + "' is not an address range (expected IP/PREFIX)"));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (parts.length == 2) {
            try {
                prefix = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("'" + cidr + "': prefix must be 0-" + bits);
        }
        return new AddressRange(mask(address.getAddress(), prefix), prefix);
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Whether the address, as its 4 or 16 bytes, is in this range (no allocation: the analysis asks often). */
    public boolean contains(byte[] address) {
        if (address.length != network.length) return false;
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) return false;
        }
        int rest = prefix % 8;
        return rest == 0 || (address[whole] & leading(rest)) == (network[whole] & 0xff);
    }

    public boolean contains(String ip) {
        return IpLiteral.parse(ip).map(this::contains).orElse(false);
    }

    /** The address with every bit past the prefix cleared. */
    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) out[i] = (byte) (out[i] & leading(Math.max(0, Math.min(8, prefix - i * 8))));
        return out;
    }

    /** A byte's mask keeping its first {@code bits} bits. */
    private static int leading(int bits) {
        return (0xff << (8 - bits)) & 0xff;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.prefix == prefix && java.util.Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }
}
