package org.blockwatch.agent.targets;

import java.util.Locale;
import java.util.regex.Pattern;
import org.blockwatch.core.engine.TargetUrl;

/**
 * A row of a target list: the URL as listed, its category, where the row came from, and whether
 * it is a domestic baseline: a site hosted in the probe's own country ({@code domestic} among
 * the words of its {@code notes}), which still answers in an international cut or a whitelist
 * shutdown.
 */
public record Target(TargetUrl url, String category, String categoryDescription, String source, boolean domestic) {
    private static final Pattern DOMESTIC = Pattern.compile("(^|\\W)domestic(\\W|$)");

    public Target(TargetUrl url, String category, String categoryDescription, String source) {
        this(url, category, categoryDescription, source, false);
    }

    /** The URL as listed: the {@code target} label of every metric and store row. */
    public String label() {
        return url.input();
    }

    /**
     * Whether this target is a baseline for speed: a domestic site, or one of Citizen Lab's
     * control category (CTRL), which no one is expected to block.
     */
    public boolean baseline() {
        return domestic || "CTRL".equals(category);
    }

    /** Whether a row's notes mark it a domestic baseline. */
    static boolean domesticIn(String notes) {
        return notes != null && DOMESTIC.matcher(notes.toLowerCase(Locale.ROOT)).find();
    }
}
