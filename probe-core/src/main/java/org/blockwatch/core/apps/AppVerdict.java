package org.blockwatch.core.apps;

import java.util.ArrayList;
import java.util.List;
import org.blockwatch.core.apps.AppControl.Outside;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/**
 * blockwatch's verdict on an app from the parts OONI's keys call blocked, with the rules of
 * evidence of a web page's verdict: a part failing here is a block only when the control reached
 * it from outside, or when the failure is evidence in itself (an interception by another root, an
 * address no public service has); a part failing for the control too is down; a part the control
 * could not judge leaves the app inconclusive. The first confirmed part, in the order the kind
 * lists them (the app's own service first, its web client last), gives the method.
 */
public final class AppVerdict {
    private AppVerdict() {}

    /**
     * One part of the app that failed here, as OONI's keys count it.
     *
     * @param part what failed, in words ("the data centres on port 80 and 443")
     * @param method how, if it is a block: the step the censor broke
     * @param failure OONI's failure string of it (the first, when several failed)
     * @param outside what the control saw of it
     * @param evident the failure is evidence without a control (then {@code outside} does not matter unless it failed too)
     * @param flags the evidence flags it carries (a government root)
     */
    public record Finding(String part, Method method, String failure, Outside outside, boolean evident, List<String> flags) {
        public Finding {
            flags = List.copyOf(flags);
        }

        public static Finding of(String part, Method method, String failure, Outside outside) {
            return new Finding(part, method, failure, outside, false, List.of());
        }

        boolean confirmed() {
            return outside == Outside.ANSWERED || evident && outside != Outside.FAILED;
        }
    }

    /** @param app the app's name as a reader knows it ("Telegram") */
    public static Verdict decide(String app, List<Finding> failed) {
        if (failed.isEmpty()) return new Verdict(Status.ACCESSIBLE, null, List.of(), app + " answered on every part measured.");
        List<Finding> blocked = failed.stream().filter(Finding::confirmed).toList();
        List<Finding> down = failed.stream().filter(f -> !f.confirmed() && f.outside() == Outside.FAILED).toList();
        List<Finding> unknown = failed.stream().filter(f -> !f.confirmed() && f.outside() == Outside.UNKNOWN).toList();
        if (!blocked.isEmpty()) {
            Finding first = blocked.getFirst();
            List<String> flags = blocked.stream().flatMap(f -> f.flags().stream()).distinct().toList();
            StringBuilder why = new StringBuilder(app).append(" is blocked: ").append(describe(blocked));
            if (!down.isEmpty()) why.append(" (").append(describe(down)).append(", failing from outside too)");
            return new Verdict(Status.BLOCKED, first.method(), flags, why.append('.').toString());
        }
        if (unknown.isEmpty()) {
            return new Verdict(Status.DOWN, null, List.of(), app + " is down: " + describe(down) + ", here and from outside alike.");
        }
        return new Verdict(Status.INCONCLUSIVE, null, List.of(), app + ": " + describe(unknown)
                + ", and no control could tell a block from a service that is down"
                + (down.isEmpty() ? "" : " (" + describe(down) + ", failing from outside too)") + ".");
    }

    private static String describe(List<Finding> findings) {
        List<String> parts = new ArrayList<>();
        for (Finding f : findings) parts.add(f.part() + " (" + f.failure() + ")");
        return String.join("; ", parts);
    }
}
