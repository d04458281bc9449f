package org.blockwatch.agent.settings;

import java.util.ArrayList;
import java.util.List;
import org.blockwatch.agent.targets.Target;
import org.blockwatch.core.dns.ResolverUrl;
import org.blockwatch.core.dnscheck.DnsCheck;
import org.blockwatch.core.stun.StunEndpoint;
import org.blockwatch.core.stun.StunReachability;
import org.blockwatch.core.webconnectivity.WebConnectivity;

/**
 * The configuration's {@code tests} section turned into targets: the target lists' pages when
 * {@code web_connectivity} is on, and each other kind's configured inputs, each a target of its
 * own (its input is its {@code target} label in the store and the metrics). An input is checked
 * here, when the configuration is read, by the kind that will measure it. Each app enabled
 * ({@code facebook_messenger}, {@code telegram}, {@code whatsapp}, {@code signal}) is one target
 * without input, labelled with its test name: its endpoints are its configuration. With
 * {@code dnscheck} each resolver of {@code tests.dnscheck.resolvers} is a target, its URL its input.
 */
public final class Tests {
    /** Citizen Lab's category for communication tools: STUN servers are what calls need. */
    static final String STUN_CATEGORY = "COMT";

    /** The apps' category: messengers are communication tools too. */
    static final String APP_CATEGORY = "COMT";

    /**
     * The resolvers' category (dnscheck): Citizen Lab's own for these very services. Its global
     * list files the public DNS-over-HTTPS endpoints (cloudflare-dns.com, dns.quad9.net, 1.1.1.1,
     * 9.9.9.9, dns.adguard.com, dns.google) under HOST, "Hosting and Blogging Platforms"; so do we,
     * so that a dashboard's category puts a resolver beside its own URL in the lists. (ANON,
     * circumvention tools, says why people use them, but is not where the lists put them.)
     */
    static final String RESOLVER_CATEGORY = "HOST";
    static final String RESOLVER_CATEGORY_DESCRIPTION = "Hosting and Blogging Platforms";

    private Tests() {}

    /** @throws SettingsException naming the key and the input that is not valid */
    public static List<Target> targets(Settings s, List<Target> listed) {
        List<String> enabled = s.get(Keys.TESTS_ENABLED);
        List<Target> out = new ArrayList<>();
        if (enabled.contains(WebConnectivity.TEST_NAME)) out.addAll(listed);
        if (enabled.contains(StunReachability.TEST_NAME)) {
            for (String input : s.get(Keys.STUN_INPUTS)) {
                try {
                    StunEndpoint.parse(input);
                } catch (IllegalArgumentException e) {
                    throw new SettingsException(Keys.STUN_INPUTS.name() + ": " + e.getMessage());
                }
                out.add(new Target(StunReachability.TEST_NAME, input, STUN_CATEGORY, "Communication Tools", Keys.STUN_INPUTS.name(), false));
            }
        }
        // The resolvers: each one target, its input its URL (checked when the file loaded, and again here).
        if (enabled.contains(DnsCheck.TEST_NAME)) {
            for (String input : s.get(Keys.DNSCHECK_RESOLVERS)) {
                try {
                    ResolverUrl.parse(input);
                } catch (IllegalArgumentException e) {
                    throw new SettingsException(Keys.DNSCHECK_RESOLVERS.name() + ": " + e.getMessage());
                }
                out.add(new Target(DnsCheck.TEST_NAME, input, RESOLVER_CATEGORY, RESOLVER_CATEGORY_DESCRIPTION, Keys.DNSCHECK_RESOLVERS.name(), false));
            }
        }
        // The apps: each one target, named by its test name (its input is empty: its endpoints are its configuration).
        for (String app : Apps.TEST_NAMES) {
            if (enabled.contains(app)) out.add(new Target(app, "", APP_CATEGORY, "Communication Tools", Keys.TESTS_ENABLED.name(), false));
        }
        return out;
    }
}
