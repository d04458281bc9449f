package org.blockwatch.agent.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.blockwatch.agent.run.Language;

/**
 * The texts a volunteer reads in the consent prompt and {@code status}, in English and Russian
 * (chosen by {@link Language#fromEnvironment()}); the rest of the CLI is English. Placeholders
 * are {@link String#format} ones.
 */
final class Texts {
    /** Key to {English, Russian}. */
    static final Map<String, String[]> ALL = new LinkedHashMap<>();

    static {
        put("consent.given", "Consent was given.", "Согласие дано.");
        put("consent.none", "No consent yet: read 'blockwatch consent', then run '%s'.",
                "Согласия пока нет: прочитайте 'blockwatch consent', затем выполните '%s'.");
        put("consent.recorded", "Consent recorded in %s.", "Согласие записано в %s.");
        put("consent.service", "The service starts measuring once (re)started: sudo systemctl restart blockwatch",
                "Служба начнёт измерения после (пере)запуска: sudo systemctl restart blockwatch");
        put("consent.before", "Consent was given before.", "Согласие было дано ранее.");
        put("consent.toAgree", "To agree: %s", "Чтобы согласиться: %s");
        put("consent.needed", "consent needed before measuring: run '%s' (or 'run --accept-consent'), or set 'consent: true' in the configuration",
                "перед измерениями нужно согласие: выполните '%s' (или 'run --accept-consent') либо укажите 'consent: true' в настройках");
        // consent32
        put("consent.givenTo", "Consent was given to version %d of the consent text (%s).", "Согласие дано на версию %d текста согласия (%s).");
        put("consent.outdated", "consent was given to version %d of the consent text, and it is now version %d: read it again ('blockwatch consent'), then agree on a terminal or run '%s'",
                "согласие было дано на версию %d текста согласия, а теперь это версия %d: прочитайте его снова ('blockwatch consent'), затем согласитесь в терминале или выполните '%s'");
        put("consent.changed", "The consent text has changed since you agreed (version %d then, %d now): please read it again.",
                "Текст согласия изменился с тех пор, как вы согласились (тогда версия %d, теперь %d): прочитайте его снова.");
        put("consent.notGiven", "consent not given: nothing was measured (to agree without questions: '%s')",
                "согласие не дано: ничего не измерено (согласиться без вопросов: '%s')");
        put("status.consent", "Consent:     ", "Согласие:    ");
        put("status.consentMissing", "not given: the agent measures nothing ('blockwatch consent')",
                "не дано: агент ничего не измеряет ('blockwatch consent')");
        put("status.consentOutdated", "given to version %d of the text, now %d: the agent measures nothing until you agree again ('blockwatch consent')",
                "дано на версию %d текста, теперь %d: агент ничего не измеряет, пока вы не согласитесь снова ('blockwatch consent')");
        put("status.agent", "Agent:       ", "Агент:       ");
        put("status.running", "running (metrics on %s)", "работает (метрики на %s)");
        put("status.notAnswering", "not answering on %s (stopped?); what follows is the store's",
                "не отвечает на %s (остановлен?); ниже данные из хранилища");
        put("status.store", "Store:       %s (%d measurements)", "Хранилище:   %s (измерений: %d)");
        put("status.network", "Network:     ", "Сеть:        ");
        put("status.notIdentified", "not identified yet", "ещё не определена");
        put("status.stillOpen", "; still open: %s (checked %s)", "; ещё открыто: %s (проверено %s)");
        put("status.nothingOpen", "nothing", "ничего");
        put("status.dns", "DNS:         %s is answered by someone else (%s; measured %s)",
                "DNS:         %s: вместо него отвечает кто-то другой (%s; измерено %s)");
        put("status.lastSweep", "Last sweep:  ", "Последний проход: ");
        put("status.noneYet", "none yet", "ещё не было");
        put("status.paused", "Paused:      ", "Пауза:       ");
        put("status.untilResume", "until 'blockwatch resume'", "до 'blockwatch resume'");
        put("status.until", "until %s", "до %s");
        put("status.no", "no", "нет");
        put("status.nextSweep", "Next sweep:  ", "Следующий проход: ");
        put("status.whenStarts", "when the agent starts", "когда агент запустится");
        put("status.about", "about %s (every %s)", "около %s (каждые %s)");
        put("status.uploads", "Uploads:     %d waiting, %d sent, %d rejected", "Отправка:    ждут %d, отправлено %d, отклонено %d");
        put("status.targets", "Targets:     %d", "Сайтов:      %d");
        put("status.lessThanAMinute", "less than a minute ago", "меньше минуты назад");
        put("status.minutesAgo", "%d min ago", "%d мин назад");
        put("status.hoursAgo", "%d h ago", "%d ч назад");
        put("status.header.state", "STATE", "СОСТОЯНИЕ");
        put("status.header.method", "METHOD", "СПОСОБ");
        put("status.header.since", "SINCE", "С");
        put("status.header.target", "TARGET", "САЙТ");
        put("state.blocked", "blocked", "заблокирован");
        put("state.down", "down", "недоступен везде");
        put("state.inconclusive", "inconclusive", "неясно");
        put("state.accessible", "accessible", "доступен");
        put("network.online", "online", "в сети");
        put("network.offline", "offline", "нет связи");
        put("network.restricted", "restricted", "только внутренние сайты");
        put("pause.paused", "paused", "пауза");
        put("pause.quiet", "quiet hours %s", "тихие часы %s");
    }

    private static void put(String key, String english, String russian) {
        ALL.put(key, new String[] {english, russian});
    }

    private final Language language;

    Texts(Language language) {
        this.language = language;
    }

    static Texts ofEnvironment() {
        return new Texts(Language.fromEnvironment());
    }

    String t(String key, Object... args) {
        String[] both = ALL.get(key);
        if (both == null) throw new IllegalArgumentException("no text " + key);
        String text = both[language == Language.RUSSIAN ? 1 : 0];
        return args.length == 0 ? text : String.format(Locale.ROOT, text, args);
    }

    /** A state's or network's label ({@code blocked}, {@code offline}) in the language. */
    String label(String kind, String label) {
        String key = kind + "." + label;
        return ALL.containsKey(key) ? t(key) : label;
    }
}
