package org.blockwatch.core.verdict;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * blockwatch's decision about one measurement (docs/interfaces.md, "The verdict"). Its
 * vocabulary (status, method, flag) is typed here once; the store, the metrics, the exports and
 * the logs write the labels these enums give.
 */
public record Verdict(Status status, Method method, List<String> flags, String explanation) {

    public Verdict {
        flags = List.copyOf(flags);
        if ((status == Status.BLOCKED) != (method != null)) {
            throw new IllegalArgumentException("a method is given exactly when the status is blocked");
        }
    }

    /** The method's label, or null when the site is not blocked. */
    public String methodLabel() {
        return method == null ? null : method.label();
    }

    public enum Status {
        ACCESSIBLE, BLOCKED, DOWN, INCONCLUSIVE;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for a label no status has */
        public static Status ofLabel(String label) {
            for (Status s : values()) {
                if (s.label().equals(label)) return s;
            }
            throw new IllegalArgumentException("'" + label + "' is not a status (" + labels(values()) + ")");
        }
    }

    /** How a site is blocked: the step that the censor broke. */
    public enum Method {
        DNS("dns"), TCP_IP("tcp_ip"), TLS("tls"), HTTP_FAILURE("http-failure"), HTTP_DIFF("http-diff"),
        /** Slowed by the censor, by the site's name: the same address answers fast to another name. */
        THROTTLING("throttling");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }

        /** The method of {@code label}; null for null (not blocked). */
        public static Method ofLabel(String label) {
            if (label == null) return null;
            for (Method m : values()) {
                if (m.label.equals(label)) return m;
            }
            throw new IllegalArgumentException("'" + label + "' is not a blocking method (" + labels(values()) + ")");
        }
    }

    /**
     * The kinds of evidence flag. A flag in a verdict is the kind's label, except a blockpage,
     * which names the fingerprint: {@code blockpage:<name>}.
     */
    public enum Flag {
        DNS_BOGON("dns_bogon"), DNS_INJECTED("dns_injected"), TLS_MITM("tls_mitm"), TLS_MITM_GOVERNMENT_ROOT("tls_mitm_government_root"),
        BLOCKPAGE("blockpage"), THROTTLED("throttled"),
        /**
         * A resolver asked over Do53 is answered by someone else: an identity that is not its own,
         * or (dnscheck) an injector's reply before its own; in a web measurement, a resolver it
         * asked ({@code x_dns_intercepted}). A flag only: it changes no status.
         */
        DNS_INTERCEPTED("dns_intercepted"),
        /**
         * The server name is the trigger: on the address where the site's TLS handshake failed (or
         * got a chain that does not fit), twice, another name (a random one of the same TLD, or
         * none) passed. On a {@code tls} block.
         */
        SNI_BLOCKED("sni_blocked"),
        /**
         * The address, not the name: on the address where the site's TLS handshake failed, every
         * name failed (or, for a certificate, got the same interceptor's chain); for a resolver
         * (dnscheck), its address refused connections or UDP queries while the control's got
         * through. On a block.
         */
        IP_BLOCKED("ip_blocked"),
        /**
         * Never in a single verdict: the agent sets it on a target whose handshakes or transfers
         * have stayed slower than its own history while the sweep's baselines did not.
         */
        SLOWER_THAN_USUAL("slower_than_usual");

        private final String label;

        Flag(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The flag of a blockpage that matched the fingerprint {@code name}. */
        public static String blockpage(String name) {
            return BLOCKPAGE.label + ":" + name;
        }

        /** The kind of a flag as it stands in a verdict ({@code blockpage:<name>} is {@link #BLOCKPAGE}). */
        public static Flag kindOf(String flag) {
            int colon = flag.indexOf(':');
            String kind = colon < 0 ? flag : flag.substring(0, colon);
            for (Flag f : values()) {
                if (f.label.equals(kind)) return f;
            }
            throw new IllegalArgumentException("'" + flag + "' is not an evidence flag (" + labels(values()) + ")");
        }
    }

    private static String labels(Enum<?>[] values) {
        return String.join(", ", Arrays.stream(values).map(v -> switch (v) {
            case Status s -> s.label();
            case Method m -> m.label();
            case Flag f -> f.label();
            default -> v.name();
        }).toList());
    }
}
