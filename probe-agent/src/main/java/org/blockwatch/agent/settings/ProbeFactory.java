package org.blockwatch.agent.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.dns.Resolvers;
import org.blockwatch.core.dnscheck.DnsCheck;
import org.blockwatch.core.dnscheck.DnsCheckControl;
import org.blockwatch.core.dnscheck.HelperDnsCheckControl;
import org.blockwatch.core.portfiltering.PortFiltering;
import org.blockwatch.core.tls.TlsClient;
import org.blockwatch.core.locate.Locator;
import org.xbill.DNS.SimpleResolver;
import org.blockwatch.agent.push.RemoteWriter;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.engine.WebEngine;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.step.StepListener;
import org.blockwatch.core.step.Timeouts;
import org.blockwatch.core.apps.AppControl;
import org.blockwatch.core.nettest.Nettests;
import org.blockwatch.core.stun.HelperStunControl;
import org.blockwatch.core.stun.StunControl;
import org.blockwatch.core.stun.StunReachability;
import org.blockwatch.core.webconnectivity.WebConnectivity;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Analyzer;

/**
 * The one place that turns settings into the parts of a measurement: the engine's configuration,
 * the trust roots (built once, shared by the engine and the control client), the control client
 * and the analyzer.
 */
public final class ProbeFactory {
    private ProbeFactory() {}

    /**
     * What measuring needs; {@code control} null means no control. {@code dns}: what dnscheck asks
     * (the engine's extra resolvers and interception checks are in {@code engine} already);
     * {@code ports}: the channels portfiltering tries.
     */
    public record Parts(EngineConfig engine, TrustRoots trust, ControlClient control, Analyzer analyzer, Apps apps, Dns dns, PortFiltering.Ports ports) {
        public Parts(EngineConfig engine, TrustRoots trust, ControlClient control, Analyzer analyzer) {
            this(engine, trust, control, analyzer, Apps.DEFAULT);
        }

        /** Parts a lab, the demo or a test builds itself: no extra resolver, no identity (see {@link Dns#NONE}). */
        public Parts(EngineConfig engine, TrustRoots trust, ControlClient control, Analyzer analyzer, Apps apps) {
            this(engine, trust, control, analyzer, apps, Dns.NONE);
        }

        /** The same with these DNS settings, and portfiltering's default ports. */
        public Parts(EngineConfig engine, TrustRoots trust, ControlClient control, Analyzer analyzer, Apps apps, Dns dns) {
            this(engine, trust, control, analyzer, apps, dns, PortFiltering.Ports.DEFAULT);
        }

        /**
         * The kinds of measurement, Web Connectivity on {@code engine} (which the caller closes),
         * the others observed by {@code listener}: the one registry a command measures with.
         */
        public Nettests nettests(WebEngine engine, StepListener listener) {
            return nettests(engine, listener, null);
        }

        /** The same, STUN requests sent from {@code stunSource} (null: the system's choice; a simulated world's probe address). */
        public Nettests nettests(WebEngine engine, StepListener listener, java.net.InetAddress stunSource) {
            StunControl stun = control == null ? StunControl.NONE : new HelperStunControl(control);
            List<org.blockwatch.core.nettest.Nettest> kinds = new ArrayList<>();
            kinds.add(test(engine));
            kinds.add(new StunReachability(engine.config().stepTimeout(), listener, stun, stunSource));
            kinds.addAll(apps.kinds(engine.steps(), new AppControl(control, listener)));
            // dnscheck: the engine's sockets and executor, these parts' roots; a resolver's name resolved as the engine resolves.
            Resolvers.Setup setup = new Resolvers.Setup(engine.config().sockets(), new TlsClient(trust), engine.steps().executor(),
                    engine.config().dnsLateWindow());
            kinds.add(new DnsCheck(setup, engine.config().stepTimeout(), listener, control == null ? DnsCheckControl.NONE
                    : new HelperDnsCheckControl(control), Dns.bootstrap(engine.config()), dns.dnscheck()));
            // portfiltering: the engine's steps (its resolver for the helper's name, its sockets); datagrams from where STUN's go.
            kinds.add(new PortFiltering(engine.steps(), ports, stunSource));
            return Nettests.of(kinds);
        }

        /** A new engine with these parts' trust roots; the caller closes it. */
        public WebEngine newEngine() {
            return new WebEngine(engine, trust);
        }

