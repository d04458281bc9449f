package org.blockwatch.core.archival;

/**
 * What the probe may say about where it measured from: its network (AS, country, name) and its
 * resolver's (the address its queries leave from, which OONI publishes as {@code resolver_ip},
 * and that address's AS). The probe's own address is never part of it.
 */
public record ProbeInfo(String asn, String cc, String networkName, String softwareName, String softwareVersion, String resolverIp,
        String resolverAsn, String resolverNetworkName) {
    public static final ProbeInfo UNKNOWN = new ProbeInfo("AS0", "ZZ", "", "blockwatch", "dev");

    public ProbeInfo {
        if (asn == null || asn.isBlank()) asn = "AS0";
        if (cc == null || cc.isBlank()) cc = "ZZ";
        if (networkName == null) networkName = "";
        if (resolverIp == null) resolverIp = "";
        if (resolverAsn == null || resolverAsn.isBlank()) resolverAsn = "AS0";
        if (resolverNetworkName == null) resolverNetworkName = "";
    }

    /** A probe whose resolver is not identified. */
    public ProbeInfo(String asn, String cc, String networkName, String softwareName, String softwareVersion) {
        this(asn, cc, networkName, softwareName, softwareVersion, "", "AS0", "");
    }

    /**
     * Whether the resolver's queries leave from another AS than the probe's: typical of a public
     * resolver; a resolver in another country changes how a DNS verdict reads.
     */
    public boolean resolverElsewhere() {
        return !asn.equals("AS0") && !resolverAsn.equals("AS0") && !asn.equals(resolverAsn);
    }

    /** The same network, with the resolver identified. */
    public ProbeInfo withResolver(String ip, String asn, String networkName) {
        return new ProbeInfo(this.asn, cc, this.networkName, softwareName, softwareVersion, ip, asn, networkName);
    }
}
