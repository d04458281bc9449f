package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One answer record: an address ({@code ipv4}/{@code ipv6}) or a CNAME ({@code hostname}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DnsAnswer(String answerType, String ipv4, String ipv6, String hostname, Long ttl) {
    public static DnsAnswer a(String ip, Long ttl) { return new DnsAnswer("A", ip, null, null, ttl); }
    public static DnsAnswer aaaa(String ip, Long ttl) { return new DnsAnswer("AAAA", null, ip, null, ttl); }
    public static DnsAnswer cname(String target, Long ttl) { return new DnsAnswer("CNAME", null, null, target, ttl); }

    /** The address this answer carries, or null for a CNAME. */
    public String address() {
        return ipv4 != null ? ipv4 : ipv6;
    }
}
