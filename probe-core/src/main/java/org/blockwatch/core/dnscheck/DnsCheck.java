package org.blockwatch.core.dnscheck;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.control.wire.ResolverCheck;
import org.blockwatch.core.dns.DnsExchange;
import org.blockwatch.core.dns.DnsResolver;
import org.blockwatch.core.dns.HandshakeComparison;
import org.blockwatch.core.dns.ResolverUrl;
import org.blockwatch.core.dns.Resolvers;
import org.blockwatch.core.dns.SystemResolver;
import org.blockwatch.core.dns.WireResolver;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.ip.IpLiteral;
import org.blockwatch.core.nettest.Nettest;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.step.StepContext;
import org.blockwatch.core.step.StepListener;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * DNS check (OONI's ts-028, probe-cli's {@code dnscheck} 0.9.3): whether a DoT, DoH or Do53
 * resolver works from here. Input: one resolver URL ({@link ResolverUrl}: {@code udp://},
 * {@code tcp://}, {@code dot://}, {@code https://}). A resolver given by name is first resolved
 * by the system's resolver (OONI's {@code bootstrap}); then each of its addresses (at most
 * {@link #MAX_ADDRESSES}, IPv4 first, the URL's {@code default_addrs} after them) is asked for each
 * name to check (A and AAAA, each query a step of its own, over a connection of its own as
 * OONI's does), and each address's records are one of OONI's {@code lookups}.
 *
 * <p>Beside OONI's keys, blockwatch's verdict ({@link ResolverVerdict}): the control (the same
 * lookups from the test helper, {@code POST x/dnscheck}, asked at once in parallel) tells a block
 * from a resolver that is down, and altered answers from honest ones; a handshake failure is
 * compared with a handshake without the name on the same address (SNI blocking); a resolver
 * whose identity is configured ({@link Settings#identities}) is asked who it is (CHAOS TXT
 * {@code id.server}), and over UDP two replies to one query are kept ({@link Interception}).
 * Thread-safe.
 */
public final class DnsCheck implements Nettest {
    public static final String TEST_NAME = "dnscheck";
    /** probe-cli's current dnscheck (the spec's example says 0.1.0; the code has moved on, and its keys with it). */
    public static final String TEST_VERSION = "0.9.3";
    /** probe-cli's {@code defaultDomain}. */
    public static final String DEFAULT_DOMAIN = "example.org";
    /** Addresses of a resolver's name measured at most: a name with many must not make a sweep of one input. */
    public static final int MAX_ADDRESSES = 4;
    private static final Name NAME = new Name(TEST_NAME, TEST_VERSION, InputShape.ENDPOINT);
    private static final Pattern HOST = Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /**
     * What a dnscheck asks: the names to look up (OONI's {@code domain}, {@value #DEFAULT_DOMAIN}
     * by default; the first is OONI's key, all of them {@code x_domains}), and the identities of
     * resolvers whose honest {@code id.server} answer is known, by the resolver URL's host (an
     * address or a name), as a pattern its TXT answer must contain.
     */
    public record Settings(List<String> domains, Map<String, Pattern> identities) {
        public static final Settings DEFAULT = new Settings(List.of(DEFAULT_DOMAIN), Map.of());

        public Settings {
            if (domains == null || domains.isEmpty()) throw new IllegalArgumentException("dnscheck: no name to look up");
            if (domains.size() > ResolverCheck.MAX_DOMAINS) {
                throw new IllegalArgumentException("dnscheck: at most " + ResolverCheck.MAX_DOMAINS + " names to look up, not " + domains.size());
            }
            List<String> clean = new ArrayList<>();
            for (String d : domains) {
                String n = d == null ? "" : d.strip().toLowerCase(Locale.ROOT);
                if (!HOST.matcher(n).matches()) throw new IllegalArgumentException("dnscheck: '" + d + "' is not a host name to look up");
                clean.add(n);
            }
            domains = List.copyOf(clean);
            Map<String, Pattern> byHost = new LinkedHashMap<>();
            identities.forEach((host, p) -> byHost.put(IpLiteral.parse(host).map(InetAddress::getHostAddress).orElse(host.toLowerCase(Locale.ROOT)), p));
            identities = Map.copyOf(byHost);
        }
    }

    private final Resolvers.Setup setup;
    private final Duration timeout;
    private final StepListener listener;
    private final DnsCheckControl control;
    private final DnsResolver bootstrap;
    private final Settings settings;

    /** With the system's resolver for the bootstrap. */
    public DnsCheck(Resolvers.Setup setup, Duration timeout, StepListener listener, DnsCheckControl control, Settings settings) {
        this(setup, timeout, listener, control, new SystemResolver(), settings);
    }

    /**
     * @param timeout each step's
     * @param bootstrap resolves a resolver's name (the system's; a lab's or a test's resolver)
     */
    public DnsCheck(Resolvers.Setup setup, Duration timeout, StepListener listener, DnsCheckControl control, DnsResolver bootstrap, Settings settings) {
        this.setup = setup;
        this.timeout = timeout;
        this.listener = listener;
        this.control = control;
        this.bootstrap = bootstrap;
        this.settings = settings;
    }

    @Override
    public Name name() {
        return NAME;
    }

    @Override
    public void check(String input) {
        ResolverUrl.parse(input);
    }

    /** One address's lookups of every name, and the handshake without the name when the name's failed. */
    record AddressLookups(String key, InetAddress address, List<WireResolver.Traced> traces, HandshakeComparison.Result comparison) {}

    /** The identity query: its outcome as {@link Interception} reads it, and where it went. */
    record IdentityQuery(Interception.Identity identity, String engine, String resolverAddress, double t0, double t) {}

    @Override
    public Result measure(String input) {
        ResolverUrl url = ResolverUrl.parse(input);
        Instant start = Instant.now();
        List<String> domains = settings.domains();
        // A bootstrap, then per name a connect, a handshake and the exchange, a comparison's two, the identity's three.
        StepContext context = StepContext.standalone(timeout, timeout.multipliedBy(6L + 3L * domains.size()), listener);
        CompletableFuture<DnsCheckControl.Answer> controlled = CompletableFuture.supplyAsync(() -> control.check(url, domains), setup.executor());

        List<DnsQuery> bootQueries = null;
        String bootFailure = null;
        Set<InetAddress> candidates = new LinkedHashSet<>();
        if (url.needsBootstrap()) {
            DnsResolver.Lookup b = bootstrap.lookup(url.host(), context);
            bootQueries = b.queries();
            bootFailure = b.failure();
            b.queries().stream().flatMap(q -> q.addresses().stream()).map(a -> IpLiteral.parse(a).orElseThrow())
                    .sorted(Comparator.comparing((InetAddress a) -> a.getAddress().length)).forEach(candidates::add);
        } else {
            candidates.add(url.address().orElseThrow());
        }
        candidates.addAll(url.defaultAddrs());
        List<InetAddress> addresses = candidates.stream().limit(MAX_ADDRESSES).toList();

        Pattern expected = settings.identities().get(url.host());
        CompletableFuture<IdentityQuery> identity = expected == null || addresses.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> identity(Resolvers.at(url, addresses.getFirst(), setup), expected, context), setup.executor());
        List<CompletableFuture<AddressLookups>> pending = new ArrayList<>();
        for (InetAddress a : addresses) pending.add(CompletableFuture.supplyAsync(() -> lookups(url, a, domains, context), setup.executor()));
        List<AddressLookups> lookups = pending.stream().map(CompletableFuture::join).toList();
        IdentityQuery asked = identity.join();
        DnsCheckControl.Answer answer = controlled.join();

        List<DnsQuery> queries = new ArrayList<>();
        List<DnsQuery> late = new ArrayList<>();
        List<ResolverVerdict.Endpoint> endpoints = new ArrayList<>();
        for (AddressLookups l : lookups) {
            boolean answered = false;
            String failure = null;
            Operation failed = null;
            Set<String> found = new LinkedHashSet<>();
            for (WireResolver.Traced t : l.traces()) {
                queries.addAll(t.lookup().queries());
                late.addAll(t.lookup().late());
                answered |= t.answered();
                t.lookup().queries().forEach(q -> found.addAll(q.addresses()));
                if (failure == null && t.lookup().failure() != null) {
                    failure = t.lookup().failure();
                    failed = t.failedOperation();
                }
            }
            Boolean passedWithoutName = l.comparison() == null ? null : l.comparison().passed();
            endpoints.add(new ResolverVerdict.Endpoint(l.key(), answered, failure, failed, found, passedWithoutName));
        }
        Optional<Interception.Finding> finding = Interception.judge(asked == null ? null : asked.identity(), queries, late);
        ResolverVerdict.Facts facts = new ResolverVerdict.Facts(url.text(), url.protocol() == ResolverUrl.Protocol.UDP,
                addresses.isEmpty() ? (bootFailure != null ? bootFailure : org.blockwatch.core.failure.Failure.DNS_NO_ANSWER) : null,
                endpoints, finding, controlFacts(answer));
        double runtime = Duration.between(start, Instant.now()).toNanos() / 1e9;
        return new DnsCheckResult(input.strip(), start, runtime, url, domains, bootQueries, bootFailure, lookups, asked, answer,
                ResolverVerdict.decide(facts));
    }

    private AddressLookups lookups(ResolverUrl url, InetAddress address, List<String> domains, StepContext context) {
        WireResolver resolver = Resolvers.at(url, address, setup);
        List<WireResolver.Traced> traces = new ArrayList<>();
        for (String d : domains) traces.add(resolver.trace(d, context));
        HandshakeComparison.Result comparison = null;
        boolean nameBlockedHere = traces.stream().anyMatch(t -> t.failedOperation() == Operation.TLS_HANDSHAKE
                && t.transcript().tlsHandshakes().stream().anyMatch(h -> h.failure() != null && !h.serverAnswered()));
        if (nameBlockedHere && url.serverName() != null) {
            comparison = HandshakeComparison.run(new Endpoint(address, url.port()), null, setup, context);
        }
        return new AddressLookups(url.lookupKey(address), address, traces, comparison);
    }

    private static IdentityQuery identity(WireResolver resolver, Pattern expected, StepContext context) {
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(org.xbill.DNS.Name.fromString(Interception.IDENTITY_NAME + "."), Type.TXT, DClass.CH));
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalStateException(e);
        }
        DnsExchange e = resolver.exchange(query, context);
        String text = "";
        Integer rcode = null;
        if (e.answered()) {
            rcode = e.response().getRcode();
            List<String> strings = new ArrayList<>();
            for (Record rr : e.response().getSection(Section.ANSWER)) {
                if (rr instanceof TXTRecord txt) strings.addAll(txt.getStrings());
            }
            text = String.join(" ", strings);
        }
        return new IdentityQuery(new Interception.Identity(expected, e.answered(), rcode, text, e.failure()), resolver.engine(), resolver.address(),
                e.t0(), e.t());
    }

    private static ResolverVerdict.Control controlFacts(DnsCheckControl.Answer a) {
        if (!a.available()) return ResolverVerdict.Control.none(a.controlFailure());
        ResolverCheck.Response r = a.response();
        Set<String> addresses = new LinkedHashSet<>();
        boolean answered = false;
        for (ResolverCheck.Lookup l : r.lookups()) {
            answered |= l.answered();
            for (String ip : l.addresses()) IpLiteral.parse(ip).ifPresent(x -> addresses.add(x.getHostAddress()));
        }
        return new ResolverVerdict.Control(true, null, r.bootstrapFailure() == null, answered, addresses);
    }
}
