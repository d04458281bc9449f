package org.blockwatch.core.signal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.blockwatch.core.apps.AppControl;
import org.blockwatch.core.apps.AppKind;
import org.blockwatch.core.apps.AppResult;
import org.blockwatch.core.apps.AppTrace;
import org.blockwatch.core.apps.AppVerdict;
import org.blockwatch.core.apps.AppVerdict.Finding;
import org.blockwatch.core.apps.Findings;
import org.blockwatch.core.archival.PeerCertificate;
import org.blockwatch.core.archival.TlsHandshake;
import org.blockwatch.core.engine.Steps;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.signature.InterceptionRoots;
import org.blockwatch.core.tls.TrustRoots;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Flag;
import org.blockwatch.core.verdict.Verdict.Method;

/**
 * Signal (OONI's ts-029, probe-cli's {@code signal} 0.2.5): a GET to each of Signal's service
 * URLs, its certificate valid when it chains to Signal's own roots (which the app pins) or, as in
 * OONI's 0.2.5, to a public root (some of Signal's services present public certificates; a
 * national root such as Kazakhstan's is in neither), and a lookup of {@code uptime.signal.org},
 * recorded and not judged (Signal announces outages there).
 *
 * <p>OONI's keys: {@code signal_backend_status} {@code blocked} with the first failure when any
 * service failed. blockwatch's verdict goes further: a chain that ends in another root is an
 * interception, whoever signed it, and says which root (a government's is flagged as such); the
 * other failures are judged against the control. Thread-safe.
 */
public final class Signal extends AppKind {
    public static final String TEST_NAME = "signal";
    public static final String TEST_VERSION = "0.2.5";
    private static final Name NAME = new Name(TEST_NAME, TEST_VERSION, InputShape.NONE);
    private static final String ROOTS = "signal-roots.pem";

    /** Signal's service URLs, the name looked up for outages, and the roots a chain must end in. */
    public record Endpoints(List<String> services, String uptime, List<X509Certificate> roots) {
        /** ts-029's services and roots (Signal Messenger's of 2022, and TextSecure's of 2013). */
        public static final Endpoints DEFAULT = new Endpoints(List.of("https://cdsi.signal.org/", "https://chat.signal.org/",
                "https://sfu.voip.signal.org/", "https://storage.signal.org/"), "uptime.signal.org", bundledRoots());

        public Endpoints {
            services = List.copyOf(services);
            roots = List.copyOf(roots);
            if (services.isEmpty()) throw new IllegalArgumentException("signal: no service URL given");
            for (String s : services) Findings.requireHttps(TEST_NAME, s);
            if (roots.isEmpty()) throw new IllegalArgumentException("signal: no root to pin");
        }
    }

    /** The roots Signal's apps pin, bundled. */
    public static List<X509Certificate> bundledRoots() {
        try (InputStream in = Signal.class.getResourceAsStream(ROOTS)) {
            if (in == null) throw new IllegalStateException(ROOTS + " is missing from the package");
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) out.add((X509Certificate) c);
            return List.copyOf(out);
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException(ROOTS + " cannot be read", e);
        }
    }

    private final Endpoints endpoints;
    private final Steps pinned;
    private final InterceptionRoots government;

    public Signal(Steps steps, AppControl control, Endpoints endpoints) {
        super(steps, control);
        this.endpoints = endpoints;
        this.pinned = steps.pinnedTo(TrustRoots.jdkPlus(endpoints.roots()));
        this.government = InterceptionRoots.bundled();
    }

    @Override
    public Name name() {
        return NAME;
    }

    @Override
    public Result measure(String input) {
        check(input);
        Instant start = Instant.now();
        AppTrace trace = new AppTrace(pinned, steps.config().urlDeadline());
        List<HttpUrl> services = endpoints.services().stream().map(HttpUrl::get).toList();
        List<AppTrace.Page> pages = trace.all(services, trace::page);
        trace.resolve(endpoints.uptime());

        String failure = pages.stream().map(AppTrace.Page::failure).filter(f -> f != null).findFirst().orElse(null);
        AppControl.View view = AppControl.notAsked();
        List<Finding> findings = new ArrayList<>();
        if (failure != null) {
            int first = -1;
            for (int i = 0; i < pages.size() && first < 0; i++) if (pages.get(i).failure() != null && interception(pages.get(i)) == null) first = i;
            List<String> asked = new ArrayList<>();
            for (AppTrace.Page p : pages) if (p.endpoint() != null) asked.add(p.endpoint());
            // Only a failure that is not evidence in itself needs the control.
            if (first >= 0) view = control.ask(endpoints.services().get(first), List.copyOf(new LinkedHashSet<>(asked)));
            for (int i = 0; i < pages.size(); i++) {
                AppTrace.Page p = pages.get(i);
                if (p.failure() == null) continue;
                String what = services.get(i).host();
                Finding intercepted = intercepted(what, p);
                if (intercepted != null) findings.add(intercepted);
                else findings.add(i == first ? Findings.page(what, p, view) : Findings.otherPage(what, p, view));
            }
        }
        Verdict verdict = AppVerdict.decide("Signal", findings);

        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("signal_backend_failure", failure);
        keys.put("signal_backend_status", failure == null ? "ok" : "blocked");
        return new AppResult("", start, since(start), keys, trace.records(), view, verdict);
    }

    /** The handshake of a page whose chain arrived and ended in a root that is not Signal's; null otherwise. */
    private static TlsHandshake interception(AppTrace.Page p) {
        if (p.failedHandshake() == null || p.failedHandshake().tls() == null) return null;
        TlsHandshake h = p.failedHandshake().tls();
        return Failure.SSL_UNKNOWN_AUTHORITY.equals(h.failure()) && !h.peerCertificates().isEmpty() ? h : null;
    }

    /**
     * A chain to a root that is neither Signal's nor public: an interception, which needs no
     * control (Signal's servers present such chains to no one). The finding names the root.
     */
    private Finding intercepted(String what, AppTrace.Page p) {
        TlsHandshake h = interception(p);
        if (h == null) return null;
        String root = rootOf(h.peerCertificates());
        Optional<String> gov = government.find(h.peerCertificates(), null);
        List<String> flags = gov.isPresent() ? List.of(Flag.TLS_MITM.label(), Flag.TLS_MITM_GOVERNMENT_ROOT.label()) : List.of(Flag.TLS_MITM.label());
        String part = what + " was intercepted: its certificate chains to " + root + ", neither Signal's root nor a public one"
                + gov.map(g -> "; the chain carries " + g + ", known from a government's interception").orElse("");
        return new Finding(part, Method.TLS, h.failure(), AppControl.Outside.UNKNOWN, true, flags);
    }

    /** The root a chain as sent names: the issuer of its last certificate. */
    static String rootOf(List<PeerCertificate> chain) {
        try {
            X509Certificate last = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(chain.getLast().der()));
            return "'" + last.getIssuerX500Principal().getName() + "'";
        } catch (CertificateException e) {
            return "an unreadable certificate";
        }
    }
}
