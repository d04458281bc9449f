package org.blockwatch.agent.targets;

import org.blockwatch.core.engine.TargetUrl;

/** A row of a target list: the URL as listed, its category, and where the row came from. */
public record Target(TargetUrl url, String category, String categoryDescription, String source) {
    /** The URL as listed: the {@code target} label of every metric and store row. */
    public String label() {
        return url.input();
    }
}
