package org.blockwatch.core.nettest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.blockwatch.core.archival.MeasurementJson;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.failure.Failure;
import org.blockwatch.core.verdict.Verdict;

/**
 * A measurement that could not be made: an error inside the kind (a bug) still gives its input a
 * result, one that says so ({@code unknown_failure: ...}) in OONI's top-level {@code failure}
 * key, to be stored and counted, never silence. Nothing answered, as far as anyone can tell.
 */
public record Crashed(String input, Instant startTime, double runtimeSeconds, String failure) implements Result {

    public static Crashed of(String input, Instant start, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        return new Crashed(input, start, java.time.Duration.between(start, Instant.now()).toNanos() / 1e9, Failure.unknown(cause.toString()));
    }

    @Override
    public ObjectNode testKeys(ProbeInfo probe) {
        return MeasurementJson.mapper().createObjectNode().put("failure", failure);
    }

    @Override
    public Verdict verdict() {
        return new Verdict(Verdict.Status.INCONCLUSIVE, null, List.of(), "The measurement could not be made (" + failure + ").");
    }

    @Override
    public Reach reach() {
        return Reach.of(false, false);
    }

    @Override
    public long bytes() {
        return 0;
    }

    @Override
    public String summary() {
        return failure;
    }
}
