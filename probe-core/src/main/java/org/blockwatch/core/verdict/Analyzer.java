package org.blockwatch.core.verdict;

import org.blockwatch.core.verdict.Verdict.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;
import org.blockwatch.core.archival.HttpTransaction;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.archival.WebObservation;
import org.blockwatch.core.control.wire.ControlResponse;
import org.blockwatch.core.control.wire.ControlResult;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.ip.Bogons;
import org.blockwatch.core.signature.Fingerprint;
import org.blockwatch.core.signature.FingerprintSet;
import org.blockwatch.core.signature.InterceptionRoots;
import org.blockwatch.core.verdict.Verdict.Flag;
import org.blockwatch.core.verdict.Verdict.Status;

/**
 * Decides, from an observation and its control, whether the site was blocked, how, or whether it
 * is down; OONI's result fields come along (see {@code reference/ooni-web-connectivity.md}).
 *
 * <p>The order of the decision: signatures that no working site produces (an injected DNS answer,
 * a blockpage, a government interception root) decide first; then the step where the local
 * measurement stopped is compared with the same step at the control: it worked there, so it is
 * blocked here (by that step's method); it failed there too, so the site is down. A page fetched
 * here is compared with the control's page. Without a control and without a signature there is
 * no verdict, except that a page fetched over HTTPS with a valid certificate is accessible.
 * Where DNS was inconsistent, a block is a DNS block, as OONI has it. Immutable and thread-safe.
 */
public final class Analyzer {
    private final FingerprintSet fingerprints;
    private final InterceptionRoots roots;
    private final Bogons bogons;

    public Analyzer(FingerprintSet fingerprints, InterceptionRoots roots, Bogons bogons) {
        this.fingerprints = fingerprints;
        this.roots = roots;
        this.bogons = bogons;
    }

    /** The bundled fingerprints and interception roots, with {@code bogons}. */
    public static Analyzer standard(Bogons bogons) {
        return new Analyzer(FingerprintSet.bundled(), InterceptionRoots.bundled(), bogons);
    }

    /**
     * Analyses what the measurement's path saw ({@link DnsConsistency#pathOnly}): the extra
     * resolvers' answers are evidence of what the path's answer should have been, never a way
     * to the site.
     */
    public Analysis analyze(WebObservation observed, ControlResult control) {
        ControlResponse c = control == null ? null : control.response();
        WebObservation o = DnsConsistency.pathOnly(observed);
        ObservedHops hops = new ObservedHops(o);
        String targetHost = HttpUrl.get(o.url()).host();
        Signatures sig = Signatures.of(o, fingerprints, roots);
        String consistency = DnsConsistency.of(hops, targetHost, o.dnsExperimentFailure(), c, bogons);
        HttpTransaction last = o.finalRequest();
        HttpComparison comparison = c == null || last == null ? HttpComparison.NONE : HttpComparison.compare(last.response(), c.httpRequest());
        DnsConsistency.EncryptedAnswer encrypted = o == observed ? null : DnsConsistency.encryptedAgreement(observed, targetHost, c, bogons);
        Decision d = new Decision(o, c, hops, sig, consistency, comparison, targetHost, encrypted);
        return new Analysis(consistency, comparison, d.decide());
    }

    /** One analysis in progress: the facts, the flags gathered, and the decision. */
    private final class Decision {
        private final WebObservation o;
        private final ControlResponse c;
        private final ObservedHops hops;
        private final Signatures sig;
        private final boolean inconsistent;
        private final HttpComparison comparison;
        private final String targetHost;
        private final Set<String> flags = new LinkedHashSet<>();
        private final boolean controlUp;
        private final boolean controlDnsOk;
        private final String slow; // throttling evidence, or null
        private final DnsConsistency.EncryptedAnswer encrypted; // an encrypted resolver's answer proven the site's, or null
        private String encryptedNote; // its sentence, added to a DNS block when the path's answer failed, lied or differed

