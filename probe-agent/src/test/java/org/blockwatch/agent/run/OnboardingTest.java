package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * On a terminal the volunteer is asked, as {@code ooniprobe onboard} asks: the text, questions
 * whose right answers show it was understood, then whether they agree; what they answered is
 * recorded with the text's version.
 */
class OnboardingTest {
    private static final Instant NOW = Instant.parse("2026-12-07T21:30:00Z");
    private final StringWriter shown = new StringWriter();

    private Optional<Consent.Record> answer(Language language, String... lines) {
        Terminal t = Terminal.of(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")), new PrintWriter(shown));
        return new Onboarding(ConsentText.of(language), t, Clock.fixed(NOW, ZoneOffset.UTC)).ask();
    }

    @Test
    void rightAnswersAndAYesRecordTheAnswersWithTheVersion() {
        ConsentText text = ConsentText.of(Language.ENGLISH);
        assertThat(text.questions()).as("two or three questions").hasSizeBetween(2, 3);
        String[] lines = new String[text.questions().size() + 1];
        for (int i = 0; i < text.questions().size(); i++) lines[i] = String.valueOf(text.questions().get(i).answer());
        lines[lines.length - 1] = "y";

        Consent.Record r = answer(Language.ENGLISH, lines).orElseThrow();

        assertThat(r.version()).isEqualTo(ConsentText.currentVersion());
        assertThat(r.given()).isEqualTo(NOW);
        assertThat(r.language()).isEqualTo("en");
        assertThat(r.via()).isEqualTo(Consent.Via.TERMINAL);
        for (ConsentText.Question q : text.questions()) assertThat(r.answers().get(q.id())).containsExactly(q.answer());
        assertThat(shown.toString()).contains("Running a probe can carry risk", "0.th.ooni.org", "Do you agree");
        for (ConsentText.Question q : text.questions()) assertThat(shown.toString()).contains(q.statement());
        // A record reads back as written.
        assertThat(Consent.Record.parse(r.format())).isEqualTo(r);
    }

    @Test
    void theQuestionsHaveAFalseStatementToo() {
        // All "true" would be answered by a volunteer who read nothing; the untruth issue 32 found is one.
        assertThat(ConsentText.of(Language.ENGLISH).questions()).extracting(ConsentText.Question::answer).contains(true, false);
        assertThat(ConsentText.of(Language.ENGLISH).questions()).filteredOn(q -> !q.answer())
                .extracting(ConsentText.Question::statement).anyMatch(s -> s.contains("nothing leaves this machine"));
    }

    @Test
    void aWrongAnswerIsExplainedAndAskedAgain() {
        // watched (true), leaves (false), published (true): the second answered wrong, then right.
        Consent.Record r = answer(Language.ENGLISH, "true", "true", "false", "yes", "y").orElseThrow();

        assertThat(r.answers().get("leaves")).containsExactly(true, false);
        assertThat(shown.toString()).contains("Not quite.", "OONI's test helpers receive every URL measured", "answer again");
    }

    @Test
    void aWrongAnswerTwiceRecordsNothing() {
        assertThat(answer(Language.ENGLISH, "true", "true", "true", "true", "y")).isEmpty();
        assertThat(shown.toString()).contains("Consent was not recorded").doesNotContain("Do you agree");
    }

    @Test
    void onlyAYesAgrees() {
        assertThat(answer(Language.ENGLISH, "true", "false", "true", "")).as("the default is no").isEmpty();
        assertThat(answer(Language.ENGLISH, "true", "false", "true", "n")).isEmpty();
        assertThat(answer(Language.ENGLISH, "true", "false")).as("the input ended").isEmpty();
    }

    @Test
    void anAnswerThatIsNeitherIsAskedAgain() {
        assertThat(answer(Language.ENGLISH, "maybe", "true", "false", "true", "y")).isPresent();
        assertThat(shown.toString()).contains("Please answer true or false.");
    }

    @Test
    void inRussianAndKazakhTheQuestionsAreAnsweredInTheirWords() {
        Consent.Record ru = answer(Language.RUSSIAN, "верно", "неверно", "да", "д").orElseThrow();
        assertThat(ru.language()).isEqualTo("ru");
        assertThat(ru.answers()).containsEntry("watched", List.of(true)).containsEntry("leaves", List.of(false));
        assertThat(shown.toString()).contains("Работа зонда может быть связана с риском", "Вы согласны");

        Consent.Record kk = answer(Language.KAZAKH, "дұрыс", "бұрыс", "иә", "иә").orElseThrow();
        assertThat(kk.language()).isEqualTo("kk");
        assertThat(kk.version()).isEqualTo(ConsentText.currentVersion());
        assertThat(kk.answers()).containsEntry("leaves", List.of(false));
        assertThat(shown.toString()).contains("келісесіз бе");
    }
}
