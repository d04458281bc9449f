package org.blockwatch.agent.store;

import java.time.Instant;

/** A measurement as the store keeps it: the indexed columns and the full OONI JSON. */
public record StoredMeasurement(Instant measuredAt, String target, String category, String probeAsn, String probeCc,
        String network, String status, String method, String flags, String json) {}