        Decision(WebObservation o, ControlResponse c, ObservedHops hops, Signatures sig, String consistency,
                HttpComparison comparison, String targetHost, DnsConsistency.EncryptedAnswer encrypted) {
            this.o = o;
            this.c = c;
            this.hops = hops;
            this.sig = sig;
            this.inconsistent = DnsConsistency.INCONSISTENT.equals(consistency);
            this.comparison = comparison;
            this.targetHost = targetHost;
            this.controlUp = c != null && c.httpRequest() != null && c.httpRequest().succeeded();
            this.controlDnsOk = c != null && c.dns().failure() == null && !c.dns().addrs().isEmpty();
            this.slow = Throttling.evidence(o);
            this.encrypted = encrypted;
        }

        Verdict decide() {
            // A bogon the control resolved too is the site's own (a lab, a misconfiguration): no flag.
            java.util.Set<String> controlAddrs = c == null ? java.util.Set.of() : DnsConsistency.normalised(c.dns().addrs());
            boolean bogon = hops.addresses(targetHost).stream().anyMatch(a -> bogons.isBogon(a) && !controlAddrs.contains(a));
            if (bogon) flags.add(Flag.DNS_BOGON.label());
            if (sig.dnsInjected()) flags.add(Flag.DNS_INJECTED.label());
            if (o.dnsIntercepted() != null && Boolean.TRUE.equals(o.dnsIntercepted().intercepted())) flags.add(Flag.DNS_INTERCEPTED.label());
            if (slow != null) flags.add(Flag.THROTTLED.label());
            flags.addAll(Signatures.flags(sig.dnsBlockpages()));

            // 1. DNS signatures, and the path's answer against an encrypted resolver's.
            boolean dnsFailed = hops.dnsFailed(targetHost);
            boolean notTheSite = encrypted != null && c == null && !dnsFailed && !bogon && certificateNotTheSite();
            if (encrypted != null && (c == null || controlDnsOk) && (dnsFailed || bogon || inconsistent || notTheSite)) {
                encryptedNote = encrypted.sentence();
            }
            if (sig.dnsInjected() && (c == null || controlDnsOk)) {
                return blocked(Method.DNS, "One DNS query drew two different answers: an injected answer raced the resolver's.");
            }
            if (encryptedNote != null) {
                Verdict confirmed = encryptedConfirms(dnsFailed, bogon, notTheSite);
                if (confirmed != null) return confirmed;
            }
            if (!sig.dnsBlockpages().isEmpty()) {
                return blocked(Method.DNS, "The resolver answered with the address of a known blockpage ("
                        + sig.dnsBlockpages().get(0).name() + ").");
            }
            boolean controlPublic = controlDnsOk && c.dns().addrs().stream().anyMatch(a -> !bogons.isBogon(a));
            if (bogon && controlPublic) {
                return blocked(Method.DNS, "The resolver answered with a local or private address while the control resolved public addresses.");
            }

            // 2. A government interception root in a chain.
            if (sig.governmentRoot().isPresent()) {
                Boolean controlTls = controlTls(List.of(sig.governmentHandshake().address()));
                if (c == null || Boolean.TRUE.equals(controlTls) || (controlTls == null && controlUp)) {
                    flags.add(Flag.TLS_MITM.label());
                    flags.add(Flag.TLS_MITM_GOVERNMENT_ROOT.label());
                    // Kazakhstan's interception of 2019-2020 took chosen names only: the follow-up tells which.
                    ServerNameEvidence names = ServerNameEvidence.of(o, List.of(sig.governmentHandshake().address()));
                    return blocked(Method.TLS, "The TLS connection was intercepted: the certificate chain carries "
                            + sig.governmentRoot().get() + ", a government interception root." + nameEvidence(names, true));
                }
            }

            // 3. Slowed by the site's name: the same address answered other names at once.
            String byName = Throttling.byName(o);
            if (byName != null) {
                flags.add(Flag.THROTTLED.label());
                Double reference = c == null ? null : c.timings().get("tls_handshake");
                return blocked(Method.THROTTLING, "The site is throttled by its name: " + byName
                        + (reference == null ? "" : String.format(java.util.Locale.ROOT, " (the control's handshake: %.2f s)", reference)) + ".");
            }

            // 4. A page was fetched: compare it.
            HttpTransaction last = o.finalRequest();
            if (last != null && last.response() != null && !last.response().isRedirect()
                    && (last.failure() == null || o.httpExperimentFailure().equals(last.failure()))) {
                return decidePage(last, last.failure() != null);
            }
            if (!sig.blockpages().isEmpty()) {
                // A redirect hop to a known blockpage, even though the page behind it failed.
                flags.addAll(Signatures.flags(sig.blockpages()));
                return blocked(inconsistent ? Method.DNS : Method.HTTP_DIFF, "The site redirected to a known blockpage ("
                        + sig.blockpages().get(0).name() + ").");
            }
            return decideFailedStep();
        }

