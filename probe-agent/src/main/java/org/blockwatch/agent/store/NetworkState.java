package org.blockwatch.agent.store;

import java.util.Locale;

/**
 * The probe's own network, as the store records it: a state change with no target. Restricted:
 * the control and every foreign target fail while domestic baselines still load (an
 * international cut, a whitelist shutdown).
 */
public enum NetworkState {
    ONLINE, OFFLINE, RESTRICTED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state of a stored label; null for null. */
    public static NetworkState ofLabel(String label) {
        return label == null ? null : valueOf(label.toUpperCase(Locale.ROOT));
    }
}
