package org.blockwatch.core.dnscheck;

import java.util.List;
import org.blockwatch.core.control.wire.ResolverCheck;
import org.blockwatch.core.dns.ResolverUrl;

/**
 * The same lookups made from outside the probe's network: what tells a resolver blocked here from
 * one that is down for everyone, and its honest answers from altered ones. {@link #NONE} when
 * the probe has no control for dnscheck.
 */
@FunctionalInterface
public interface DnsCheckControl {
    DnsCheckControl NONE = (resolver, domains) -> Answer.unavailable("no control for dnscheck");

    /** The control's lookups of {@code domains} over {@code resolver}; never throws: a control that cannot be asked is {@link Answer#unavailable}. */
    Answer check(ResolverUrl resolver, List<String> domains);

    /** What the control said ({@code response} null when it could not be asked, and why), and the helper asked. */
    record Answer(ResolverCheck.Response response, String controlFailure, String helper) {
        public static Answer unavailable(String why) {
            return new Answer(null, why, null);
        }

        public boolean available() {
            return response != null;
        }
    }
}
