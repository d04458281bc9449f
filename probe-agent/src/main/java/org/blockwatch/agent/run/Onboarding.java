package org.blockwatch.agent.run;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The consent asked on a terminal, as {@code ooniprobe onboard} asks it: the text, then questions
 * whose right answers show it was understood (a wrong answer is explained and asked once more; a
 * second wrong answer ends without consent), then "Do you agree?". What was answered is recorded
 * with the text's version.
 */
public final class Onboarding {
    private final ConsentText text;
    private final Terminal terminal;
    private final Clock clock;

    public Onboarding(ConsentText text, Terminal terminal, Clock clock) {
        this.text = text;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** The consent given, or empty when it was not (a wrong answer twice, a "no", the input ended). */
    public Optional<Consent.Record> ask() {
        terminal.say(text.text());
        terminal.say(text.word("intro"));
        Map<String, List<Boolean>> answers = new LinkedHashMap<>();
        int n = 0;
        for (ConsentText.Question q : text.questions()) {
            n++;
            List<Boolean> given = new ArrayList<>();
            answers.put(q.id(), given);
            Boolean a = trueOrFalse(n + ". " + q.statement() + " " + text.word("ask") + " ");
            if (a == null) return declined("declined");
            given.add(a);
            if (a == q.answer()) {
                terminal.say(text.word("right"));
                continue;
            }
            terminal.say(text.word("wrong") + " " + q.explanation());
            Boolean again = trueOrFalse(text.word("again") + " " + q.statement() + " " + text.word("ask") + " ");
            if (again == null) return declined("declined");
            given.add(again);
            if (again != q.answer()) return declined("unclear");
            terminal.say(text.word("right"));
        }
        String agree = terminal.ask(text.word("agree") + " ");
        if (agree == null || !text.answers("yes").contains(agree.strip().toLowerCase(Locale.ROOT))) return declined("declined");
        return Optional.of(new Consent.Record(text.version(), clock.instant(), ConsentText.code(text.language()), Consent.Via.TERMINAL, answers));
    }

    private Optional<Consent.Record> declined(String why) {
        terminal.say(text.word(why));
        return Optional.empty();
    }

    /** The volunteer's true or false, asked until it is one of them; null when the input ends. */
    private Boolean trueOrFalse(String prompt) {
        while (true) {
            String line = terminal.ask(prompt);
            if (line == null) return null;
            String a = line.strip().toLowerCase(Locale.ROOT);
            if (text.answers("true").contains(a)) return true;
            if (text.answers("false").contains(a)) return false;
            terminal.say(text.word("invalid"));
        }
    }
}
