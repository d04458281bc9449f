package org.blockwatch.core.locate;

/**
 * The network an address belongs to: its origin AS number, the AS's name and the country where
 * the address is registered. {@link #UNKNOWN} is OONI's AS0 and ZZ.
 */
public record AsInfo(long asn, String cc, String name) {
    public static final AsInfo UNKNOWN = new AsInfo(0, "ZZ", "");

    public AsInfo {
        if (asn < 0 || asn > 0xFFFFFFFFL) throw new IllegalArgumentException("AS number out of range: " + asn);
        cc = cc == null || !cc.matches("[A-Z]{2}") ? "ZZ" : cc;
        name = name == null ? "" : name;
    }

    /** {@code AS<n>}, as OONI writes it. */
    public String asnLabel() {
        return "AS" + asn;
    }

    public boolean known() {
        return asn != 0;
    }
}
