package org.blockwatch.core.ip;

import java.math.BigInteger;
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
        byte[] a = address.getAddress();
        return a.length == network.length && java.util.Arrays.equals(mask(a, prefix), network);
    }

    public boolean contains(String ip) {
        return IpLiteral.parse(ip).map(this::contains).orElse(false);
    }

    private static byte[] mask(byte[] address, int prefix) {
        int bits = address.length * 8;
        BigInteger value = new BigInteger(1, address);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        byte[] raw = value.and(mask).toByteArray();
        byte[] out = new byte[address.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        return out;
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
