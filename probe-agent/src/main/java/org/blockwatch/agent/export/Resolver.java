package org.blockwatch.agent.export;

/**
 * The resolver a measurement's DNS went to, as its document names it (OONI's {@code resolver_asn},
 * {@code resolver_network_name}, {@code resolver_ip}: the resolver's side, never the probe's own
 * address); empty strings where the document has none.
 */
public record Resolver(String asn, String networkName, String ip) {
    public static final Resolver UNKNOWN = new Resolver("", "", "");

    public Resolver {
        asn = asn == null ? "" : asn;
        networkName = networkName == null ? "" : networkName;
        ip = ip == null ? "" : ip;
    }

    boolean known() {
        return !equals(UNKNOWN);
    }
}
