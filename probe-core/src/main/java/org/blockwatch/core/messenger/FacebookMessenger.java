package org.blockwatch.core.messenger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.blockwatch.core.apps.AppControl;
import org.blockwatch.core.apps.AppControl.Outside;
import org.blockwatch.core.apps.AppKind;
import org.blockwatch.core.apps.AppResult;
import org.blockwatch.core.apps.AppTrace;
import org.blockwatch.core.apps.AppVerdict;
import org.blockwatch.core.apps.AppVerdict.Finding;
import org.blockwatch.core.apps.Findings;
import org.blockwatch.core.archival.TcpConnect;
import org.blockwatch.core.dns.Resolution;
import org.blockwatch.core.engine.Steps;
import org.blockwatch.core.ip.AddressRange;
import org.blockwatch.core.ip.Endpoint;
import org.blockwatch.core.nettest.Result;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;

/**
 * Facebook Messenger (OONI's ts-019, probe-cli's {@code facebook_messenger} 0.2.1): each of
 * Messenger's service names resolved, its answers expected in Facebook's address space (AS32934),
 * and, when they are, connected on 443 (the STUN name only resolved: it serves UDP).
 *
 * <p>OONI's keys: {@code facebook_<service>_dns_consistent} false when an answer falls outside
 * Facebook's address space or the lookup failed, and then {@code facebook_dns_blocking};
 * {@code facebook_<service>_reachable} (null when the answers were not Facebook's) false when no
 * connection to its addresses was accepted, and then {@code facebook_tcp_blocking}. blockwatch's verdict asks the control to
 * resolve the first name that answered outside: only when the control's answer is Facebook's is it
 * a DNS block (an address space that has moved is not a censor). Thread-safe.
 */
public final class FacebookMessenger extends AppKind {
    public static final String TEST_NAME = "facebook_messenger";
    public static final String TEST_VERSION = "0.2.1";
    private static final Name NAME = new Name(TEST_NAME, TEST_VERSION, InputShape.NONE);
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final String ADDRESS_SPACE = "facebook-as32934.txt";
    /** The service that speaks UDP: resolved, never connected. */
    static final String STUN = "stun";

    /** A service: its name in OONI's keys ({@code b_api}) and its host. */
    public record Service(String key, String host) {
        public Service {
            if (!KEY.matcher(key).matches()) throw new IllegalArgumentException("facebook_messenger: service key '" + key + "' is not lower_case_words");
            if (!HOST.matcher(host).matches()) throw new IllegalArgumentException("facebook_messenger: '" + host + "' is not a host name");
        }
    }

    /** The services (in OONI's keys' order) and Facebook's address space. */
    public record Endpoints(List<Service> services, List<AddressRange> addressSpace) {
        /** ts-019's services, and AS32934's prefixes as bundled. */
        public static final Endpoints DEFAULT = new Endpoints(List.of(new Service("b_api", "b-api.facebook.com"),
                new Service("b_graph", "b-graph.facebook.com"), new Service("edge", "edge-mqtt.facebook.com"),
                new Service("external_cdn", "external.xx.fbcdn.net"), new Service("scontent_cdn", "scontent.xx.fbcdn.net"),
                new Service("star", "star.c10r.facebook.com"), new Service(STUN, "stun.fbsbx.com")), bundledAddressSpace());

        public Endpoints {
            services = List.copyOf(services);
            addressSpace = List.copyOf(addressSpace);
            if (services.isEmpty()) throw new IllegalArgumentException("facebook_messenger: no service given");
            if (addressSpace.isEmpty()) throw new IllegalArgumentException("facebook_messenger: no address space given");
        }

        boolean inSpace(String ip) {
            return addressSpace.stream().anyMatch(r -> r.contains(ip));
        }
    }

