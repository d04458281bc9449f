package org.blockwatch.core.archival;

/**
 * What the probe may say about where it measured from. Only what a volunteer states: the probe's
 * own address is never part of it.
 */
public record ProbeInfo(String asn, String cc, String networkName, String softwareName, String softwareVersion) {
    public static final ProbeInfo UNKNOWN = new ProbeInfo("AS0", "ZZ", "", "blockwatch", "dev");

    public ProbeInfo {
        if (asn == null || asn.isBlank()) asn = "AS0";
        if (cc == null || cc.isBlank()) cc = "ZZ";
        if (networkName == null) networkName = "";
    }
}
