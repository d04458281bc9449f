package org.blockwatch.core.verdict;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/** blockwatch's decision about one measurement (PROBE.md, "The verdict in a measurement"). */
public record Verdict(Status status, String method, List<String> flags, String explanation) {
    public static final String DNS = "dns";
    public static final String TCP_IP = "tcp_ip";
    public static final String TLS = "tls";
    public static final String HTTP_FAILURE = "http-failure";
    public static final String HTTP_DIFF = "http-diff";

    public Verdict {
        flags = List.copyOf(flags);
        if ((status == Status.BLOCKED) != (method != null)) {
            throw new IllegalArgumentException("a method is given exactly when the status is blocked");
        }
    }

    public enum Status {
        ACCESSIBLE, BLOCKED, DOWN, INCONCLUSIVE;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