        /**
         * The path's answer against an encrypted resolver's that the evidence proves the site's
         * ({@link DnsConsistency#encryptedAgreement}). When the path's resolver failed, answered
         * a bogon, or (without a control, for https) gave addresses that answered with a
         * certificate not the site's, the site is blocked by DNS, and the explanation names both
         * resolvers. When the path's answer merely differs from the control's, the steps after
         * decide as before (a page that loads from it and matches the control's is the site: a
         * CDN's other address), and a DNS block they find names the encrypted resolver too
         * ({@link #encryptedNote}). When the path's answer agrees, nothing changes. Without a
         * control the encrypted answer counts only when a handshake for the host validated on it.
         * Null when no verdict is reached here.
         */
        private Verdict encryptedConfirms(boolean failed, boolean bogon, boolean notTheSite) {
            String path = pathResolver();
            if (failed) {
                String f = hops.queries(targetHost).stream().map(q -> q.failure()).filter(x -> x != null).findFirst()
                        .orElse(Failure.DNS_NO_ANSWER);
                return blocked(Method.DNS, path + " did not resolve the name (" + f + ").");
            }
            if (bogon) {
                List<String> bogons = hops.addresses(targetHost).stream().filter(Analyzer.this.bogons::isBogon).toList();
                return blocked(Method.DNS, path + " answered with a local or private address (" + String.join(", ", bogons) + ").");
            }
            if (notTheSite) {
                return blocked(Method.DNS, path + " gave " + String.join(", ", hops.addresses(targetHost))
                        + ", which answered with a certificate that is not the site's.");
            }
            return null;
        }

        /** The path's resolver, as an explanation names it. */
        private String pathResolver() {
            String address = o.resolverAddress() == null ? "" : o.resolverAddress();
            boolean system = hops.queries(targetHost).stream().anyMatch(q -> "getaddrinfo".equals(q.engine()));
            if (address.isEmpty()) return "The system resolver (getaddrinfo)";
            return system ? "The system resolver (getaddrinfo, and " + address + " asked directly)" : "The resolver " + address;
        }

        /**
         * Every TLS handshake with the target's addresses on its https port failed on the
         * certificate (another name's, an unknown root's): those addresses are not the site's,
         * as an encrypted resolver's that validated is.
         */
        private boolean certificateNotTheSite() {
            HttpUrl target = HttpUrl.get(o.url());
            if (!target.isHttps()) return false;
            List<TlsHandshake> handshakes = hops.handshakes(targetHost, target.port());
            Set<String> certificateFailures = Set.of(Failure.SSL_INVALID_HOSTNAME, Failure.SSL_UNKNOWN_AUTHORITY, Failure.SSL_INVALID_CERTIFICATE);
            return !handshakes.isEmpty() && handshakes.stream().allMatch(h -> h.failure() != null && certificateFailures.contains(h.failure()))
                    && hops.addresses(targetHost).stream().noneMatch(encrypted.addresses()::contains);
        }

