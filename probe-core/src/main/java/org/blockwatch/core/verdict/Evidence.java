package org.blockwatch.core.verdict;

import java.util.Comparator;
import java.util.List;
import org.blockwatch.core.verdict.Verdict.Flag;
import org.blockwatch.core.verdict.Verdict.Method;

/**
 * Which of two {@code blocked} verdicts on one target carries the stronger evidence, for the agent
 * that confirms a block by a second measurement and publishes one method (docs/method.md,
 * "Confirming a change"). A censor that is flaky or layered (a dropped SYN one time, a reset
 * ClientHello the next), or a line still full of the first measurement's traffic, gives two
 * methods for one block; the block is confirmed by the status and the method published is the
 * one with more to show for it:
 * <ol>
 *   <li>more signature flags: what no working network produces (a blockpage, an injected or bogon
 *       DNS answer, an interception root, an intercepted resolver, a server name or an address
 *       proven the trigger); a slow transfer ({@code throttled}) is a hint, not a signature;
 *   <li>then the method: content compared beats a failure (a page that differs, DNS answers that
 *       differ, throttling proven by name), and among failures the one that got further (the
 *       steps before it worked in that measurement, so the earlier failure of the other was
 *       not the censor's last word): http-diff, dns, throttling, http-failure, tls, tcp_ip;
 *   <li>on a tie, the confirming measurement's (the newer).
 * </ol>
 */
public final class Evidence {
    /** Strongest first. */
    private static final List<Method> ORDER = List.of(Method.HTTP_DIFF, Method.DNS, Method.THROTTLING, Method.HTTP_FAILURE, Method.TLS, Method.TCP_IP);

    private static final Comparator<Verdict> STRENGTH = Comparator.comparingInt(Evidence::signatures)
            .thenComparing(v -> -ORDER.indexOf(v.method()));

    private Evidence() {}

    /** Whether {@code a} carries strictly stronger evidence than {@code b}; both blocked. */
    public static boolean stronger(Verdict a, Verdict b) {
        if (a.method() == null || b.method() == null) {
            throw new IllegalArgumentException("only blocked verdicts are compared: " + a.status().label() + ", " + b.status().label());
        }
        return STRENGTH.compare(a, b) > 0;
    }

    private static int signatures(Verdict v) {
        int n = 0;
        for (String f : v.flags()) {
            Flag kind;
            try {
                kind = Flag.kindOf(f);
            } catch (IllegalArgumentException unknown) {
                continue; // a flag this build does not know (a newer store's) proves nothing here
            }
            if (kind != Flag.THROTTLED && kind != Flag.SLOWER_THAN_USUAL) n++;
        }
        return n;
    }
}
