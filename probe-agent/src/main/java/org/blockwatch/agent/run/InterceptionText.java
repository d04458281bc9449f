package org.blockwatch.agent.run;

import java.util.List;
import org.blockwatch.core.archival.InterceptionSignal;
import org.blockwatch.core.archival.ResolverInterception;

/**
 * How the agent's log and {@code status} say that a plain-DNS resolver is answered by someone
 * else: {@code 1.1.1.1:53 is answered by someone else (identity 'ns1.isp.example', not /^[A-Z]{3}$/)}.
 * One sentence for both, from the check itself or from a measurement's {@code x_dns_intercepted}.
 */
public final class InterceptionText {
    private InterceptionText() {}

    /** The sentence for an intercepted resolver's check. */
    public static String line(ResolverInterception r) {
        for (InterceptionSignal s : r.signals()) {
            if (s instanceof InterceptionSignal.Identity i && i.outcome() == InterceptionSignal.Outcome.MISMATCH) {
                return line(r.resolverAddress(), i.expected(), i.answers(), i.failure());
            }
        }
        return line(r.resolverAddress(), null, List.of(), null);
    }

    /**
     * The sentence from its parts: the resolver ({@code IP:PORT}), the identity expected (a
     * pattern; null when another signal found it), the identity answers kept and the failure of
     * the identity query (a refusal: {@code dns_refused_error}).
     */
    public static String line(String resolver, String expected, List<String> answers, String failure) {
        return resolver + " is answered by someone else (" + why(expected, answers, failure) + ")";
    }

    /** What shows it, the part in brackets: {@code identity 'ns1.isp.example', not /^[A-Z]{3}$/}. */
    public static String why(String expected, List<String> answers, String failure) {
        String not = expected == null ? "" : ", not /" + expected + "/";
        if (expected == null) return "its answers are not its own";
        if (!answers.isEmpty()) return "identity '" + String.join("', '", answers) + "'" + not;
        if (failure != null) return "its identity query was answered " + failure + not;
        return "no identity in its answer" + not;
    }
}
