package org.blockwatch.core.stun;

import java.util.List;
import org.blockwatch.core.control.ControlClient;
import org.blockwatch.core.control.wire.StunCheck;

/**
 * The control for STUN: the probe's test helpers asked to make the same binding, through
 * blockwatch's extension of the protocol ({@link StunCheck}). A helper that does not serve it
 * (OONI's) leaves the control unavailable, and a failure here inconclusive.
 */
public final class HelperStunControl implements StunControl {
    private final ControlClient client;

    public HelperStunControl(ControlClient client) {
        this.client = client;
    }

    @Override
    public Answer bind(StunEndpoint endpoint) {
        ControlClient.ExtensionAnswer<StunCheck.Response> a = client.extension(StunCheck.PATH,
                new StunCheck.Request(List.of(endpoint.endpoint())), StunCheck.Response.class);
        if (a.answer() == null) return Answer.unavailable(a.failure() + " (the control does not measure STUN)");
        StunCheck.Binding b = a.answer().endpoints().get(endpoint.endpoint());
        if (b == null) return Answer.unavailable("control_failure: the helper did not measure " + endpoint.endpoint());
        return Answer.of(b.failure(), a.helper());
    }
}
