package org.blockwatch.core.dns;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import org.blockwatch.core.archival.DnsQuery;
import org.blockwatch.core.archival.InterceptionSignal;
import org.blockwatch.core.archival.InterceptionSignal.Outcome;
import org.blockwatch.core.archival.ResolverInterception;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.step.StepContext;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * How to tell whether the queries sent to one Do53 resolver (a foreign one, 8.8.8.8:53 over UDP
 * or TCP) are answered by someone else: an ISP that redirects port 53 to its own resolver, or an
 * on-path box that answers in the resolver's name. Each signal is one small query; they run at
 * once. The signals, and what each proves:
 *
 * <ul>
 *   <li><b>Identity</b> ({@link #withIdentity}): a question whose honest answer is known for this
 *       resolver ({@link IdentityQuery}). A response that does not match is someone else's
 *       (another resolver's name, or REFUSED, NXDOMAIN, NOTIMP from a resolver that does not
 *       play along): <em>intercepted</em>. A matching one proves the honest resolver answered:
 *       <em>not intercepted</em>. No response, or SERVFAIL, proves nothing: a silent path is
 *       blocking, not interception (nothing answered in the resolver's name), and SERVFAIL is
 *       what the honest resolver gives too when it fails. Strong enough to flag, as long as the
 *       pattern covers every honest answer.
 *   <li><b>Transport comparison</b> ({@link #comparedWith}): a name asked over Do53 and over the
 *       same operator's encrypted resolver (DoH, DoT), which no one on the path can answer in
 *       the operator's name. Both reach the same operator, so for a name with one fixed answer
 *       (not a CDN's, which differs by site) an honest Do53 answer shares an address with the
 *       encrypted one. Addresses with none in common, or NXDOMAIN or no address over Do53 while
 *       the encrypted resolver gave some: <em>intercepted</em> (someone answered in the
 *       resolver's name with something else). A common address: <em>not intercepted</em> as far
 *       as this name tells (an interceptor that answers this name truthfully passes). Without
 *       an encrypted answer, or with a Do53 timeout, SERVFAIL or REFUSED, nothing to compare.
 *       Strong enough to flag, for a name that really has one answer.
 *   <li><b>TTL</b> ({@link #withTtl}): an honest recursive resolver never gives a TTL above the
 *       authoritative one, and some interceptors clamp TTLs up. But an honest resolver exceeds it
 *       too, briefly, when the zone lowers its TTL (the old one is still cached), and RFC 8767's
 *       serve-stale answers carry a TTL of their own; an interceptor that honours TTLs passes.
 *       So a TTL above the authoritative one is recorded, never flagged alone.
 * </ul>
 *
 * <p>Privacy: an identity answer can carry the probe's network (Google's {@code
 * o-o.myaddr.l.google.com} TXT answers with {@code edns0-client-subnet} and the probe's /24;
 * {@code whoami}-style names with the probe's address). Only answers that carry no address
 * prefix and no client-subnet text are kept, at most {@value #KEPT_ANSWERS} of them, each cut to
 * {@value #KEPT_LENGTH} characters (the probe's own address is scrubbed from every document anyway).
 *
 * @param resolver the Do53 resolver checked, as {@code resolver_address} records it
 * @param transport how it is asked: UDP or TCP
 * @param identity the identity query, or null
 * @param comparison the same operator's encrypted resolver and the name to compare, or null
 * @param ttl a name with a known authoritative TTL, or null
 */
public record InterceptionCheck(ResolverAddress resolver, Transport transport, IdentityQuery identity, Comparison comparison, TtlProbe ttl) {
    static final int KEPT_ANSWERS = 4;
    static final int KEPT_LENGTH = 100;
    private static final Pattern PREFIX = Pattern.compile("[0-9A-Fa-f:.]+/[0-9]{1,3}");

    public InterceptionCheck {
        if (resolver == null) throw new IllegalArgumentException("interception check: no resolver");
        if (transport == null) throw new IllegalArgumentException("interception check of " + resolver + ": no transport (udp or tcp)");
    }

    /** How the Do53 resolver is asked; the label is OONI's {@code engine}. */
    public enum Transport {
        UDP("udp"), TCP("tcp");

        private final String label;

        Transport(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The same operator's encrypted resolver and a name with one fixed answer wherever it is resolved from. */
    public record Comparison(DnsResolver encrypted, String name) {
        public Comparison {
            if (encrypted == null) throw new IllegalArgumentException("transport comparison: no encrypted resolver");
            if (name == null || name.isBlank()) throw new IllegalArgumentException("transport comparison: no name to compare");
        }
    }

    /** A name whose authoritative TTL is known and fixed (a zone of one's own). */
    public record TtlProbe(String name, long authoritativeTtl) {
        public TtlProbe {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("TTL probe: no name");
            if (authoritativeTtl < 0) throw new IllegalArgumentException("TTL probe " + name + ": the authoritative TTL is negative");
        }
    }

    /** A check of {@code resolver} over UDP, with no signal yet. */
    public static InterceptionCheck udp(ResolverAddress resolver) {
        return new InterceptionCheck(resolver, Transport.UDP, null, null, null);
    }

    /** A check of {@code resolver} over TCP, with no signal yet. */
    public static InterceptionCheck tcp(ResolverAddress resolver) {
        return new InterceptionCheck(resolver, Transport.TCP, null, null, null);
    }

    public InterceptionCheck withIdentity(IdentityQuery query) {
        return new InterceptionCheck(resolver, transport, query, comparison, ttl);
    }

    public InterceptionCheck comparedWith(DnsResolver encrypted, String name) {
        return new InterceptionCheck(resolver, transport, identity, new Comparison(encrypted, name), ttl);
    }

    public InterceptionCheck withTtl(String name, long authoritativeTtl) {
        return new InterceptionCheck(resolver, transport, identity, comparison, new TtlProbe(name, authoritativeTtl));
    }

    /** The resolver as {@code resolver_address} records it: {@code 8.8.8.8:53}. */
    public String address() {
        return resolver.toString();
    }

    /** OONI's {@code engine}: udp or tcp. */
    public String engine() {
        return transport.label();
    }

    boolean hasSignal() {
        return identity != null || comparison != null || ttl != null;
    }

    /** Whether {@code q} went to this resolver over Do53 ({@code udp} or {@code tcp}, a truncated UDP answer being asked again over TCP). */
    boolean asked(DnsQuery q) {
        if (!"udp".equals(q.engine()) && !"tcp".equals(q.engine())) return false;
        String to = q.resolverAddress();
        for (String scheme : List.of("udp://", "tcp://")) {
            if (to.startsWith(scheme)) to = to.substring(scheme.length());
        }
        return to.equals(address());
    }

    /** Runs every signal at once; never throws. */
    ResolverInterception run(StepContext context, Clock clock, ExecutorService executor) {
        Do53Exchange do53 = new Do53Exchange(resolver, transport == Transport.TCP);
        List<CompletableFuture<InterceptionSignal>> pending = new ArrayList<>();
        if (identity != null) pending.add(CompletableFuture.supplyAsync(() -> identity(do53, context), executor));
        if (comparison != null) pending.add(CompletableFuture.supplyAsync(() -> compare(do53, context, executor), executor));
        if (ttl != null) pending.add(CompletableFuture.supplyAsync(() -> ttl(do53, context), executor));
        List<InterceptionSignal> signals = pending.stream().map(CompletableFuture::join).toList();
        return new ResolverInterception(address(), engine(), ResolverInterception.statusOf(signals), clock.instant(), signals);
    }

    private InterceptionSignal identity(Do53Exchange do53, StepContext context) {
        String question = identity.question();
        String expected = identity.expected().pattern();
        Do53Exchange.Reply reply = do53.ask(identity.name(), identity.type(), identity.dclass(), context);
        if (reply.response() == null) {
            return new InterceptionSignal.Identity(question, expected, null, List.of(), reply.failure(), Outcome.NO_ANSWER);
        }
        Message response = reply.response();
        int rcode = response.getRcode();
        List<String> answers = strings(response, identity.type());
        if (rcode == Rcode.SERVFAIL) {
            return new InterceptionSignal.Identity(question, expected, rcode, kept(answers), Failure.DNS_SERVFAIL, Outcome.NO_ANSWER);
        }
        boolean honest = rcode == Rcode.NOERROR && answers.stream().anyMatch(identity::honest);
        return new InterceptionSignal.Identity(question, expected, rcode, kept(answers), failure(rcode, answers),
                honest ? Outcome.MATCH : Outcome.MISMATCH);
    }

    private InterceptionSignal compare(Do53Exchange do53, StepContext context, ExecutorService executor) {
        CompletableFuture<DnsResolver.Lookup> encrypted = CompletableFuture.supplyAsync(
                () -> comparison.encrypted().lookup(comparison.name(), context), executor);
        Do53Exchange.Reply reply = do53.ask(comparison.name(), Type.A, DClass.IN, context);
        DnsResolver.Lookup lookup = encrypted.join();
        Set<String> theirs = new LinkedHashSet<>();
        for (DnsQuery q : lookup.queries()) {
            if ("A".equals(q.queryType())) theirs.addAll(q.addresses());
        }
        String encryptedFailure = theirs.isEmpty() ? (lookup.failure() != null ? lookup.failure() : Failure.DNS_NO_ANSWER) : null;
        List<String> ours = reply.response() == null ? List.of() : strings(reply.response(), Type.A);
        String do53Failure = reply.response() == null ? reply.failure() : failure(reply.response().getRcode(), ours);
        Outcome outcome;
        if (theirs.isEmpty() || reply.response() == null) {
            outcome = Outcome.UNKNOWN;
        } else {
            int rcode = reply.response().getRcode();
            if (rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED) outcome = Outcome.UNKNOWN; // a failing resolver, honest or not
            else if (ours.stream().anyMatch(theirs::contains)) outcome = Outcome.AGREE;
            else outcome = Outcome.DISAGREE; // other addresses, none, or NXDOMAIN for a name the operator resolves
        }
        return new InterceptionSignal.Comparison(comparison.name(), comparison.encrypted().address(), ours, do53Failure,
                List.copyOf(theirs), encryptedFailure, outcome);
    }

    private InterceptionSignal ttl(Do53Exchange do53, StepContext context) {
        Do53Exchange.Reply reply = do53.ask(ttl.name(), Type.A, DClass.IN, context);
        Long seen = null;
        if (reply.response() != null) {
            for (Record r : reply.response().getSection(Section.ANSWER)) {
                if (r instanceof ARecord) seen = seen == null ? r.getTTL() : Math.min(seen, r.getTTL());
            }
        }
        Outcome outcome = seen == null ? Outcome.NO_ANSWER : seen > ttl.authoritativeTtl() ? Outcome.ABOVE : Outcome.WITHIN;
        return new InterceptionSignal.Ttl(ttl.name(), seen, ttl.authoritativeTtl(), outcome);
    }

    /** The answer's strings of {@code type}: a TXT record's character-strings joined, an address as text. */
    private static List<String> strings(Message response, int type) {
        List<String> out = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() != type) continue;
            switch (r) {
                case TXTRecord t -> out.add(String.join("", t.getStrings()));
                case ARecord a -> out.add(a.getAddress().getHostAddress());
                case AAAARecord a -> out.add(a.getAddress().getHostAddress());
                default -> { }
            }
        }
        return out;
    }

    private static String failure(int rcode, List<String> answers) {
        return switch (rcode) {
            case Rcode.NOERROR -> answers.isEmpty() ? Failure.DNS_NO_ANSWER : null;
            case Rcode.NXDOMAIN -> Failure.DNS_NXDOMAIN;
            case Rcode.SERVFAIL -> Failure.DNS_SERVFAIL;
            case Rcode.REFUSED -> Failure.DNS_REFUSED;
            default -> Failure.DNS_SERVER_MISBEHAVING;
        };
    }

    /** The answers that may be kept in a record: none that carries a network (an ECS subnet, an address prefix). */
    static List<String> kept(List<String> answers) {
        return answers.stream()
                .filter(a -> !a.toLowerCase(Locale.ROOT).contains("client-subnet") && !PREFIX.matcher(a).find())
                .map(a -> a.length() > KEPT_LENGTH ? a.substring(0, KEPT_LENGTH) : a)
                .limit(KEPT_ANSWERS)
                .toList();
    }
}
