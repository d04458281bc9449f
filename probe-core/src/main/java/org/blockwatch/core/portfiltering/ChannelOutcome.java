package org.blockwatch.core.portfiltering;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What became of one channel (blockwatch's {@code x_channels}): {@code open} when the helper's
 * own answer came back through it, {@code failed} with the first failure, or {@code not_served}
 * when it failed on a port the helper said (through another channel) that it does not listen on.
 */
public record ChannelOutcome(Channel channel, Status status, String failure) {
    public enum Status {
        OPEN, FAILED, NOT_SERVED;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean open() {
        return status == Status.OPEN;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }
}
