package org.blockwatch.core.stun;

/**
 * The same binding made from outside the probe's network: what tells a STUN server blocked here
 * from one that is down for everyone. {@link #NONE} when the probe has no control for STUN.
 */
@FunctionalInterface
public interface StunControl {
    StunControl NONE = endpoint -> Answer.unavailable("no control for STUN");

    /** The control's binding to {@code endpoint}; never throws: a control that cannot be asked is {@link Answer#unavailable}. */
    Answer bind(StunEndpoint endpoint);

    /**
     * What the control said: whether it could be asked ({@code failure} null then means its
     * binding succeeded), its failure string otherwise, and the helper asked.
     */
    record Answer(boolean available, String failure, String controlFailure, String helper) {
        public static Answer unavailable(String why) {
            return new Answer(false, null, why, null);
        }

        public static Answer of(String failure, String helper) {
            return new Answer(true, failure, null, helper);
        }
    }
}
