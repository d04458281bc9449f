package org.blockwatch.agent.run;

import java.util.Locale;
import java.util.Map;

/**
 * The language of the texts a volunteer reads (the consent, {@code status}, {@code pause}, the
 * errors), from the locale's environment as POSIX sets it: {@code LC_ALL}, then
 * {@code LC_MESSAGES}, then {@code LANG}. English, Russian or Kazakh; any other is English.
 */
public enum Language {
    ENGLISH, RUSSIAN, KAZAKH;

    public static Language fromEnvironment() {
        return fromMap(System.getenv());
    }

    public static Language fromMap(Map<String, String> env) {
        for (String name : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                String tag = v.toLowerCase(Locale.ROOT);
                if (tag.startsWith("ru")) return RUSSIAN;
                if (tag.startsWith("kk")) return KAZAKH;
                return ENGLISH;
            }
        }
        return ENGLISH;
    }

    /** The locale of the message bundles ({@code messages_ru.properties}, {@code messages_kk.properties}). */
    public Locale locale() {
        return switch (this) {
            case ENGLISH -> Locale.ENGLISH;
            case RUSSIAN -> Locale.of("ru");
            case KAZAKH -> Locale.of("kk");
        };
    }

    /**
     * The CLDR plural category of a whole number {@code n} in this language: {@code one},
     * {@code few}, {@code many} or {@code other}. The rules of these three languages are a few
     * lines each (CLDR's plurals.xml); ICU4J would add 14 MB to the volunteer's package for them
     * (docs/performance.md, "Plural rules").
     */
    public String plural(long n) {
        long abs = Math.abs(n);
        return switch (this) {
            // en, kk: one: n = 1; other.
            case ENGLISH, KAZAKH -> abs == 1 ? "one" : "other";
            // ru (integers, v = 0): one: i%10 = 1 and i%100 != 11; few: i%10 = 2..4 and i%100 != 12..14; many: the rest.
            case RUSSIAN -> {
                long units = abs % 10;
                long tens = abs % 100;
                if (units == 1 && tens != 11) yield "one";
                if (units >= 2 && units <= 4 && (tens < 12 || tens > 14)) yield "few";
                yield "many";
            }
        };
    }

    /** Every category {@link #plural} yields in this language: what a plural text must have in its bundle. */
    public java.util.List<String> pluralCategories() {
        return this == RUSSIAN ? java.util.List.of("one", "few", "many") : java.util.List.of("one", "other");
    }
}