        /** A new engine whose steps {@code listener} observes; the caller closes it. */
        public WebEngine newEngine(StepListener listener) {
            return new WebEngine(engine.withListener(listener), trust);
        }

        /** The same, keeping at most {@code bodyLimit} bytes of each page (a fast tier's engine). */
        public WebEngine newEngine(StepListener listener, long bodyLimit) {
            return new WebEngine(engine.withListener(listener).withBodyLimit(bodyLimit), trust);
        }

        public WebConnectivity test(WebEngine engine) {
            return new WebConnectivity(engine, control, analyzer);
        }
    }

    public static Parts probe(Settings s) {
        EngineConfig base = EngineConfig.defaults().toBuilder()
                .resolver(s.get(Keys.RESOLVER))
                .stepTimeout(s.get(Keys.TIMEOUT))
                .bodyLimit(s.get(Keys.BODY_LIMIT))
                .parallelism(s.get(Keys.PARALLEL))
                .extraRoots(roots(s.get(Keys.TRUST_CA)))
                .build();
        TrustRoots trust = TrustRoots.jdkPlus(base.extraRoots());
        Dns dns = Dns.from(s);
        // One set of interception checks for every engine made from these parts (a full sweep's and the fast tier's).
        EngineConfig engine = base.toBuilder()
                .extraResolvers(dns.openExtras(Dns.setup(base, trust), Dns.bootstrap(base)))
                .interception(dns.interception(base.resolver(), base.stepTimeout()))
                .build();
        return new Parts(engine, trust, control(s, trust), Analyzer.standard(bogons(s)), Apps.from(s), dns, s.portFilteringPorts());
    }

    /** The control client of the settings, or null when no helper is to be asked. */
    static ControlClient control(Settings s, TrustRoots trust) {
        List<String> helpers = s.controlHelpers();
        if (helpers.isEmpty()) return null;
        // The configured step timeout sets the control's too (Timeouts: at least OONI's 15 s a helper).
        Duration step = s.get(Keys.TIMEOUT);
        return new ControlClient(helpers, Timeouts.controlPerHelper(step), Timeouts.controlTotal(step), trust,
                token(s.get(Keys.CONTROL_TOKEN_FILE), Keys.CONTROL_TOKEN_FILE));
    }

    /** The bogons of the analysis: OONI's, less the ranges a lab declares public. */
    public static Bogons bogons(Settings s) {
        return new Bogons(s.get(Keys.PUBLIC_RANGES).stream().map(AddressRange::parse).toList());
    }

    /**
     * What the probe says of itself before (or without) a lookup: the network as its volunteer
     * stated it; {@code auto} is OONI's AS0 and ZZ until looked up.
     */
    public static ProbeInfo probeInfo(Settings s, String version) {
        return new ProbeInfo(stated(s.get(Keys.ASN)), stated(s.get(Keys.COUNTRY)), s.get(Keys.NETWORK_NAME), "blockwatch", version);
    }

    /** A stated value, or null for {@code auto}. */
    public static String stated(String value) {
        return value == null || Kind.AutoOr.AUTO.equals(value) ? null : value;
    }

    /**
     * What looks the probe's network up, or null when the volunteer stated both the AS and the
     * country (then nothing at all is looked up). DNS lookups go to the measurement's resolver,
     * or the system's.
     */
    public static Locator locator(Settings s) {
        if (stated(s.get(Keys.ASN)) != null && stated(s.get(Keys.COUNTRY)) != null) return null;
        Duration timeout = s.get(Keys.TIMEOUT).compareTo(LOOKUP_TIMEOUT) < 0 ? s.get(Keys.TIMEOUT) : LOOKUP_TIMEOUT;
        return new Locator(new Locator.Sources(s.get(Keys.STUN_SERVERS), s.get(Keys.ADDRESS_URLS), s.get(Keys.ASN_ZONE), s.get(Keys.WHOAMI),
                () -> lookupResolver(s), timeout));
    }