        private Verdict decidePage(HttpTransaction last, boolean partial) {
            List<Fingerprint> blockpages = sig.blockpages();
            // A known blockpage decides, unless it really is the site's own page: as long as the control's.
            // Header names a blockpage server shares with the site never explain it away.
            if (!blockpages.isEmpty() && !(controlUp && Boolean.TRUE.equals(comparison.bodyLengthMatch()))) {
                flags.addAll(Signatures.flags(blockpages));
                return blocked(inconsistent ? Method.DNS : Method.HTTP_DIFF, "The page is a known blockpage ("
                        + blockpages.get(0).name() + ").");
            }
            boolean https = HttpUrl.get(last.url()).isHttps();
            if (c == null) {
                if (https && !partial) return verdict(Status.ACCESSIBLE, "The page loaded over HTTPS with a valid certificate; no control was available.");
                return verdict(Status.INCONCLUSIVE, "The page loaded over plain HTTP, but without a control it cannot be told from a blockpage.");
            }
            if (!controlUp) {
                if (partial) return verdict(Status.INCONCLUSIVE, "The page began to load here and failed (" + last.failure()
                        + "), and the control could not fetch it either.");
                return verdict(Status.ACCESSIBLE, "The page loads here, although the control could not fetch it.");
            }
            if (partial) {
                // The control fetched the whole page; here it stopped after the headers. Never accessible.
                return blocked(inconsistent ? Method.DNS : Method.HTTP_FAILURE, "The page was cut short here (" + last.failure()
                        + " after " + last.response().body().length() + " bytes" + (slow == null ? "" : ", " + slow)
                        + ") while the control fetched it whole.");
            }
            if (comparison.sameAsControl()) {
                return verdict(Status.ACCESSIBLE, slow == null ? "The page loads and matches the control's."
                        : "The page loads and matches the control's, but slowly (" + slow + "): it may be throttled.");
            }
            if (Boolean.TRUE.equals(comparison.statusCodeMatch()) && !comparison.anyContentEvidence()) {
                return verdict(Status.INCONCLUSIVE, "The page loads with the control's status, but neither its length, its headers nor its title"
                        + " could be compared with the control's.");
            }
            if (comparison.statusCodeMatch() == null) {
                if (comparison.anyContentMatch()) return verdict(Status.ACCESSIBLE, "The page loads and resembles the control's.");
                return verdict(Status.INCONCLUSIVE, "The control itself got status " + c.httpRequest().statusCode()
                        + ", so the page here cannot be compared with it.");
            }
            if (!sig.falsePositives().isEmpty() && explainsAway(last.response().code(), c.httpRequest().statusCode())) {
                return verdict(Status.INCONCLUSIVE, "The page differs from the control's, but the difference looks like a known false positive ("
                        + sig.falsePositives().get(0).name() + ").");
            }
            flags.addAll(Signatures.flags(sig.vague()));
            String how = Boolean.FALSE.equals(comparison.statusCodeMatch())
                    ? "status " + last.response().code() + " here, " + c.httpRequest().statusCode() + " at the control"
                    : "its " + comparison.differences() + " differ";
            return blocked(inconsistent ? Method.DNS : Method.HTTP_DIFF, "The page differs from the control's (" + how + ").");
        }

        /**
         * Whether a page that matches a known false positive explains away its difference from the
         * control's: when both got the same status, or when the status here is one a server gives
         * some clients and not others (a challenge, a rate limit, an overload). A server does not
         * answer "Object not found" here and 200 to the control for the same URL at the same
         * moment; a censor injecting that answer does (Uzbekistan).
         */
        private static boolean explainsAway(int here, int control) {
            return here == control || here == 403 || here == 429 || here == 503;
        }

