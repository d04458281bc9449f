package org.blockwatch.agent.settings;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.blockwatch.core.dns.DirectDnsClient;
import org.blockwatch.core.dns.DnsInterception;
import org.blockwatch.core.dns.DnsResolver;
import org.blockwatch.core.dns.IdentityQuery;
import org.blockwatch.core.dns.InterceptionCheck;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.dns.ResolverUrl;
import org.blockwatch.core.dns.Resolvers;
import org.blockwatch.core.dns.SystemResolver;
import org.blockwatch.core.dns.UdpResolver;
import org.blockwatch.core.dnscheck.DnsCheck;
import org.blockwatch.core.dnscheck.Interception;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.ip.IpLiteral;
import org.xbill.DNS.ResolverConfig;

/**
 * The DNS side of measuring (issue 31), from the settings: the resolvers every web measurement
 * asks beside the path's ({@code measurement.extra_resolvers}), who each known resolver is
 * ({@code dns.identities}) and what dnscheck asks ({@code tests.dnscheck.domains}). One identity
 * means one thing everywhere: dnscheck's identity query and the web's interception checks find
 * the same pattern in the same {@code id.server CH TXT} answer.
 *
 * @param extraResolvers the extra resolvers, in order
 * @param identities each identity by its resolver's host (an address as {@link InetAddress#getHostAddress()} writes it, or a lower-case name)
 * @param dnscheck what each dnscheck asks
 */
public record Dns(List<ResolverUrl> extraResolvers, Map<String, Pattern> identities, DnsCheck.Settings dnscheck) {
    /** No extra resolver, no identity, dnscheck's default name: what a lab or a test that builds its own parts starts from. */
    public static final Dns NONE = new Dns(List.of(), Map.of(), DnsCheck.Settings.DEFAULT);

    /** Where extra resolvers and dnscheck's bootstrap run their lookups (virtual threads, for the process's life). */
    private static final ExecutorService EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();

    public Dns {
        extraResolvers = List.copyOf(extraResolvers);
        identities = Map.copyOf(identities);
    }

    /**
     * The settings' DNS side.
     *
     * @throws SettingsException naming the key and what is wrong with its value
     */
    public static Dns from(Settings s) {
        List<ResolverUrl> extra = new ArrayList<>();
        for (String url : s.extraResolvers()) extra.add(parse(Keys.EXTRA_RESOLVERS, url));
        for (String url : s.get(Keys.DNSCHECK_RESOLVERS)) parse(Keys.DNSCHECK_RESOLVERS, url);
        Map<String, Pattern> identities = new LinkedHashMap<>();
        for (String entry : s.get(Keys.DNS_IDENTITIES)) {
            String checked;
            try {
                checked = new Kind.HostPattern().parse(entry);
            } catch (IllegalArgumentException e) {
                throw new SettingsException(Keys.DNS_IDENTITIES.name() + ": " + e.getMessage(), e);
            }
            int eq = checked.indexOf('=');
            String host = hostKey(checked.substring(0, eq));
            if (identities.put(host, Pattern.compile(checked.substring(eq + 1))) != null) {
                throw new SettingsException(Keys.DNS_IDENTITIES.name() + ": " + host + " is given twice");
            }
        }
        DnsCheck.Settings dnscheck;
        try {
            dnscheck = new DnsCheck.Settings(s.get(Keys.DNSCHECK_DOMAINS), identities);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(Keys.DNSCHECK_DOMAINS.name() + ": " + String.valueOf(e.getMessage()).replaceFirst("^dnscheck: ", ""), e);
        }
        return new Dns(extra, identities, dnscheck);
    }

    private static ResolverUrl parse(Key<?> key, String url) {
        try {
            return ResolverUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(key.name() + ": " + e.getMessage(), e);
        }
    }

    /** A host as identities are keyed: an address in its canonical text, a name in lower case. */
    static String hostKey(String host) {
        return IpLiteral.parse(host).map(InetAddress::getHostAddress).orElse(host.toLowerCase(Locale.ROOT));
    }

    /**
     * The extra resolvers, built: a URL with a name resolves it with {@code bootstrap} at each
     * lookup (see {@link Resolvers#open}).
     */
    public List<DnsResolver> openExtras(Resolvers.Setup setup, DnsResolver bootstrap) {
        return extraResolvers.stream().map(u -> Resolvers.open(u, setup, bootstrap)).toList();
    }

    /**
     * What resolves a resolver's name (an extra resolver's, a dnscheck resolver's): the engine's
     * resolver when one is set (then the system's is never asked, as {@code measurement.resolver}
     * promises), else the system's.
     */
    public static DnsResolver bootstrap(EngineConfig engine) {
        if (engine.resolver() == null) return new SystemResolver();
        return new UdpResolver(new DirectDnsClient(engine.resolver(), engine.dnsLateWindow()), EXECUTOR);
    }

    /** The setup extra resolvers are built with, for an engine of {@code engine} whose chains end in {@code trust}. */
    public static Resolvers.Setup setup(EngineConfig engine, org.blockwatch.core.tls.TrustRoots trust) {
        return new Resolvers.Setup(engine.sockets(), new org.blockwatch.core.tls.TlsClient(trust), EXECUTOR, engine.dnsLateWindow());
    }

    /**
     * The interception checks of the plain-DNS resolvers a web measurement asks whose host has an
     * identity: the path's direct one ({@code path}, {@code measurement.resolver}; without it the
     * system's first nameserver, which the engine asks directly too) over UDP, and each
     * {@code udp://} or {@code tcp://} extra resolver given by address. None: {@link DnsInterception#none()}.
     * One instance is shared by every engine of the process (it caches each check for five minutes).
     */
    public DnsInterception interception(ResolverAddress path, Duration timeout) {
        List<InterceptionCheck> checks = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ResolverAddress direct = path != null ? path : systemNameserver();
        if (direct != null) add(checks, seen, InterceptionCheck.udp(direct));
        for (ResolverUrl u : extraResolvers) {
            if (u.address().isEmpty() || u.protocol().encrypted()) continue;
            ResolverAddress a = new ResolverAddress(new InetSocketAddress(u.address().get(), u.port()));
            add(checks, seen, u.protocol() == ResolverUrl.Protocol.TCP ? InterceptionCheck.tcp(a) : InterceptionCheck.udp(a));
        }
        return checks.isEmpty() ? DnsInterception.none() : new DnsInterception(checks, timeout);
    }

    private void add(List<InterceptionCheck> checks, Set<String> seen, InterceptionCheck check) {
        Pattern identity = identities.get(hostKey(check.resolver().socketAddress().getAddress().getHostAddress()));
        if (identity == null || !seen.add(check.engine() + " " + check.address())) return;
        checks.add(check.withIdentity(IdentityQuery.chaos(Interception.IDENTITY_NAME, identity.pattern())));
    }

    private static ResolverAddress systemNameserver() {
        List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
        return servers.isEmpty() ? null : new ResolverAddress(servers.getFirst());
    }
}
