package org.blockwatch.core.archival;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;

/**
 * Whether a Do53 resolver's queries are answered by someone else, from one check of it: the
 * resolver as OONI's queries name it ({@code resolver_address}, {@code engine} udp or tcp), the
 * status the signals add up to, when the check was made, and the signals themselves.
 */
public record ResolverInterception(String resolverAddress, String engine, Status status, @JsonIgnore Instant checkedAt,
        List<InterceptionSignal> signals) {

    public ResolverInterception {
        signals = List.copyOf(signals);
    }

    /**
     * Intercepted when any signal proves it; not intercepted when none does and one proves an
     * honest answer; unknown when no signal could tell (nothing answered).
     */
    public static Status statusOf(List<InterceptionSignal> signals) {
        boolean honest = false;
        for (InterceptionSignal s : signals) {
            if (s.reading() == InterceptionSignal.Reading.INTERCEPTED) return Status.INTERCEPTED;
            if (s.reading() == InterceptionSignal.Reading.HONEST) honest = true;
        }
        return honest ? Status.NOT_INTERCEPTED : Status.UNKNOWN;
    }

    /** When the check was made, in OONI's time format. */
    @JsonProperty("checked_at")
    public String checkedAtText() {
        return OoniTime.format(checkedAt);
    }

    public enum Status {
        INTERCEPTED("intercepted"), NOT_INTERCEPTED("not_intercepted"), UNKNOWN("unknown");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }
    }
}
