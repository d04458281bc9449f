package org.blockwatch.core.control.wire;

/**
 * The control measurement for one URL: the helper's response, or why there is none
 * ({@code failure}, OONI's {@code control_failure}). {@code helper} is the helper that answered.
 */
public record ControlResult(ControlResponse response, String failure, String helper) {
    public static ControlResult none(String failure) {
        return new ControlResult(null, failure, null);
    }

    public boolean available() {
        return response != null;
    }
}
