package org.blockwatch.agent.targets;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.blockwatch.core.engine.TargetUrl;
import org.blockwatch.core.webconnectivity.WebConnectivity;

/**
 * What the agent measures: a kind of measurement (OONI's {@code test_name}) and its input, with
 * the category it is counted under, where it came from, and whether it is a domestic baseline: a
 * site hosted in the probe's own country ({@code domestic} among the words of its {@code notes}),
 * which still answers in an international cut or a whitelist shutdown. A row of a Citizen Lab
 * list is a {@code web_connectivity} target; the configuration's {@code tests} section adds the
 * others.
 */
public record Target(String testName, String input, String category, String categoryDescription, String source, boolean domestic) {
    private static final Pattern DOMESTIC = Pattern.compile("(^|\\W)domestic(\\W|$)");

    /** A web page of a target list. */
    public Target(TargetUrl url, String category, String categoryDescription, String source, boolean domestic) {
        this(WebConnectivity.TEST_NAME, url.input(), category, categoryDescription, source, domestic);
    }

    public Target(TargetUrl url, String category, String categoryDescription, String source) {
        this(url, category, categoryDescription, source, false);
    }

    /**
     * The input as listed: the {@code target} label of every metric and store row; for a kind
     * measured without input (an app), its test name ({@code telegram}).
     */
    public String label() {
        return input.isEmpty() ? testName : input;
    }

    /** The URL, for a web page; empty for the other kinds. */
    public Optional<TargetUrl> webUrl() {
        return testName.equals(WebConnectivity.TEST_NAME) ? Optional.of(TargetUrl.parse(input)) : Optional.empty();
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