    /**
     * Remote write's settings, or null without {@code metrics.remote_write.url}. The probe's name
     * is the configured one, or a random one made once and kept in {@code nameFile} (never the
     * host's name or address).
     */
    public static RemoteWriter.Config remoteWrite(Settings s, Path nameFile, String version) {
        String url = s.get(Keys.REMOTE_WRITE_URL);
        if (url == null) return null;
        String token = token(s.get(Keys.REMOTE_WRITE_TOKEN_FILE), Keys.REMOTE_WRITE_TOKEN_FILE);
        String user = s.get(Keys.REMOTE_WRITE_USERNAME);
        String password = token(s.get(Keys.REMOTE_WRITE_PASSWORD_FILE), Keys.REMOTE_WRITE_PASSWORD_FILE);
        if (token != null && (user != null || password != null)) {
            throw new SettingsException(Keys.REMOTE_WRITE_TOKEN_FILE.name() + " and " + Keys.REMOTE_WRITE_USERNAME.name()
                    + ": give a bearer token or a user name and password, not both");
        }
        if ((user == null) != (password == null)) {
            throw new SettingsException(Keys.REMOTE_WRITE_USERNAME.name() + " and " + Keys.REMOTE_WRITE_PASSWORD_FILE.name() + ": give both or neither");
        }
        String authorization = token != null ? "Bearer " + token
                : user != null ? "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                : null;
        String probe = s.get(Keys.REMOTE_WRITE_PROBE) != null ? s.get(Keys.REMOTE_WRITE_PROBE) : probeName(nameFile);
        return new RemoteWriter.Config(java.net.URI.create(url), authorization, s.get(Keys.REMOTE_WRITE_INTERVAL), probe, "blockwatch/" + version);
    }

    /**
     * A random probe name, made once and kept in {@code file}. A file there that does not hold a
     * name is an error naming it, never replaced: the probe's series would change their
     * {@code instance} silently.
     */
    static String probeName(Path file) {
        try {
            if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(file)) {
                String name;
                try {
                    name = Files.readString(file).strip();
                } catch (java.nio.charset.MalformedInputException e) {
                    throw damagedName(file, "is not UTF-8 text");
                } catch (IOException e) {
                    throw damagedName(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
                }
                if (name.matches("[A-Za-z0-9._-]{1,64}")) return name;
                throw damagedName(file, "does not hold a probe name (letters, digits, '.', '_', '-', 1 to 64)");
            }
            String name = String.format("probe-%08x", new java.security.SecureRandom().nextInt());
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, name + "\n");
            return name;
        } catch (IOException e) {
            throw new SettingsException(file + ": cannot keep the probe's name (" + e.getClass().getSimpleName() + "); set metrics.remote_write.probe");
        }
    }

    private static SettingsException damagedName(Path file, String what) {
        return new SettingsException(file + ": the probe's name file " + what + "; correct it, remove it (a new name is made), or set "
                + Keys.REMOTE_WRITE_PROBE.name());
    }

    /** A resolver for lookups of the probe's own network or a client's AS: the configured one, or the system's. */
    public static SimpleResolver lookupResolver(Settings s) throws java.net.UnknownHostException {
        ResolverAddress resolver = s.get(Keys.RESOLVER);
        return resolver == null ? new SimpleResolver() : new SimpleResolver(resolver.socketAddress());
    }

    /** Each lookup (a STUN request, a DNS query, the HTTPS fallback) waits at most this long. */
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(3);

    /** The certificates of every PEM file; a file that cannot be read is named. */
    public static List<X509Certificate> roots(List<Path> files) {
        List<X509Certificate> roots = new ArrayList<>();
        for (Path pem : files) {
            try {
                roots.addAll(TrustRoots.readCertificates(pem));
            } catch (IOException e) {
                throw new SettingsException(where(Keys.TRUST_CA) + ": " + e.getMessage(), e);
            }
        }
        return roots;
    }

    /** The first line of a token file, or null without one. */
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    public static String token(Path file, Key<Path> key) {
        if (file == null) return null;
        try {
            String token = Files.readAllLines(file).stream().findFirst().orElse("").strip();
            if (token.isEmpty()) throw new SettingsException(where(key) + ": " + file + ": the first line is empty");
            // RFC 6750's token characters: anything else could not travel in an HTTP header as written.
            if (!TOKEN.matcher(token).matches()) {
                throw new SettingsException(where(key) + ": " + file + ": a bearer token is made of letters A-Z and a-z, digits and - . _ ~ + / "
                        + "(then = at the end); this one has other characters (a space, a non-ASCII letter?)");
            }
            return token;
        } catch (IOException e) {
            throw new SettingsException(where(key) + ": " + file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String where(Key<?> key) {
        return key.option() != null ? key.option() : key.name();
    }
}