        private Verdict decideFailedStep() {
            HttpUrl stop = hops.stoppedAt();
            String host = stop.host();
            int port = stop.port();
            List<TcpConnect> connects = hops.connects(host, port);
            List<TlsHandshake> handshakes = hops.handshakes(host, port);
            List<String> endpoints = hops.addresses(host).stream().map(a -> ObservedHops.endpoint(a, port)).toList();
            String failure = o.httpExperimentFailure() == null ? Failure.unknown("no response") : o.httpExperimentFailure();

            if (hops.dnsFailed(host)) {
                String f = hops.queries(host).stream().map(q -> q.failure()).filter(x -> x != null).findFirst().orElse(failure);
                if (c == null) return noControl("DNS", f);
                boolean controlResolves = host.equalsIgnoreCase(targetHost) ? controlDnsOk : controlUp;
                if (!controlResolves) return verdict(Status.DOWN, "The name does not resolve, here (" + f + ") nor at the control.");
                return blocked(Method.DNS, "The name did not resolve here (" + f + ") but resolved at the control.");
            }
            if (!connects.isEmpty() && connects.stream().noneMatch(TcpConnect::success)) {
                String f = connects.get(0).failure();
                if (c == null) return noControl("TCP connect", f);
                Boolean controlTcp = controlTcp(endpoints);
                if (Boolean.TRUE.equals(controlTcp)) {
                    return blocked(inconsistent ? Method.DNS : Method.TCP_IP, "Connecting failed here (" + f
                            + ") while the control connected to the same address.");
                }
                if (controlUp && inconsistent) {
                    return blocked(Method.DNS, "The addresses resolved here do not answer (" + f + ") while the control reached the site at its own.");
                }
                if (controlUp) return verdict(Status.INCONCLUSIVE, "Connecting failed here (" + f
                        + "); the control reached the site but did not confirm these addresses.");
                return verdict(Status.DOWN, "Connecting fails here (" + f + ") and at the control.");
            }
            if (stop.isHttps() && !handshakes.isEmpty() && handshakes.stream().allMatch(h -> h.failure() != null)) {
                String f = handshakes.get(0).failure();
                ServerNameEvidence names = ServerNameEvidence.of(o, endpoints);
                if (c == null) return tlsWithoutControl(f, names);
                Boolean controlTls = controlTls(endpoints);
                boolean controlOk = Boolean.TRUE.equals(controlTls) || (controlTls == null && controlUp);
                if (!controlOk) return verdict(Status.DOWN, "The TLS handshake fails here (" + f + ") and at the control: the site's own fault."
                        + nameEvidence(names, false));
                if (Failure.SSL_UNKNOWN_AUTHORITY.equals(f)) {
                    flags.add(Flag.TLS_MITM.label());
                    return blocked(Method.TLS, "The TLS certificate chain here ends in an unknown root while the control saw a valid chain: the connection was intercepted."
                            + nameEvidence(names, true));
                }
                // Proven by name, the block is at the TLS step even where DNS was inconsistent (rule 5 otherwise): the
                // same address completed the handshake with another name, so it is not a wrong address that fails.
                boolean byName = names != null && names.finding() == ServerNameEvidence.Finding.NAME;
                return blocked(inconsistent && !byName ? Method.DNS : Method.TLS, "The TLS handshake failed here (" + f + ") while it succeeded at the control."
                        + nameEvidence(names, true));
            }
            if (c == null) return noControl("HTTP request", failure);
            if (controlUp) {
                return blocked(inconsistent ? Method.DNS : Method.HTTP_FAILURE, "The HTTP request failed here (" + failure
                        + ") while the control fetched the page.");
            }
            return verdict(Status.DOWN, "The HTTP request fails here (" + failure + ") and at the control.");
        }

