package org.blockwatch.core.dnscheck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.blockwatch.core.failure.Operation;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Flag;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/**
 * blockwatch's verdict on one resolver, from what dnscheck saw here and what the control saw from
 * outside. Pure: every decision of the kind is here.
 *
 * <ol>
 *   <li>Answered, but not by the resolver asked ({@link Interception}): blocked, {@code dns},
 *       flag {@code dns_intercepted} (and {@code dns_injected} for two replies to one query). No
 *       control is needed: the evidence is the resolver's own.
 *   <li>The resolver answered here: accessible, unless the control's answers for the same names
 *       share no address with these (or the control found addresses where this found none):
 *       blocked, {@code dns}. Without a control the answers cannot be checked: accessible.
 *   <li>Nothing answered here (or the resolver's name did not resolve): without a control,
 *       inconclusive (a block cannot be told from a resolver that is down); when the control got
 *       no answer either, down; when it did, blocked, and how: the name ({@code dns}: the system
 *       resolver refused the resolver's name), the address ({@code tcp_ip}, flag
 *       {@code ip_blocked}: the connect failed; a UDP query without any response is one too, as
 *       STUN's is), the handshake ({@code tls}, flag {@code sni_blocked} when the same address
 *       completed a handshake without the name), or the exchange after them ({@code dns}).
 * </ol>
 */
public final class ResolverVerdict {
    private ResolverVerdict() {}

    /**
     * One address of the resolver as measured here: whether any response of the resolver arrived,
     * the first failure and its operation, the addresses found, and whether a handshake without
     * the name passed there (null: not tried).
     */
    public record Endpoint(String key, boolean answered, String failure, Operation failedOperation, Set<String> addresses, Boolean passedWithoutName) {
        public Endpoint {
            addresses = Set.copyOf(addresses);
        }
    }

    /** The control as the verdict reads it: asked, its bootstrap worked, the resolver answered it, the addresses it found. */
    public record Control(boolean available, String why, boolean bootstrapped, boolean answered, Set<String> addresses) {
        public Control {
            addresses = Set.copyOf(addresses);
        }

        public static Control none(String why) {
            return new Control(false, why, false, false, Set.of());
        }
    }

    /**
     * @param resolver the input, for the explanation
     * @param udp whether queries went over UDP (no connect: a query without response is the address's block)
     * @param bootstrapFailure why the resolver's name gave no address here (null when it did, or had no name)
     */
    public record Facts(String resolver, boolean udp, String bootstrapFailure, List<Endpoint> endpoints, Optional<Interception.Finding> interception,
            Control control) {
        public Facts {
            endpoints = List.copyOf(endpoints);
        }
    }

    public static Verdict decide(Facts f) {
        String r = f.resolver();
        if (f.interception().isPresent()) {
            Interception.Finding found = f.interception().get();
            List<String> flags = found.injected() ? List.of(Flag.DNS_INTERCEPTED.label(), Flag.DNS_INJECTED.label()) : List.of(Flag.DNS_INTERCEPTED.label());
            return new Verdict(Status.BLOCKED, Method.DNS, flags, "The resolver " + r + " was answered for: " + found.explanation() + ".");
        }
        Control c = f.control();
        List<Endpoint> answered = f.endpoints().stream().filter(Endpoint::answered).toList();
        if (!answered.isEmpty()) {
            Set<String> here = new java.util.TreeSet<>();
            answered.forEach(e -> here.addAll(e.addresses()));
            if (!c.available() || !c.answered() || c.addresses().isEmpty()) {
                String unchecked = c.available() ? "" : " (its answers were not compared with a control: " + c.why() + ")";
                return new Verdict(Status.ACCESSIBLE, null, List.of(), "The resolver " + r + " answered here" + unchecked + ".");
            }
            if (here.isEmpty() || Collections.disjoint(here, c.addresses())) {
                return new Verdict(Status.BLOCKED, Method.DNS, List.of(), "The resolver " + r + " answered " + (here.isEmpty() ? "no address" : here)
                        + " here and " + new java.util.TreeSet<>(c.addresses()) + " to the control: its answers are altered on the way.");
            }
            return new Verdict(Status.ACCESSIBLE, null, List.of(), "The resolver " + r + " answered here as it answers the control.");
        }
        String here = f.endpoints().isEmpty() ? "its name did not resolve here (" + f.bootstrapFailure() + ")" : describe(f.endpoints().getFirst(), f.udp());
        if (!c.available()) {
            return new Verdict(Status.INCONCLUSIVE, null, List.of(), "The resolver " + r + " did not answer: " + here
                    + "; no control could be asked (" + c.why() + "), so a block cannot be told from a resolver that is down.");
        }
        if (!c.answered()) {
            return new Verdict(Status.DOWN, null, List.of(), "The resolver " + r + " did not answer here (" + here + ") nor to the control.");
        }
        if (f.endpoints().isEmpty()) {
            return new Verdict(Status.BLOCKED, Method.DNS, List.of(), "The resolver " + r + " answered the control, but " + here + ".");
        }
        Endpoint e = f.endpoints().getFirst();
        Operation op = e.failedOperation();
        if (op == Operation.CONNECT || (f.udp() && op == Operation.RESOLVE)) {
            return new Verdict(Status.BLOCKED, Method.TCP_IP, List.of(Flag.IP_BLOCKED.label()), "The resolver " + r + " answered the control, not here: "
                    + here + ".");
        }
        if (op == Operation.TLS_HANDSHAKE) {
            List<String> flags = new ArrayList<>();
            String byName = "";
            if (Boolean.TRUE.equals(e.passedWithoutName())) {
                flags.add(Flag.SNI_BLOCKED.label());
                byName = "; a handshake with the same address without the resolver's name passed: the name (SNI) is blocked";
            }
            return new Verdict(Status.BLOCKED, Method.TLS, flags, "The resolver " + r + " answered the control, not here: " + here + byName + ".");
        }
        return new Verdict(Status.BLOCKED, Method.DNS, List.of(), "The resolver " + r + " answered the control, not here: " + here + ".");
    }

    private static String describe(Endpoint e, boolean udp) {
        if (e.failedOperation() == null || (udp && e.failedOperation() == Operation.RESOLVE)) return "no response from " + e.key() + " (" + e.failure() + ")";
        String where = switch (e.failedOperation()) {
            case CONNECT -> "the connect to ";
            case TLS_HANDSHAKE -> "the TLS handshake with ";
            default -> "the exchange with ";
        };
        return where + e.key() + " failed (" + e.failure() + ")";
    }
}
