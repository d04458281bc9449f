package org.blockwatch.scenarios;

import static org.blockwatch.scenarios.Scenario.Expected.of;

import java.util.List;
import org.blockwatch.core.verdict.Verdict.Flag;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/**
 * The one table of the censored world: what the censor does to each site and the verdict the
 * probe must reach. The demo prints it, the verdict scenario tests assert it, and the agent's
 * tests measure the same world.
 */
public final class Scenarios {
    /** The blockpage the world's censor serves: Kyrgyzstan's (ElCat) text, a known OONI fingerprint. */
    public static final String BLOCKPAGE_FLAG = Flag.blockpage("cp.c_isp_kg_elcat");

    public static final List<Scenario> ALL = List.of(
            new Scenario("news.example", true, Technique.NOTHING, of(Status.ACCESSIBLE, null), of(Status.ACCESSIBLE, null)),
            new Scenario("plain.example", false, Technique.NOTHING, of(Status.ACCESSIBLE, null), of(Status.INCONCLUSIVE, null)),
            new Scenario("localhost.example", false, Technique.DNS_LOCALHOST, of(Status.BLOCKED, Method.DNS, Flag.DNS_BOGON.label()), null),
            new Scenario("nxdomain.example", false, Technique.DNS_NXDOMAIN, of(Status.BLOCKED, Method.DNS), null),
            new Scenario("injected.example", false, Technique.DNS_INJECTION, of(Status.BLOCKED, Method.DNS, Flag.DNS_INJECTED.label()), null),
            new Scenario("dropped.example", false, Technique.TCP_DROP, of(Status.BLOCKED, Method.TCP_IP), null),
            new Scenario("reset.example", true, Technique.TLS_RESET, of(Status.BLOCKED, Method.TLS), of(Status.INCONCLUSIVE, null)),
            new Scenario("stall.example", true, Technique.TLS_STALL, of(Status.BLOCKED, Method.TLS), null),
            new Scenario("mitm.example", true, Technique.TLS_ROGUE_ROOT, of(Status.BLOCKED, Method.TLS, Flag.TLS_MITM.label()), null),
            new Scenario("qaznet.example", true, Technique.TLS_GOVERNMENT_ROOT,
                    of(Status.BLOCKED, Method.TLS, Flag.TLS_MITM.label(), Flag.TLS_MITM_GOVERNMENT_ROOT.label()),
                    of(Status.BLOCKED, Method.TLS, Flag.TLS_MITM_GOVERNMENT_ROOT.label())),
            new Scenario("blockpage.example", false, Technique.BLOCKPAGE, of(Status.BLOCKED, Method.HTTP_DIFF, BLOCKPAGE_FLAG),
                    of(Status.BLOCKED, Method.HTTP_DIFF, BLOCKPAGE_FLAG)),
            new Scenario("denied.example", true, Technique.BLOCKPAGE_VALID_TLS, of(Status.BLOCKED, Method.HTTP_DIFF), null),
            // Held to about 100 kbit/s, the page does not arrive within the probe's time while the control gets it whole.
            new Scenario("throttled.example", false, Technique.THROTTLE, of(Status.BLOCKED, Method.HTTP_FAILURE, Flag.THROTTLED.label()), null),
            // The probe compares its own handshakes: another name on the same address is fast. No control needed.
            new Scenario("sni-throttled.example", true, Technique.THROTTLE_BY_SNI, of(Status.BLOCKED, Method.THROTTLING, Flag.THROTTLED.label()),
                    of(Status.BLOCKED, Method.THROTTLING, Flag.THROTTLED.label())),
            new Scenario("shared-headers.example", false, Technique.BLOCKPAGE_SHARED_HEADERS, of(Status.BLOCKED, Method.HTTP_DIFF, BLOCKPAGE_FLAG),
                    null),
            new Scenario("down.example", false, Technique.DOWN_REFUSED, of(Status.DOWN, null), null),
            new Scenario("gone.example", false, Technique.DOWN_NXDOMAIN, of(Status.DOWN, null), null));

    /**
     * The apps of the world, one of each kind the probe measures without input, in OONI's "im"
     * suite's order. Their servers are on the world's public addresses, the control reaches them
     * all; the censor acts on the probe's path and resolver only.
     */
    public static final List<AppScenario> APPS = List.of(
            // The ISP's resolver answers Messenger's names with its own server's address; the control's honest one gives Facebook's.
            new AppScenario("facebook_messenger", "the ISP's resolver answers its names with an address outside Facebook's",
                    of(Status.BLOCKED, Method.DNS), of(Status.INCONCLUSIVE, null)),
            new AppScenario("telegram", "resets connections to its data centres (ports 80 and 443)", of(Status.BLOCKED, Method.TCP_IP),
                    of(Status.INCONCLUSIVE, null)),
            // OONI's rule: the app finds an endpoint that works, so port 443 alone blocked is no block of WhatsApp.
            new AppScenario("whatsapp", "resets port 443 of every endpoint; port 5222 passes", of(Status.ACCESSIBLE, null),
                    of(Status.ACCESSIBLE, null)),
            // A chain to a root that is not Signal's is evidence in itself: no control needed.
            new AppScenario("signal", "intercepts its services' TLS with a root named like Kazakhstan's (Qaznet Trust Network)",
                    of(Status.BLOCKED, Method.TLS, Flag.TLS_MITM.label(), Flag.TLS_MITM_GOVERNMENT_ROOT.label()),
                    of(Status.BLOCKED, Method.TLS, Flag.TLS_MITM.label(), Flag.TLS_MITM_GOVERNMENT_ROOT.label())));

    private Scenarios() {}
}
