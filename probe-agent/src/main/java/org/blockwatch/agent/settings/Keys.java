package org.blockwatch.agent.settings;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.blockwatch.agent.export.Exporter;
import org.blockwatch.agent.store.NetworkState;
import org.blockwatch.core.verdict.Verdict.Status;
import java.util.regex.Pattern;
import org.blockwatch.core.control.OoniHelpers;
import org.blockwatch.core.dns.ResolverAddress;
import org.blockwatch.core.engine.EngineConfig;
import org.blockwatch.core.messenger.FacebookMessenger;
import org.blockwatch.core.portfiltering.PortFiltering;
import org.blockwatch.core.signal.Signal;
import org.blockwatch.core.telegram.Telegram;
import org.blockwatch.core.whatsapp.WhatsApp;

/**
 * The table of every setting: name, option, kind and range, default, example and meaning. The
 * only place ranges live; the configuration file, every command's options and their help are
 * made from it.
 */
public final class Keys {
    private Keys() {}

    private static final Kind.Time STEP_TIMEOUT = new Kind.Time(Duration.ofMillis(100), Duration.ofMinutes(5));
    private static final Kind.Text CATEGORY = new Kind.Text(Pattern.compile("[A-Z][A-Z0-9_]*"), "a category code (e.g. NEWS)", true);
    private static final Kind.Switch SWITCH = new Kind.Switch();
    private static final Kind.File FILE = new Kind.File();

    // The agent's configuration file.
    public static final Key<Boolean> CONSENT = new Key<>("consent", null, null, SWITCH, false, true, false, "true",
            "Set to true once you have read 'blockwatch consent'.");
    public static final Key<List<String>> TARGET_LISTS = new Key<>("targets.lists", null, "LIST", Kind.Text.any(), true, true,
            List.of("builtin:kz", "builtin:global"), "lists/kz.csv", "Citizen Lab CSV files, or the built-in lists builtin:kz, builtin:global (curated), builtin:citizenlab-kz, builtin:citizenlab-global (Citizen Lab's, whole).");
    public static final Key<List<String>> TESTS_ENABLED = new Key<>("tests.enabled", null, "TEST",
            new Kind.Choice(List.of("web_connectivity", "stunreachability", "facebook_messenger", "telegram", "whatsapp", "signal", "dnscheck",
                    "portfiltering")),
            true, true, List.of("web_connectivity", "facebook_messenger", "telegram", "whatsapp", "signal", "dnscheck"),
            "stunreachability", "The kinds of measurement run (OONI's test names): web_connectivity, the target lists' "
                    + "pages; facebook_messenger, telegram, whatsapp, signal, the apps (each its endpoints below; leave one out to turn it off); "
                    + "dnscheck, the resolvers of tests.dnscheck.resolvers; portfiltering (add it, with tests.portfiltering.helper), "
                    + "which ways out reach the helper; "
                    + "stunreachability (add it to turn it on), the STUN servers of tests.stunreachability.inputs.");
    public static final Key<List<String>> STUN_INPUTS = new Key<>("tests.stunreachability.inputs", null, "URL",
            new Kind.Text(java.util.regex.Pattern.compile("stun://\\S+"), "a stun://HOST:PORT URL", false), true, true,
            List.of("stun://stun.l.google.com:19302", "stun://stun.cloudflare.com:3478"), "stun://stun.example.org:3478",
            "STUN servers whose binding stunreachability measures (one UDP request each, sent again up to three times).");

