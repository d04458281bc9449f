package org.blockwatch.agent.run;

import java.util.Map;

/**
 * The language of the texts a volunteer reads (the consent, {@code status}), from the locale's
 * environment as POSIX sets it: {@code LC_ALL}, then {@code LC_MESSAGES}, then {@code LANG}.
 * Russian or English; the rest of the CLI is English.
 */
public enum Language {
    ENGLISH, RUSSIAN, KAZAKH;

    public static Language fromEnvironment() {
        return fromMap(System.getenv());
    }

    public static Language fromMap(Map<String, String> env) {
        for (String name : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) return v.toLowerCase(java.util.Locale.ROOT).startsWith("ru") ? RUSSIAN : v.toLowerCase(java.util.Locale.ROOT).startsWith("kk") ? KAZAKH : ENGLISH;
        }
        return ENGLISH;
    }
}
