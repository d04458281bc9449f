package org.blockwatch.agent.run;

import java.time.Duration;
import org.blockwatch.core.step.StepKind;
import org.blockwatch.core.step.StepListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every step at DEBUG as it ends: {@code tls_handshake 127.100.0.1:443: connection_reset in
 * tls_handshake after 12 ms}. Subjects are remote names and endpoints, never the probe's address.
 */
public final class StepLog implements StepListener {
    private static final Logger log = LoggerFactory.getLogger("org.blockwatch.step");

    @Override
    public void succeeded(StepKind step, String subject, Duration took) {
        if (log.isDebugEnabled()) log.debug("{} {}: ok after {} ms", step.label(), subject, took.toMillis());
    }

    @Override
    public void failed(StepKind step, String subject, String failure, Duration took) {
        if (log.isDebugEnabled()) log.debug("{} {}: {} in {} after {} ms", step.label(), subject, failure, step.operation().label(), took.toMillis());
    }
}