    // DNS (issue 31): the resolvers dnscheck measures, those every web measurement asks beside the path's, and who each is.
    private static final Kind.ResolverLink RESOLVER_URL = new Kind.ResolverLink();
    public static final Key<List<String>> DNSCHECK_RESOLVERS = new Key<>("tests.dnscheck.resolvers", null, "URL", RESOLVER_URL, true, true,
            List.of("udp://8.8.8.8", "dot://dns.google?default_addrs=8.8.8.8,8.8.4.4", "https://dns.google/dns-query?default_addrs=8.8.8.8,8.8.4.4",
                    "udp://1.1.1.1", "dot://one.one.one.one?default_addrs=1.1.1.1,1.0.0.1",
                    "https://cloudflare-dns.com/dns-query?default_addrs=1.1.1.1,1.0.0.1",
                    "udp://9.9.9.9", "dot://dns.quad9.net?default_addrs=9.9.9.9,149.112.112.112",
                    "https://dns.quad9.net/dns-query?default_addrs=9.9.9.9,149.112.112.112",
                    "udp://77.88.8.8", "dot://common.dot.dns.yandex.net", "https://common.dot.dns.yandex.net/dns-query",
                    "udp://94.140.14.14", "dot://dns.adguard-dns.com", "https://dns.adguard-dns.com/dns-query"),
            "udp://127.0.0.1:5353", "The resolvers dnscheck measures, each a target of its own: udp://IP[:PORT], tcp://IP[:PORT] (plain DNS), "
                    + "dot://HOST[:PORT] (DNS over TLS), https://HOST/PATH (DNS over HTTPS); options ?tls_server_name=NAME and "
                    + "default_addrs=IP,IP (addresses measured besides the bootstrap's, or when the system's resolver refuses the name).");
    public static final Key<List<String>> DNSCHECK_DOMAINS = new Key<>("tests.dnscheck.domains", null, "HOST",
            new Kind.Text(Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?"), "a host name (e.g. example.org)", false), true, true,
            List.of("example.org"), "example.com", "The names each dnscheck resolver is asked for (A and AAAA), at most 4; the first is OONI's domain.");
    public static final Key<List<String>> EXTRA_RESOLVERS = new Key<>("measurement.extra_resolvers", "--extra-resolver", "URL", RESOLVER_URL, true,
            true, List.of("https://cloudflare-dns.com/dns-query"), "udp://127.0.0.1:5353",
            "Resolvers asked beside the system's (or --resolver's) in every web measurement, as evidence (never fetched from): an encrypted "
                    + "one's answer, which no one on the path can forge, confirms a DNS block. A name is resolved by --resolver, else the "
                    + "system's resolver. Same URLs as tests.dnscheck.resolvers.");
    public static final Key<Boolean> NO_EXTRA_RESOLVERS = new Key<>("measurement.no_extra_resolvers", "--no-extra-resolvers", null, SWITCH, false,
            false, false, "true", "Ask no extra resolver (measurement.extra_resolvers: [] in the configuration file).");
    public static final Key<List<String>> DNS_IDENTITIES = new Key<>("dns.identities", null, "HOST=REGEX", new Kind.HostPattern(), true, true,
            List.of("1.1.1.1=^[A-Z]{3}$", "1.0.0.1=^[A-Z]{3}$", "9.9.9.9=\\.pch\\.net$"), "127.0.0.1=^lab-resolver$",
            "Who a resolver is: the regular expression found in its honest answer to 'id.server CH TXT', by its host (an address, or the "
                    + "name in its URL). Asked by dnscheck, and beside every web measurement of a plain-DNS resolver it asks (--resolver, "
                    + "the system's nameserver, udp:// and tcp:// extra resolvers): another answer means someone else answers in its name.");

    // Port filtering (issue 31): which ways out reach a helper of one's own (control-server --ports-tcp ... --ports-udp ...).
    private static final Kind.Count PORT = new Kind.Count(1, 65_535);
    public static final Key<String> PORTFILTERING_HELPER = new Key<>("tests.portfiltering.helper", null, "HOST", new Kind.PortFilterHelper(), false,
            true, null, "ports.example.org", "The port-filtering helper (a host, or portfilter://HOST): a control-server with --ports-tcp and "
                    + "--ports-udp, run outside the country; none: portfiltering cannot run (it must also be in tests.enabled).");
    public static final Key<List<Integer>> PORTFILTERING_TCP_PORTS = new Key<>("tests.portfiltering.tcp_ports", null, "PORT", PORT, true, true,
            PortFiltering.Ports.DEFAULT.tcp(), "3785", "TCP ports connected to (each with the helper's line exchange).");
    public static final Key<List<Integer>> PORTFILTERING_DNS_PORTS = new Key<>("tests.portfiltering.dns_ports", null, "PORT", PORT, true, true,
            PortFiltering.Ports.DEFAULT.dns(), "5353", "UDP ports sent a DNS query (the helper's own name).");
    public static final Key<List<Integer>> PORTFILTERING_QUIC_PORTS = new Key<>("tests.portfiltering.quic_ports", null, "PORT", PORT, true, true,
            PortFiltering.Ports.DEFAULT.quic(), "8443", "UDP ports sent a QUIC Initial (answered by a Version Negotiation).");
    public static final Key<Duration> PORTFILTERING_INTERVAL = new Key<>("tests.portfiltering.interval", null, "DURATION",
            new Kind.Time(Duration.ofMinutes(10), Duration.ofDays(7)), false, true, Duration.ofHours(6), "1h",
            "How often the helper is checked while the network is online; it is checked after every sweep that finds the network "
                    + "restricted, and after one that finds it changed.");

    // The apps' endpoints (issue 30): the OONI specs' by default; a lab points them at its own servers.
    private static final Kind.Text HOST_NAME = new Kind.Text(Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?"), "a host name (e.g. e1.whatsapp.net)", false);
    public static final Key<List<String>> TELEGRAM_DATACENTERS = new Key<>("tests.telegram.datacenters", null, "IP", new Kind.Ip(), true, true,
            Telegram.Endpoints.DEFAULT.datacenters(), "127.0.0.1",
            "Telegram's data centres (IP addresses), each connected on 80 and 443 and sent an empty HTTP POST.");
    public static final Key<String> TELEGRAM_WEB = new Key<>("tests.telegram.web", null, "URL", new Kind.Https(), false, true,
            Telegram.Endpoints.DEFAULT.web(), "https://web.telegram.example/", "Telegram's web client, fetched over HTTPS.");
    public static final Key<List<String>> WHATSAPP_ENDPOINTS = new Key<>("tests.whatsapp.endpoints", null, "HOST", HOST_NAME, true, true,
            WhatsApp.Endpoints.DEFAULT.endpoints(), "e1.whatsapp.example",
            "WhatsApp's endpoints (host names), each resolved and connected on 443 and 5222.");
    public static final Key<String> WHATSAPP_REGISTRATION = new Key<>("tests.whatsapp.registration", null, "URL", new Kind.Https(), false, true,
            WhatsApp.Endpoints.DEFAULT.registration(), "https://v.whatsapp.example/v2/register", "WhatsApp's registration service, fetched over HTTPS.");
    public static final Key<String> WHATSAPP_WEB = new Key<>("tests.whatsapp.web", null, "URL", new Kind.Https(), false, true,
            WhatsApp.Endpoints.DEFAULT.web(), "https://web.whatsapp.example/", "WhatsApp Web, fetched over HTTPS.");
    public static final Key<List<String>> SIGNAL_SERVICES = new Key<>("tests.signal.services", null, "URL", new Kind.Https(), true, true,
            Signal.Endpoints.DEFAULT.services(), "https://chat.signal.example/",
            "Signal's services, each fetched over HTTPS, its chain ending in one of tests.signal.roots (or a public root).");
    public static final Key<String> SIGNAL_UPTIME = new Key<>("tests.signal.uptime", null, "HOST", HOST_NAME, false, true,
            Signal.Endpoints.DEFAULT.uptime(), "uptime.signal.example", "The name Signal announces outages under: looked up, recorded, not judged.");
    public static final Key<List<Path>> SIGNAL_ROOTS = new Key<>("tests.signal.roots", null, "PEM", FILE, true, true, List.of(), "signal-lab-root.pem",
            "The roots Signal's services must chain to (PEM files); empty: Signal's own roots, bundled.");
    public static final Key<List<String>> MESSENGER_SERVICES = new Key<>("tests.facebook_messenger.services", null, "KEY=HOST",
            new Kind.Text(Pattern.compile("[a-z][a-z0-9_]*=[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?"), "key=host (e.g. b_api=b-api.facebook.com)", false),
            true, true, FacebookMessenger.Endpoints.DEFAULT.services().stream().map(x -> x.key() + "=" + x.host()).toList(), "b_api=b-api.facebook.example",
            "Messenger's services, as OONI's key and the host resolved (and connected on 443; the one keyed stun only resolved).");
    public static final Key<List<String>> MESSENGER_ADDRESS_SPACE = new Key<>("tests.facebook_messenger.address_space", null, "CIDR", new Kind.Cidr(),
            true, true, List.of(), "127.0.0.0/8", "Facebook's address space: answers outside it are inconsistent; empty: AS32934's prefixes, bundled.");

    public static final Key<List<String>> CATEGORIES = new Key<>("targets.categories", null, "CODE", CATEGORY, true, true, List.of(), "NEWS",
            "Only these category codes; empty: all.");
    public static final Key<Duration> INTERVAL = new Key<>("schedule.interval", null, "DURATION",
            new Kind.Time(Duration.ofMinutes(1), Duration.ofDays(7)), false, true, Duration.ofHours(1), "30m", "A sweep over all targets this often.");
    public static final Key<Duration> JITTER = new Key<>("schedule.jitter", null, "DURATION", new Kind.Time(Duration.ZERO, Duration.ofDays(1)),
            false, true, Duration.ofMinutes(10), "0s", "Give or take up to this much, at random; not longer than schedule.interval.");
    public static final Key<Integer> CONCURRENCY = new Key<>("schedule.concurrency", null, "N", new Kind.Count(1, 64), false, true, 4, "8",
            "Targets measured at once.");
    public static final Key<Duration> SWEEP_BUDGET = new Key<>("schedule.sweep_budget", null, "DURATION",
            new Kind.Time(Duration.ofSeconds(10), Duration.ofDays(7)), false, true, Duration.ofMinutes(50), "20m",
            "No measurement starts later than this into a sweep.");
    public static final Key<List<String>> FAST_CATEGORIES = new Key<>("schedule.fast_categories", null, "CODE", CATEGORY, true, true, List.of(),
            "GRP", "A fast tier: targets of these categories (social platforms, say) are measured every fast_interval too; empty: none.");
    public static final Key<String> QUIET_HOURS = new Key<>("schedule.quiet_hours", null, "HH:MM-HH:MM", new Kind.Window(), false, true, "",
            "18:00-23:00", "No measurement starts in this daily window of local time (22:00-06:00 crosses midnight); empty: none.");
    public static final Key<Duration> FAST_INTERVAL = new Key<>("schedule.fast_interval", null, "DURATION",
            new Kind.Time(Duration.ofMinutes(1), Duration.ofDays(1)), false, true, Duration.ofMinutes(5), "2m",
            "How often the fast tier is measured; shorter than schedule.interval.");
    public static final Key<Long> FAST_BODY_LIMIT = new Key<>("schedule.fast_body_limit", null, "SIZE", new Kind.Size(0, 64L * 1024 * 1024),
            false, true, 16L * 1024, "8KiB", "Bytes of each page kept for the fast tier's targets: a small limit keeps the tier light.");
    public static final Key<Long> BANDWIDTH_PER_HOUR = new Key<>("schedule.bandwidth_per_hour", null, "SIZE",
            new Kind.Size(100_000, Long.MAX_VALUE), false, true, 200L * 1000 * 1000, "50MB",
            "Bytes per hour, estimated from what is downloaded; beyond it, targets wait.");

    // How each URL is measured (measure, run; some also for control-server).
    public static final Key<Duration> TIMEOUT = new Key<>("measurement.timeout", "--timeout", "DURATION", STEP_TIMEOUT, false, true,
            Duration.ofSeconds(10), "20s", "Timeout of each step (DNS query, connect, TLS handshake, HTTP read); a plain number is seconds.");
    public static final Key<Long> BODY_LIMIT = new Key<>("measurement.body_limit", "--body-limit", "SIZE", new Kind.Size(0, 64L * 1024 * 1024),
            false, true, EngineConfig.DEFAULT_BODY_LIMIT, "32KiB", "Bytes of each response body kept; the rest is not downloaded.");
    public static final Key<ResolverAddress> RESOLVER = new Key<>("measurement.resolver", "--resolver", "IP[:PORT]", new Kind.Resolver(), false,
            true, null, "127.0.0.1:5353", "Resolver to measure with instead of the system's (the OS resolver is then not asked); 'system' for the system's.");
    public static final Key<List<Path>> TRUST_CA = new Key<>("measurement.trust_ca", "--trust-ca", "PEM", FILE, true, true, List.of(),
            "lab-root.pem", "Extra trusted root certificates (PEM files), for labs; the default trust store stays.");
    public static final Key<Integer> PARALLEL = new Key<>("measure.parallel", "--parallel", "N", new Kind.Count(1, 64), false, false, 4, "2",
            "URLs measured at once.");
    public static final Key<Boolean> JSON = new Key<>("measure.json", "--json", null, SWITCH, false, false, false, "true",
            "Print one JSON measurement per line (JSONL) instead of a table.");
    public static final Key<List<String>> PUBLIC_RANGES = new Key<>("lab.public_ranges", "--public-range", "CIDR", new Kind.Cidr(), true, true,
            List.of(), "198.18.0.0/15",
            "Labs only: an address range that stands for the public internet, not a bogon (OONI's bogons include 127/8, 10/8, 203.0.113/24...).");

    // The control.
    public static final Key<List<String>> CONTROL_HELPERS = new Key<>("control.helpers", "--control", "URL", new Kind.Url(), true, true,
            OoniHelpers.URLS, "http://127.0.0.1:8080/", "Test helpers to ask for the control measurement (OONI's protocol), tried in order.");
    public static final Key<Boolean> NO_CONTROL = new Key<>("control.none", "--no-control", null, SWITCH, false, false, false, "true",
            "Ask no test helper: verdicts then rest on signatures alone.");
    public static final Key<Path> CONTROL_TOKEN_FILE = new Key<>("control.token_file", "--control-token-file", "FILE", FILE, false, true, null,
            "helper.token", "Bearer token (first line of FILE) for a self-hosted helper that requires one.");

    // The agent.
    public static final Key<Path> CONFIG = new Key<>("config", "--config", "FILE", FILE, false, false, null, "blockwatch.yaml",
            "Configuration file (YAML). Default: $XDG_CONFIG_HOME/blockwatch/config.yaml when it exists.");
    public static final Key<Boolean> ACCEPT_CONSENT = new Key<>("run.accept_consent", "--accept-consent", null, SWITCH, false, false, false, "true",
            "Acknowledge the consent text (see 'blockwatch consent') and remember it.");
    public static final Key<InetSocketAddress> METRICS_LISTEN = new Key<>("metrics.listen", "--metrics-listen", "IP:PORT", new Kind.Listen(),
            false, true, new InetSocketAddress("127.0.0.1", 9466), "127.0.0.1:0",
            "Where to serve Prometheus /metrics; keep it on loopback unless you mean to expose it.");
    public static final Key<String> REMOTE_WRITE_URL = new Key<>("metrics.remote_write.url", null, "URL", new Kind.Url(), false, true, null,
            "https://prometheus.example.org/api/v1/write",
            "Push this agent's series there with Prometheus remote write (Prometheus, Mimir, Thanos, VictoriaMetrics, Grafana Cloud); none: only /metrics.");
    public static final Key<Path> REMOTE_WRITE_TOKEN_FILE = new Key<>("metrics.remote_write.bearer_token_file", null, "FILE", FILE, false, true,
            null, "push.token", "Bearer token for remote write (first line of FILE).");
    public static final Key<String> REMOTE_WRITE_USERNAME = new Key<>("metrics.remote_write.username", null, "NAME", Kind.Text.any(), false, true,
            null, "probe-17", "Basic authentication for remote write: the user name (with password_file).");
    public static final Key<Path> REMOTE_WRITE_PASSWORD_FILE = new Key<>("metrics.remote_write.password_file", null, "FILE", FILE, false, true,
            null, "push.password", "Basic authentication for remote write: the password (first line of FILE).");
    public static final Key<String> REMOTE_WRITE_PROBE = new Key<>("metrics.remote_write.probe", null, "NAME",
            new Kind.Text(Pattern.compile("[A-Za-z0-9._-]{1,64}"), "a name of letters, digits, '.', '_' and '-'", false), false, true, null,
            "almaty-3", "The probe's name, the instance label of its series. Default: a random name kept beside the store; never the host's name or address.");
    public static final Key<Duration> REMOTE_WRITE_INTERVAL = new Key<>("metrics.remote_write.interval", null, "DURATION",
            new Kind.Time(Duration.ofSeconds(15), Duration.ofHours(1)), false, true, Duration.ofMinutes(1), "30s", "Push the series this often.");
    public static final Key<Long> REMOTE_WRITE_BUFFER = new Key<>("metrics.remote_write.buffer_size", null, "SIZE",
            new Kind.Size(1_000_000, 10_000_000_000L), false, true, 100L * 1000 * 1000, "20MB",
            "Samples waiting on disk while the receiver is away, at most; beyond it the oldest are dropped (and counted).");
    public static final Key<Path> STORE = new Key<>("store.path", "--store", "FILE", FILE, false, true, null, "bw.db",
            "The store (SQLite). Default: $XDG_DATA_HOME/blockwatch/blockwatch.db.");
    public static final Key<String> ASN = new Key<>("network.asn", null, "ASN",
            new Kind.AutoOr(new Kind.Text(Pattern.compile("AS\\d+"), "an AS number (e.g. AS9198)", true)), false, true, "auto", "AS9198",
            "Your network's AS number: 'auto' looks it up before each sweep; a number overrides the lookup.");
    public static final Key<String> COUNTRY = new Key<>("network.country", null, "CC",
            new Kind.AutoOr(new Kind.Text(Pattern.compile("[A-Z]{2}"), "a two-letter country code (e.g. KZ)", true)), false, true, "auto", "KZ",
            "Your network's country: 'auto' looks it up; a code overrides it. With both set, nothing at all is looked up.");
    public static final Key<String> NETWORK_NAME = new Key<>("network.name", null, "NAME", Kind.Text.any(), false, true, "", "home broadband",
            "A name for your network; empty: the AS's name as looked up. Your IP address is never recorded.");
    public static final Key<List<String>> STUN_SERVERS = new Key<>("network.stun_servers", null, "HOST:PORT", Kind.Text.any(), true, true,
            List.of("stun.l.google.com:19302", "stun.cloudflare.com:3478"), "stun.example.org:3478",
            "STUN servers asked for your public address (one UDP request each, in turn); it is kept in memory only, to scrub it.");
    public static final Key<List<String>> ADDRESS_URLS = new Key<>("network.address_urls", null, "URL", new Kind.Url(), true, true,
            List.of("https://api.ipify.org/"), "https://ip.example.org/",
            "When no STUN server answers: pages whose body is your address, asked in turn.");
    public static final Key<String> ASN_ZONE = new Key<>("network.asn_zone", null, "ZONE", Kind.Text.any(), false, true, "asn.cymru.com",
            "asn.lab", "DNS zone answering Team Cymru's TXT records (origin., origin6., AS<n>.); empty: no AS lookup.");
    public static final Key<String> WHOAMI = new Key<>("network.whoami", null, "NAME", Kind.Text.any(), false, true, "whoami.akamai.net",
            "o-o.myaddr.l.google.com", "A name whose answer is the address your resolver's queries leave from; empty: not asked.");
    public static final Key<String> UPLOAD_COLLECTOR = new Key<>("upload.collector", null, "URL", new Kind.Url(), false, true, null,
            "https://collector.example.org/", "A collector (OONI's collector protocol, bk-003) that receives every measurement; none: no measurement leaves this machine.");
    public static final Key<Path> UPLOAD_TOKEN_FILE = new Key<>("upload.token_file", null, "FILE", FILE, false, true, null, "collector.token",
            "Bearer token for the collector (first line of FILE).");
    public static final Key<String> LOG_FORMAT = new Key<>("logging.format", null, "FORMAT", new Kind.Choice(List.of("text", "json")), false, true,
            "text", "json", "Log lines as text, or as one JSON object per line.");
    public static final Key<String> LOG_LEVEL = new Key<>("logging.level", null, "LEVEL", new Kind.Choice(List.of("error", "warn", "info", "debug")),
            false, true, "info", "debug", "error, warn, info (state changes), debug (every measurement).");

    // consent.
    public static final Key<Boolean> CONSENT_ACCEPT = new Key<>("consent.accept", "--accept", null, SWITCH, false, false, false, "true",
            "Record that you have read the current version of the text and agree, without the questions a terminal asks (for scripts).");
    public static final Key<Boolean> CONSENT_CHECK = new Key<>("consent.check", "--check", null, SWITCH, false, false, false, "true",
            "Only tell whether consent to the current version of the text was given: exit 0 if it was, 1 if not, or if it was to an older version (for services and scripts).");

    // The demo.
    public static final Key<Boolean> SERVE = new Key<>("demo.serve", "--serve", null, SWITCH, false, false, false, "true",
            "Keep serving the metrics (for a Grafana try-out) and the demo's network (it prints a measure command for it) until stopped with Ctrl-C or SIGTERM.");

    // The test helper (control-server).
    public static final Key<InetSocketAddress> HELPER_LISTEN = new Key<>("helper.listen", "--listen", "IP:PORT", new Kind.Listen(), false, false,
            new InetSocketAddress("127.0.0.1", 8080), "127.0.0.1:0", "Where to listen.");
    public static final Key<Duration> HELPER_TIMEOUT = new Key<>("helper.timeout", "--timeout", "DURATION", STEP_TIMEOUT, false, false,
            Duration.ofSeconds(15), "5s", "Timeout of each step; a plain number is seconds.");
    public static final Key<Boolean> ALLOW_PRIVATE = new Key<>("helper.allow_private_destinations", "--allow-private-destinations", null, SWITCH,
            false, false, false, "true", "Labs only: also measure private, loopback and bogon addresses.");
    public static final Key<Path> HELPER_TOKEN_FILE = new Key<>("helper.token_file", "--token-file", "FILE", FILE, false, false, null,
            "helper.token", "Require 'Authorization: Bearer <first line of FILE>'.");
    public static final Key<Integer> MAX_CONCURRENT = new Key<>("helper.max_concurrent", "--max-concurrent", "N", new Kind.Count(1, 256), false,
            false, 16, "2", "Requests measured at once; more are answered 503.");
    public static final Key<Integer> MAX_PER_CLIENT = new Key<>("helper.max_per_client", "--max-per-client", "N", new Kind.Count(1, 256), false,
            false, 8, "4", "Requests one client may have measured at once (at most --max-concurrent); more are answered 429. "
                    + "At least the concurrency of the agents that use it.");
    public static final Key<String> HELPER_ASN_ZONE = new Key<>("helper.asn_zone", "--asn-zone", "ZONE", Kind.Text.any(), false, false, "",
            "asn.cymru.com", "Fill ip_info's AS numbers from this zone's Team Cymru TXT records (asked through --resolver); empty: 0, unknown.");
    public static final Key<List<String>> TRUSTED_PROXIES = new Key<>("helper.trusted_proxies", "--trusted-proxy", "IP", Kind.Text.any(), true,
            false, List.of(), "127.0.0.1", "A reverse proxy in front (repeatable): requests from it are rate limited by the client its "
                    + "X-Forwarded-For names last; from anyone else the header is ignored.");
    public static final Key<Integer> RATE_PER_MINUTE = new Key<>("helper.rate_per_minute", "--rate-per-minute", "N", new Kind.Count(1, 1_000_000),
            false, false, 60, "10", "Requests per client per minute; more are answered 429.");
    // The port-filtering listener beside it (issue 31): comma-separated ports, each checked (1 to 65535, once) when the command starts.
    private static final Kind.Text PORTS = new Kind.Text(Pattern.compile("[0-9]{1,5}( *, *[0-9]{1,5})*"), "a comma-separated list of ports (e.g. 22,53,443)",
            false);
    public static final Key<String> HELPER_PORTS_TCP = new Key<>("helper.ports_tcp", "--ports-tcp", "PORTS", PORTS, false, false, null,
            "22,443,8080", "Also listen on these TCP ports, on --listen's address, for the portfiltering kind: each connection is read one line, "
                    + "at most 512 bytes within 5 s, answered, and closed (16 connections per client address, 512 in all). Without it, none. "
                    + "Ports below 1024 need root or CAP_NET_BIND_SERVICE.");
    public static final Key<String> HELPER_PORTS_UDP = new Key<>("helper.ports_udp", "--ports-udp", "PORTS", PORTS, false, false, null,
            "53,443", "Also listen on these UDP ports, on --listen's address, for the portfiltering kind: each answers a DNS query in its zone "
                    + "and a QUIC Initial (with a Version Negotiation), never with more bytes than it was sent, 120 a minute per client address. "
                    + "Without it, none.");
    public static final Key<Integer> HELPER_CONNECTIONS_PER_ADDRESS = connectionsPerAddress("helper");
    public static final Key<Path> HELPER_TLS_CERT = tlsCert("helper");
    public static final Key<Path> HELPER_TLS_KEY = tlsKey("helper");
    public static final Key<Path> HELPER_ACCESS_LOG = accessLog("helper");

    // The internet-facing servers' own options (control-server, collector), one key per server.
    private static Key<Integer> connectionsPerAddress(String server) {
        return new Key<>(server + ".connections_per_address", "--connections-per-address", "N", new Kind.Count(1, 16_384), false, false, 64, "16",
                "Connections one client address may hold at once; more are closed as they open. Loopback and --trusted-proxy addresses are exempt.");
    }

    private static Key<Path> tlsCert(String server) {
        return new Key<>(server + ".tls_cert", "--tls-cert", "FILE", FILE, false, false, null, "fullchain.pem",
                "Serve HTTPS with this certificate: a PEM chain (with --tls-key), or a PKCS#12 file (.p12, .pfx) holding key and chain.");
    }

    private static Key<Path> tlsKey(String server) {
        return new Key<>(server + ".tls_key", "--tls-key", "FILE", FILE, false, false, null, "privkey.pem",
                "The PEM private key (PKCS#8, 'BEGIN PRIVATE KEY') of --tls-cert; for a PKCS#12 file, a file whose first line is its password.");
    }

    private static Key<Path> accessLog(String server) {
        return new Key<>(server + ".access_log", "--access-log", "FILE", FILE, false, false, null, "access.log",
                "Append an access log here, in NCSA's combined format with '-' for the client's address (never recorded).");
    }

    // The collector.
    public static final Key<InetSocketAddress> COLLECTOR_LISTEN = new Key<>("collector.listen", "--listen", "IP:PORT", new Kind.Listen(), false, false,
            new InetSocketAddress("127.0.0.1", 8081), "127.0.0.1:0", "Where to listen (put a TLS reverse proxy in front to expose it).");
    public static final Key<String> COLLECTOR_DATABASE = new Key<>("collector.database", "--database", "URL",
            new Kind.Text(java.util.regex.Pattern.compile("(jdbc:postgresql|postgresql|postgres)://\\S+"), "a postgresql:// (or postgres://) URL", false), false, false, null,
            "postgresql://blockwatch@127.0.0.1:5432/blockwatch", "The PostgreSQL database (postgresql://USER[:PASSWORD]@HOST[:PORT]/DB); its schema is migrated at start.");
    public static final Key<Path> COLLECTOR_TOKENS = new Key<>("collector.tokens_file", "--tokens-file", "FILE", FILE, false, false, null, "tokens.txt",
            "Per-probe bearer tokens, one 'PROBE TOKEN' per line; with it, every request needs one, and a probe submits only to its own reports.");
    public static final Key<Long> COLLECTOR_MAX_SUBMISSION = new Key<>("collector.max_submission", "--max-submission", "SIZE",
            new Kind.Size(64 * 1024, 64L * 1024 * 1024), false, false, 4L * 1024 * 1024, "1MiB", "A submission's size at most (413 beyond).");
    public static final Key<Integer> COLLECTOR_RATE = new Key<>("collector.rate_per_minute", "--rate-per-minute", "N", new Kind.Count(1, 1_000_000),
            false, false, 600, "60", "Requests per probe (its token, or its address without a valid token) per minute; more are answered 429.");
    public static final Key<List<String>> COLLECTOR_TRUSTED_PROXIES = new Key<>("collector.trusted_proxies", "--trusted-proxy", "IP", Kind.Text.any(),
            true, false, List.of(), "127.0.0.1", "A reverse proxy in front (repeatable): requests from it are rate limited by the client its "
                    + "X-Forwarded-For names last; from anyone else the header is ignored.");
    public static final Key<Path> COLLECTOR_READ_TOKEN = new Key<>("collector.read_token_file", "--read-token-file", "FILE", FILE, false, false, null,
            "read.token", "With --tokens-file: the first line of FILE is a token that reads every stored measurement (GET /measurements/{uid}, "
                    + "'Authorization: Bearer ...'); a probe's token reads its own, a dashboard's signed link the one it names.");
    public static final Key<Integer> COLLECTOR_CONNECTIONS_PER_ADDRESS = connectionsPerAddress("collector");
    public static final Key<Path> COLLECTOR_TLS_CERT = tlsCert("collector");
    public static final Key<Path> COLLECTOR_TLS_KEY = tlsKey("collector");
    public static final Key<Path> COLLECTOR_ACCESS_LOG = accessLog("collector");

    // export.
    public static final Key<String> FORMAT = new Key<>("export.format", "--format", "FORMAT",
            new Kind.Choice(Exporter.Format.labels()), false, false, "timeline-csv", "html",
            "What to write.");
    public static final Key<List<Path>> DBS = new Key<>("export.db", "--db", "FILE", FILE, true, false, List.of(), "alice.db",
            "A store to read; repeat to merge several. Default: the configuration's store.");
    public static final Key<String> FROM = new Key<>("export.from", "--from", "URL",
            new Kind.Text(java.util.regex.Pattern.compile("(jdbc:postgresql|postgresql|postgres)://\\S+"), "a postgresql:// (or postgres://) URL", false), false, false, null,
            "postgresql://blockwatch@127.0.0.1:5432/blockwatch", "A collector's database instead of stores: every probe's measurements, by network.");
    public static final Key<Instant> SINCE = new Key<>("export.since", "--since", "TIME", new Kind.When(), false, false, null, "2026-11-01",
            "Measurements from this time: 2026-12-07, 2026-12-07T10:00, 2026-12-07 10:00, 2026-12-07T10:00:00Z, 2026-12-07T10:00+05:00"
                    + " (without a zone: your local time zone).");
    public static final Key<Instant> UNTIL = new Key<>("export.until", "--until", "TIME", new Kind.When(), false, false, null,
            "2026-11-02T06:00:00Z", "Measurements before this time (the forms of --since; without a zone: your local time zone).");
    public static final Key<List<String>> TARGETS = new Key<>("export.target", "--target", "URL", Kind.Text.any(), true, false, List.of(),
            "https://www.azattyq.org/", "Only this target (a URL with or without its trailing slash, its host in any case; an app by its test name).");
    public static final Key<List<String>> EXPORT_ASNS = new Key<>("export.asn", "--asn", "ASN",
            new Kind.Text(Pattern.compile("(AS)?\\d+"), "an AS number (AS9198 or 9198)", true), true, false, List.of(), "AS9198",
            "Only measurements from this network (its AS number).");
    public static final Key<List<String>> EXPORT_CCS = new Key<>("export.cc", "--cc", "CC",
            new Kind.Text(Pattern.compile("[A-Z]{2}"), "a two-letter country code (e.g. KZ)", true), true, false, List.of(), "KZ",
            "Only measurements from this country.");
    public static final Key<List<String>> EXPORT_CATEGORIES = new Key<>("export.category", "--category", "CODE", CATEGORY, true, false, List.of(),
            "NEWS", "Only this category.");
    public static final Key<List<String>> STATES = new Key<>("export.state", "--state", "STATE",
            new Kind.Choice(Stream.concat(Arrays.stream(Status.values()).map(Status::label), Stream.of(NetworkState.OFFLINE.label(), NetworkState.RESTRICTED.label())).toList()), true, false, List.of(), "blocked",
            "Only rows (or measurements) of this state.");
    public static final Key<Duration> MAX_GAP = new Key<>("export.max_gap", "--max-gap", "DURATION",
            new Kind.Time(Duration.ofMinutes(1), Duration.ofDays(3650)), false, false, Duration.ofHours(3), "90m",
            "Timelines: measurements further apart than this are a gap, not one interval.");
    public static final Key<Path> OUT = new Key<>("export.out", "--out", "FILE", FILE, false, false, null, "out.csv",
            "Write here (whole or not at all) instead of stdout.");

    /** Every key, in the table's order. */
    public static final List<Key<?>> ALL = List.of(CONSENT, TARGET_LISTS, TESTS_ENABLED, STUN_INPUTS, DNSCHECK_RESOLVERS, DNSCHECK_DOMAINS,
            PORTFILTERING_HELPER, PORTFILTERING_TCP_PORTS, PORTFILTERING_DNS_PORTS, PORTFILTERING_QUIC_PORTS, PORTFILTERING_INTERVAL,
            TELEGRAM_DATACENTERS, TELEGRAM_WEB,
            WHATSAPP_ENDPOINTS, WHATSAPP_REGISTRATION, WHATSAPP_WEB, SIGNAL_SERVICES, SIGNAL_UPTIME, SIGNAL_ROOTS, MESSENGER_SERVICES,
            MESSENGER_ADDRESS_SPACE, CATEGORIES, INTERVAL, JITTER, CONCURRENCY, SWEEP_BUDGET,
            BANDWIDTH_PER_HOUR, QUIET_HOURS, FAST_CATEGORIES, FAST_INTERVAL, FAST_BODY_LIMIT, TIMEOUT, BODY_LIMIT, RESOLVER, EXTRA_RESOLVERS, NO_EXTRA_RESOLVERS, DNS_IDENTITIES, TRUST_CA, PARALLEL, JSON, PUBLIC_RANGES, CONTROL_HELPERS, NO_CONTROL,
            CONTROL_TOKEN_FILE, CONFIG, ACCEPT_CONSENT, CONSENT_ACCEPT, CONSENT_CHECK, METRICS_LISTEN, REMOTE_WRITE_URL,
            REMOTE_WRITE_TOKEN_FILE, REMOTE_WRITE_USERNAME, REMOTE_WRITE_PASSWORD_FILE, REMOTE_WRITE_PROBE, REMOTE_WRITE_INTERVAL, REMOTE_WRITE_BUFFER, STORE, ASN, COUNTRY, NETWORK_NAME, STUN_SERVERS, ADDRESS_URLS,
            ASN_ZONE, WHOAMI, UPLOAD_COLLECTOR, UPLOAD_TOKEN_FILE, LOG_FORMAT, LOG_LEVEL, SERVE,
            HELPER_LISTEN, HELPER_TIMEOUT, ALLOW_PRIVATE, HELPER_TOKEN_FILE, MAX_CONCURRENT, MAX_PER_CLIENT, HELPER_ASN_ZONE, RATE_PER_MINUTE,
            TRUSTED_PROXIES, HELPER_PORTS_TCP, HELPER_PORTS_UDP, HELPER_CONNECTIONS_PER_ADDRESS, HELPER_TLS_CERT, HELPER_TLS_KEY, HELPER_ACCESS_LOG,
            COLLECTOR_LISTEN, COLLECTOR_DATABASE, COLLECTOR_TOKENS, COLLECTOR_MAX_SUBMISSION, COLLECTOR_RATE, COLLECTOR_TRUSTED_PROXIES,
            COLLECTOR_READ_TOKEN, COLLECTOR_CONNECTIONS_PER_ADDRESS, COLLECTOR_TLS_CERT, COLLECTOR_TLS_KEY, COLLECTOR_ACCESS_LOG, FORMAT, DBS, FROM, SINCE, UNTIL,
            TARGETS, EXPORT_ASNS, EXPORT_CCS, EXPORT_CATEGORIES, STATES, MAX_GAP, OUT);

    /** The keys of the configuration file. */
    public static List<Key<?>> inFile() {
        return ALL.stream().filter(Key::inFile).toList();
    }

    // What each command takes, from the table.
    public static final List<Key<?>> MEASUREMENT = List.of(RESOLVER, EXTRA_RESOLVERS, NO_EXTRA_RESOLVERS, TRUST_CA, TIMEOUT, BODY_LIMIT,
            CONTROL_HELPERS, NO_CONTROL, CONTROL_TOKEN_FILE, PUBLIC_RANGES);
}