        /** TRUE when the control connected to one of the endpoints, FALSE when it tried and failed on all, null when it did not try. */
        private Boolean controlTcp(List<String> endpoints) {
            return c == null ? null : anySucceeded(c.tcpConnect(), endpoints, ControlResponse.TcpConnect::status);
        }

        /** The same for the control's TLS handshakes. */
        private Boolean controlTls(List<String> endpoints) {
            return c == null ? null : anySucceeded(c.tlsHandshake(), endpoints, ControlResponse.TlsHandshake::status);
        }

        private static <T> Boolean anySucceeded(java.util.Map<String, T> results, List<String> endpoints, java.util.function.Predicate<T> ok) {
            Boolean result = null;
            for (String e : endpoints) {
                T t = results.get(e);
                if (t == null) continue;
                if (ok.test(t)) return true;
                result = false;
            }
            return result;
        }

        /**
         * A failed handshake without a control. The follow-up's comparison on the probe's own line
         * can decide alone, as OONI's sni_blocking decides on its control name's success: the site's
         * name reset, cut or stalled twice while a random name of the same TLD, or none, completed
         * the handshake with the same address at the same moment is blocked, by name. A server
         * that is up answers its own name as it answers others, and no server resets or stalls
         * only its own name; the censor's DPI does exactly that. Certificates and TLS alerts stay
         * inconclusive: a server can hold an expired or wrong certificate, or refuse a
         * misconfigured name, for its own name alone while its default name works.
         */
        private Verdict tlsWithoutControl(String failure, ServerNameEvidence names) {
            boolean network = Failure.CONNECTION_RESET.equals(failure) || Failure.EOF.equals(failure) || Failure.GENERIC_TIMEOUT.equals(failure);
            if (names != null && names.finding() == ServerNameEvidence.Finding.NAME && network) {
                flags.add(Flag.SNI_BLOCKED.label());
                return blocked(Method.TLS, "The TLS handshake failed here (" + failure + ") and no control was available, but the server name is the trigger: "
                        + names.description() + ".");
            }
            return verdict(Status.INCONCLUSIVE, noControlText("TLS handshake", failure) + nameEvidence(names, false));
        }

        /**
         * The follow-up's evidence for an explanation (a leading space, or "" without a follow-up).
         * When {@code flag} (the verdict is a block), a conclusion and its flag: {@code sni_blocked}
         * when the name is the trigger, {@code ip_blocked} when the address is; otherwise, and for
         * a flaky or unclear comparison, what was seen, without a flag.
         */
        private String nameEvidence(ServerNameEvidence names, boolean flag) {
            if (names == null) return "";
            if (flag && names.finding() == ServerNameEvidence.Finding.NAME) {
                flags.add(Flag.SNI_BLOCKED.label());
                return " " + names.conclusion() + ": " + names.description() + ".";
            }
            if (flag && names.finding() == ServerNameEvidence.Finding.ADDRESS) {
                flags.add(Flag.IP_BLOCKED.label());
                return " " + names.conclusion() + ": " + names.description() + ".";
            }
            if (names.finding() == ServerNameEvidence.Finding.FLAKY) return " " + capitalised(names.description()) + ".";
            return " Other names were tried: " + names.description() + ".";
        }

        private static String capitalised(String s) {
            return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }

        private Verdict noControl(String step, String failure) {
            return verdict(Status.INCONCLUSIVE, noControlText(step, failure));
        }

        private static String noControlText(String step, String failure) {
            return "The " + step + " failed here (" + failure + "), and without a control it cannot be told whether the site works elsewhere.";
        }

        private Verdict blocked(Method method, String explanation) {
            if (method == Method.DNS && encryptedNote != null) explanation = explanation + " " + encryptedNote;
            return new Verdict(Status.BLOCKED, method, new ArrayList<>(flags), explanation);
        }

        private Verdict verdict(Status status, String explanation) {
            return new Verdict(status, null, new ArrayList<>(flags), explanation);
        }
    }
}
