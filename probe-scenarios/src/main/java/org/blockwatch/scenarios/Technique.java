package org.blockwatch.scenarios;

/** What the simulated censor (or the world) does to one site, as a volunteer would read it. */
public enum Technique {
    NOTHING("nothing"),
    DNS_LOCALHOST("the ISP's resolver answers 127.0.0.1"),
    DNS_NXDOMAIN("the ISP's resolver answers NXDOMAIN"),
    DNS_INJECTION("a forged DNS answer races the resolver's"),
    TCP_DROP("drops the connection attempts (SYN)"),
    TLS_RESET("resets the TLS handshake after the ClientHello"),
    TLS_STALL("stalls the TLS handshake"),
    /** Not in the demo's table (one measurement of it has no single right method): the agent's confirmation is tested on it. */
    FLAKY_DROP_THEN_RESET("drops the connection one time and resets the TLS handshake the next: a flaky or layered censor"),
    TLS_ROGUE_ROOT("intercepts TLS with a rogue root"),
    TLS_GOVERNMENT_ROOT("intercepts TLS with a root named like Kazakhstan's (Qaznet Trust Network)"),
    BLOCKPAGE("serves a blockpage instead of the page"),
    BLOCKPAGE_VALID_TLS("serves a blockpage over valid HTTPS (the site's own certificate)"),
    BLOCKPAGE_SHARED_HEADERS("serves a blockpage with the same header names as the site"),
    THROTTLE("throttles the site to about 100 kbit/s"),
    THROTTLE_BY_SNI("throttles connections that name the site (SNI) to about 10 kbit/s; other names pass at full speed"),
    DOWN_REFUSED("nothing: the site is down for everyone (connection refused)"),
    DOWN_NXDOMAIN("nothing: the name does not exist anywhere (NXDOMAIN)");

    private final String description;

    Technique(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
