package org.blockwatch.scenarios;

import java.util.List;
import org.blockwatch.core.verdict.Verdict;
import org.blockwatch.core.verdict.Verdict.Method;
import org.blockwatch.core.verdict.Verdict.Status;

/**
 * One site of the censored world: what is done to it, and the verdict that must follow with the
 * control answering and, where the table says, with the control unreachable.
 *
 * @param host the site's name in the world (every name ends in {@code .example})
 * @param https whether the site is measured over HTTPS
 * @param withoutControl the verdict with no control; null where the table makes no claim
 */
public record Scenario(String host, boolean https, Technique censor, Expected withControl, Expected withoutControl) {

    /** A verdict as the table states it: status, method, and flags that must be among the verdict's. */
    public record Expected(Status status, Method method, List<String> flags) {
        public Expected {
            flags = List.copyOf(flags);
        }

        public static Expected of(Status status, Method method, String... flags) {
            return new Expected(status, method, List.of(flags));
        }

        public boolean matches(Verdict v) {
            return v.status() == status && v.method() == method && v.flags().containsAll(flags);
        }

        @Override
        public String toString() {
            return status.label() + (method == null ? "" : " " + method.label()) + (flags.isEmpty() ? "" : " " + flags);
        }
    }

    @Override
    public String toString() {
        return host + ": " + censor.description();
    }
}
