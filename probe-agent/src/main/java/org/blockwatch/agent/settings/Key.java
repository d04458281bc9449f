package org.blockwatch.agent.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * One setting of the table: its name (the configuration file's key, when {@code inFile}), its
 * command-line option (or null), what its value is, its default, an example value (in range and
 * not the default: the help shows it, the tests set it) and what it means.
 *
 * @param <V> the value: the kind's type, or a list of it when {@code repeatable}
 */
public record Key<V>(String name, String option, String paramLabel, Kind<?> kind, boolean repeatable, boolean inFile, V defaultValue,
        String example, String description) {

    /** An option given without a value ({@code --json}): true when present. */
    public boolean isFlag() {
        return option != null && kind instanceof Kind.Switch && !inFile;
    }

    /** The value of the texts given for it (one, or any number when repeatable); names the text at fault. */
    @SuppressWarnings("unchecked")
    public V parse(List<String> texts) {
        if (repeatable) {
            List<Object> out = new ArrayList<>();
            for (String t : texts) out.add(kind.parse(t));
            return (V) List.copyOf(out);
        }
        if (texts.size() != 1) throw new IllegalArgumentException("expected a single value");
        return (V) kind.parse(texts.get(0));
    }

    /** The value as a person writes it: {@code 1h}, {@code 64KiB}, {@code [a, b]}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String format(Object value) {
        if (value == null) return "none";
        Kind raw = kind;
        if (repeatable) {
            List<String> parts = new ArrayList<>();
            for (Object o : (List<?>) value) parts.add(raw.format(o));
            return "[" + String.join(", ", parts) + "]";
        }
        return raw.format(value);
    }

    /** The help line: what it means, its range, its default. */
    public String help() {
        String range = switch (kind) {
            case Kind.Time t -> " " + t.format(t.min()) + " to " + t.format(t.max()) + ".";
            case Kind.Size s -> " " + s.format(s.min()) + " to " + s.format(s.max()) + ".";
            case Kind.Count c -> " " + c.min() + " to " + c.max() + ".";
            case Kind.Choice c -> " One of " + String.join(", ", c.values()) + ".";
            default -> "";
        };
        String repeat = repeatable ? " Repeatable." : "";
        boolean noDefault = isFlag() || defaultValue == null || (repeatable && ((List<?>) defaultValue).isEmpty());
        return description + range + repeat + (noDefault ? "" : " Default: " + format(defaultValue) + ".");
    }

    @Override
    public String toString() {
        return name;
    }
}
