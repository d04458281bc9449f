package org.blockwatch.core.nettest;

/**
 * One kind of measurement: OONI's nettest. A kind names itself as OONI does ({@code test_name},
 * {@code test_version}), says what input it takes, and measures one input at a time. Everything
 * after the measurement (the schedule, the sink, the store, the metrics, uploads, exports,
 * {@code measure}, {@code status}, the demo, the collector) deals only with this interface and
 * the {@link Result} it returns: adding a kind touches none of them.
 *
 * <p>A kind is built once from the settings, with its context (timeouts, listener, control) in
 * hand, and is then called from many threads at once: implementations are thread-safe.
 */
public interface Nettest {
    /** What OONI calls the kind, and what input it takes. */
    Name name();

    /** OONI's {@code test_name}: {@code web_connectivity}, {@code stunreachability}, ... */
    default String testName() {
        return name().testName();
    }

    /** OONI's {@code test_version} of the keys this kind writes. */
    default String testVersion() {
        return name().testVersion();
    }

    /** What {@link #measure} takes. */
    default InputShape input() {
        return name().input();
    }

    /** A kind's name as OONI gives it ({@code test_name}, {@code test_version}) and the shape of its input. */
    record Name(String testName, String testVersion, InputShape input) {}

    /**
     * Checks an input before it is ever measured (a target list's row, the configuration's
     * {@code tests} section, {@code measure}'s arguments): so that bad input is refused when it is
     * read, with what is wrong, and not at 3 a.m. in a sweep.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code input}
     */
    void check(String input);

    /**
     * Measures one input (as {@link #input()} describes it; the empty string for a kind that takes
     * none). A failure of the network, of the site or of the control is a result that says so;
     * only a bug throws, and the caller turns that into a result too ({@link Results#crashed}).
     */
    Result measure(String input);

    /** The shapes of input a kind takes, as OONI's nettests do. */
    enum InputShape {
        /** A URL: {@code https://example.org/}. */
        URL,
        /** An endpoint in a URL of the kind's scheme: {@code stun://stun.example:3478}. */
        ENDPOINT,
        /** An app or service the kind knows by name ({@code telegram}): no input, or its name. */
        NONE
    }
}
