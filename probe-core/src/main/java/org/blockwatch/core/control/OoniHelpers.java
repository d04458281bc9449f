package org.blockwatch.core.control;

import java.util.List;

/**
 * OONI's public test helpers, the default control. Kept apart from {@link ControlClient}, whose
 * class loads Jackson and OkHttp: naming the default (every command's settings table does) must
 * cost nothing at start-up.
 */
public final class OoniHelpers {
    public static final List<String> URLS = List.of(
            "https://0.th.ooni.org/", "https://1.th.ooni.org/", "https://2.th.ooni.org/", "https://3.th.ooni.org/");

    private OoniHelpers() {}
}
