package org.blockwatch.agent.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.blockwatch.agent.run.Language;

/**
 * The texts a volunteer reads, in the language of the environment ({@link Language#fromEnvironment()}):
 * from the message bundles {@code org/blockwatch/agent/cli/messages*.properties} (UTF-8), which a
 * translator edits without Java. A text missing from a language's bundle is the English one.
 * Placeholders are {@link String#format} ones ({@code %s}, {@code %d}, {@code %2$s} to reorder),
 * not {@link java.text.MessageFormat}'s, whose quoting rules would eat the apostrophes of
 * {@code 'blockwatch resume'}. A text that depends on a number has one key per CLDR plural
 * category of the language ({@code status.count.blocked.one}, {@code .few}, {@code .many},
 * {@code .other}), read by {@link #n}.
 */
final class Texts {
    static final String BUNDLE = "org.blockwatch.agent.cli.messages";
    private static final ResourceBundle.Control NO_FALLBACK = ResourceBundle.Control.getNoFallbackControl(
            ResourceBundle.Control.FORMAT_PROPERTIES);

    /**
     * Texts added in Java ({@code put(key, english, russian)}) by work done beside the bundles,
     * until they are moved into them; a key in the bundles wins.
     */
    static final Map<String, String[]> ALL = new LinkedHashMap<>();

    static {
    }

    private static void put(String key, String english, String russian) {
        ALL.put(key, new String[] {english, russian});
    }

    private final Language language;
    private final ResourceBundle bundle;
    private final ResourceBundle english;

    Texts(Language language) {
        this(language, BUNDLE);
    }

    /** The texts of the bundle {@code name} (tests give bundles of their own). */
    Texts(Language language, String name) {
        this.language = language;
        this.bundle = bundle(name, language);
        this.english = bundle(name, Language.ENGLISH);
    }

    static Texts ofEnvironment() {
        return new Texts(Language.fromEnvironment());
    }

    /** The bundle {@code name} of {@code language}, English its parent: its own texts, the English ones where it has none. */
    private static ResourceBundle bundle(String name, Language language) {
        return ResourceBundle.getBundle(name, language.locale(), Texts.class.getClassLoader(), NO_FALLBACK);
    }

    Language language() {
        return language;
    }

    /** The text of {@code key}, its placeholders filled with {@code args}. */
    String t(String key, Object... args) {
        String text = text(key);
        return args.length == 0 ? text : String.format(Locale.ROOT, text, args);
    }

    /**
     * The text of {@code key} for {@code count} ({@code 1 site}, {@code 21 сайт}, {@code 5 сайтов}):
     * the text of {@code key.<category>}, the category {@link Language#plural} gives; its first
     * placeholder is {@code count}, then {@code args}.
     */
    String n(String key, long count, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = count;
        System.arraycopy(args, 0, all, 1, args.length);
        String own = key + "." + language.plural(count);
        if (bundle.containsKey(own) && language.pluralCategories().stream().allMatch(c -> bundle.containsKey(key + "." + c))) {
            return String.format(Locale.ROOT, bundle.getString(own), all);
        }
        // Not translated (whole): the English text, by English's rule, rather than a mix of the two.
        String fallback = key + "." + Language.ENGLISH.plural(count);
        if (!english.containsKey(fallback)) throw new IllegalArgumentException("no text " + fallback);
        return String.format(Locale.ROOT, english.getString(fallback), all);
    }

    /** A state's or network's label ({@code blocked}, {@code offline}) in the language. */
    String label(String kind, String label) {
        String key = kind + "." + label;
        return has(key) ? t(key) : label;
    }

    boolean has(String key) {
        return bundle.containsKey(key) || ALL.containsKey(key);
    }

    private String text(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            String[] both = ALL.get(key);
            if (both == null) throw new IllegalArgumentException("no text " + key, e);
            return both[language == Language.RUSSIAN ? 1 : 0];
        }
    }
}