    /** AS32934's prefixes, bundled. */
    public static List<AddressRange> bundledAddressSpace() {
        try (InputStream in = FacebookMessenger.class.getResourceAsStream(ADDRESS_SPACE)) {
            if (in == null) throw new IllegalStateException(ADDRESS_SPACE + " is missing from the package");
            List<AddressRange> out = new ArrayList<>();
            for (String line : new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList()) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) out.add(AddressRange.parse(l));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new IllegalStateException(ADDRESS_SPACE + " cannot be read", e);
        }
    }

    private final Endpoints endpoints;

    public FacebookMessenger(Steps steps, AppControl control, Endpoints endpoints) {
        super(steps, control);
        this.endpoints = endpoints;
    }

    @Override
    public Name name() {
        return NAME;
    }

    /** One service: its lookup, whether an answer was Facebook's, and the connects (none for STUN or when inconsistent). */
    private record Checked(Service service, Resolution resolution, boolean consistent, List<TcpConnect> connects) {
        Boolean reachable() {
            if (!consistent || service.key().equals(STUN) || connects.isEmpty()) return null;
            return connects.stream().anyMatch(TcpConnect::success);
        }
    }

    @Override
    public Result measure(String input) {
        check(input);
        Instant start = Instant.now();
        AppTrace trace = trace();
        List<Checked> checked = trace.all(endpoints.services(), s -> check(trace, s));
        boolean dnsBlocking = checked.stream().anyMatch(c -> !c.consistent());
        boolean tcpBlocking = checked.stream().anyMatch(c -> Boolean.FALSE.equals(c.reachable()));

        AppControl.View view = AppControl.notAsked();
        List<Finding> findings = new ArrayList<>();
        if (dnsBlocking || tcpBlocking) {
            Checked firstOutside = checked.stream().filter(c -> !c.consistent()).findFirst().orElse(null);
            String url = "https://" + (firstOutside != null ? firstOutside : checked.getFirst()).service().host() + "/";
            List<String> asked = new ArrayList<>();
            for (Checked c : checked) for (TcpConnect t : c.connects()) asked.add(Endpoint.format(t.ip(), t.port()));
            view = control.ask(url, List.copyOf(new LinkedHashSet<>(asked)));
            for (Checked c : checked) {
                if (!c.consistent()) findings.add(dnsFinding(c, c == firstOutside, view));
            }
            for (Checked c : checked) {
                if (Boolean.FALSE.equals(c.reachable())) {
                    List<String> tried = c.connects().stream().map(t -> Endpoint.format(t.ip(), t.port())).toList();
                    findings.add(Finding.of(c.service().host() + " refused or dropped connections on port 443", Method.TCP_IP,
                            c.connects().getFirst().failure(), Findings.anyAnswered(tried, view)));
                }
            }
        }
        Verdict verdict = AppVerdict.decide("Facebook Messenger", findings);

        Map<String, Object> keys = new LinkedHashMap<>();
        for (Checked c : checked) {
            keys.put("facebook_" + c.service().key() + "_dns_consistent", c.consistent());
            keys.put("facebook_" + c.service().key() + "_reachable", c.reachable());
        }
        keys.put("facebook_dns_blocking", dnsBlocking);
        keys.put("facebook_tcp_blocking", tcpBlocking);
        return new AppResult("", start, since(start), keys, trace.records(), view, verdict);
    }

    private Checked check(AppTrace trace, Service s) {
        Resolution r = trace.resolve(s.host());
        // OONI's rule: consistent when the lookup worked and every answer is Facebook's.
        boolean consistent = r.failure() == null && !r.addresses().isEmpty() && r.addresses().stream().allMatch(endpoints::inSpace);
        // As OONI does, the connects are made whatever the answers (reachable is then not judged).
        List<TcpConnect> connects = s.key().equals(STUN) ? List.of() : trace.connectInTurn(r.addresses(), 443);
        return new Checked(s, r, consistent, connects);
    }

    /**
     * A name answered outside Facebook's space (or not at all). The control resolved the first
     * such name: Facebook's address there is a block here; no address there is a service down;
     * another address there says the space has moved, not that anyone censors.
     */
    private Finding dnsFinding(Checked c, boolean askedOfControl, AppControl.View view) {
        Outside outside = Outside.UNKNOWN;
        if (askedOfControl && view.available()) {
            List<String> there = view.dns();
            if (there.isEmpty()) outside = Outside.FAILED;
            else if (there.stream().anyMatch(endpoints::inSpace)) outside = Outside.ANSWERED;
        }
        String failure = c.resolution().failure() != null ? c.resolution().failure()
                : c.resolution().addresses().isEmpty() ? "dns_no_answer" : "answers outside Facebook's address space: " + c.resolution().addresses();
        return Finding.of(c.service().host() + " resolved outside Facebook's address space", Method.DNS, failure, outside);
    }
}
