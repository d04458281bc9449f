package org.blockwatch.core.dnscheck;

import java.util.List;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.wire.ResolverCheck;
import org.blockwatch.core.dns.ResolverUrl;

/**
 * The control for dnscheck: the probe's test helpers asked to make the same lookups, through
 * blockwatch's extension of the protocol ({@link ResolverCheck}, {@code POST x/dnscheck}). A
 * helper that does not serve it (OONI's) leaves the control unavailable.
 */
public final class HelperDnsCheckControl implements DnsCheckControl {
    private final ControlClient client;

    public HelperDnsCheckControl(ControlClient client) {
        this.client = client;
    }

    @Override
    public Answer check(ResolverUrl resolver, List<String> domains) {
        ControlClient.ExtensionAnswer<ResolverCheck.Response> a = client.extension(ResolverCheck.PATH,
                new ResolverCheck.Request(resolver.text(), domains.stream().limit(ResolverCheck.MAX_DOMAINS).toList()), ResolverCheck.Response.class);
        if (a.answer() == null) return Answer.unavailable(a.failure() + " (the control does not measure resolvers)");
        return new Answer(a.answer(), null, a.helper());
    }
}
