package org.blockwatch.agent.settings;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blockwatch.core.portfiltering.PortFiltering;


/**
 * Every setting, resolved once: the table's defaults, then the configuration file, then the
 * command line. Immutable; every key of the table has a value (null where "none" is meaningful).
 */
public final class Settings {
    private final Map<Key<?>, Object> values;
    private final Path file;

    private Settings(Map<Key<?>, Object> values, Path file) {
        this.values = values;
        this.file = file;
    }

    /** Every key at its default. */
    public static Settings defaults() {
        Map<Key<?>, Object> values = new HashMap<>();
        for (Key<?> k : Keys.ALL) values.put(k, k.defaultValue());
        return new Settings(values, null);
    }

    @SuppressWarnings("unchecked")
    public <V> V get(Key<V> key) {
        if (!values.containsKey(key)) throw new IllegalArgumentException("no setting " + key.name());
        return (V) values.get(key);
    }

    /** These settings with {@code key} set to {@code value}. */
    public <V> Settings with(Key<V> key, V value) {
        Map<Key<?>, Object> copy = new HashMap<>(values);
        copy.put(key, value);
        return new Settings(copy, file);
    }

    Settings withValue(Key<?> key, Object value) {
        Map<Key<?>, Object> copy = new HashMap<>(values);
        copy.put(key, value);
        return new Settings(copy, file);
    }

    Settings fromFile(Path file) {
        return new Settings(values, file);
    }

    /** The configuration file these settings were read from, or null. */
    public Path file() {
        return file;
    }

    /** The store: {@code store.path}, or the user's standard place. */
    public Path storePath() {
        Path p = get(Keys.STORE);
        return p != null ? p : Xdg.dataHome().resolve("blockwatch").resolve("blockwatch.db");
    }

    /** The control helpers to ask: none with {@code --no-control} or an empty list. */
    public List<String> controlHelpers() {
        return get(Keys.NO_CONTROL) ? List.of() : get(Keys.CONTROL_HELPERS);
    }

    /** The extra resolvers of every web measurement: none with {@code --no-extra-resolvers}. */
    public List<String> extraResolvers() {
        return get(Keys.NO_EXTRA_RESOLVERS) ? List.of() : get(Keys.EXTRA_RESOLVERS);
    }

    /**
     * The port-filtering kind's ports, of the {@code tests.portfiltering.*_ports} keys.
     *
     * @throws SettingsException naming the keys when they give no port, or one twice
     */
    public PortFiltering.Ports portFilteringPorts() {
        try {
            return new PortFiltering.Ports(get(Keys.PORTFILTERING_TCP_PORTS), get(Keys.PORTFILTERING_DNS_PORTS), get(Keys.PORTFILTERING_QUIC_PORTS));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(Keys.PORTFILTERING_TCP_PORTS.name() + ", " + Keys.PORTFILTERING_DNS_PORTS.name() + ", "
                    + Keys.PORTFILTERING_QUIC_PORTS.name() + ": " + String.valueOf(e.getMessage()).replaceFirst("^portfiltering: ", ""), e);
        }
    }

    /** Checks that hold across keys; the message names them. */
    Settings checked(String source) {
        if (get(Keys.JITTER).compareTo(get(Keys.INTERVAL)) > 0) {
            throw new SettingsException(source + "schedule.jitter: " + Keys.JITTER.format(get(Keys.JITTER))
                    + " must not be longer than schedule.interval (" + Keys.INTERVAL.format(get(Keys.INTERVAL)) + ")");
        }
        if (!get(Keys.FAST_CATEGORIES).isEmpty() && get(Keys.FAST_INTERVAL).compareTo(get(Keys.INTERVAL)) >= 0) {
            throw new SettingsException(source + "schedule.fast_interval: " + Keys.FAST_INTERVAL.format(get(Keys.FAST_INTERVAL))
                    + " must be shorter than schedule.interval (" + Keys.INTERVAL.format(get(Keys.INTERVAL)) + ")");
        }
        if (get(Keys.TESTS_ENABLED).contains(PortFiltering.TEST_NAME) && get(Keys.PORTFILTERING_HELPER) == null) {
            throw new SettingsException(source + Keys.TESTS_ENABLED.name() + ": portfiltering needs a helper, and "
                    + Keys.PORTFILTERING_HELPER.name() + " is not set: set it to your helper's host, or leave portfiltering out");
        }
        long atOnce = Math.max(get(Keys.CONCURRENCY), get(Keys.PARALLEL));
        long needed = HEAP_BASE + HEAP_PER_BODY * get(Keys.BODY_LIMIT) * atOnce;
        long heap = Runtime.getRuntime().maxMemory();
        if (needed > heap) {
            throw new SettingsException(source + "measurement.body_limit: " + Keys.BODY_LIMIT.format(get(Keys.BODY_LIMIT)) + " with "
                    + atOnce + " measurements at once (schedule.concurrency, --parallel) needs about " + Keys.BODY_LIMIT.format(needed)
                    + " of memory, and this program has " + Keys.BODY_LIMIT.format(heap)
                    + ": lower either (or give the JVM more: BLOCKWATCH_JAVA_OPTS=-Xmx...)");
        }
        return this;
    }

    /**
     * What a measurement in flight holds per byte of its body limit, at most: the body as read, as
     * kept, as text and in its JSON (a body over the heap is a measurement lost, so it is refused
     * at load); and what the program holds besides.
     */
    static final long HEAP_PER_BODY = 6;
    static final long HEAP_BASE = 32L << 20;
}
