package org.blockwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.blockwatch.agent.run.Consent;
import org.blockwatch.agent.run.ConsentText;
import org.blockwatch.agent.run.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run} and {@code consent} without consent, on a terminal, ask the volunteer (the text, the
 * questions, "Do you agree?") and record the answers with the text's version; a service (no
 * terminal) is refused as before, naming the version when the recorded one is older.
 */
class ConsentOnTerminalTest {
    @TempDir
    Path tmp;

    /** The answers right, then yes (watched: true, leaves: false, published: true). */
    private static final String AGREES = "true\nfalse\ntrue\ny\n";

    /** blockwatch with {@code answers} typed at a terminal; what it printed, and on the terminal. */
    private record Run(Cli cli, String terminal) {}

    private static Run onTerminal(String answers, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        StringWriter screen = new StringWriter();
        Terminal t = Terminal.of(new BufferedReader(new StringReader(answers)), new PrintWriter(screen));
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new ErrorHandler());
        ((RunCommand) cli.getSubcommands().get("run").getCommand()).terminal = () -> Optional.of(t);
        ((ConsentCommand) cli.getSubcommands().get("consent").getCommand()).terminal = () -> Optional.of(t);
        int exit = cli.execute(args);
        return new Run(new Cli(exit, out.toString(), err.toString()), screen.toString());
    }

    /** A configuration whose list cannot be read: {@code run} stops right after the consent, before measuring anything. */
    private Path config() throws Exception {
        return Files.writeString(tmp.resolve("blockwatch.yaml"), "consent: false\ntargets:\n  lists: [" + tmp.resolve("missing.csv") + "]\n");
    }

    private Consent.Record recorded() throws Exception {
        return Consent.Record.parse(Files.readString(tmp.resolve("consent")));
    }

    @Test
    void runAsksTheQuestionsAndRecordsTheAnswersWithTheVersion() throws Exception {
        Path config = config();
        Run r = onTerminal(AGREES, "run", "--config", config.toString());

        assertThat(r.terminal()).contains("Running a probe can carry risk", "nothing leaves this machine", "Do you agree",
                "Consent recorded in " + tmp.resolve("consent"));
        assertThat(r.cli().err()).as("past the consent, to the list").contains("targets.lists").doesNotContain("consent needed");
        assertThat(tmp.resolve("consent")).content().contains("version=" + ConsentText.currentVersion(), "via=terminal",
                "answer.watched=true", "answer.leaves=false", "answer.published=true");
        assertThat(recorded().version()).isEqualTo(ConsentText.currentVersion());

        Run again = onTerminal("", "run", "--config", config.toString());
        assertThat(again.terminal()).as("a consent given is not asked again").isEmpty();
    }

    @Test
    void aWrongAnswerTwiceRecordsNothingAndNothingIsMeasured() throws Exception {
        Path config = config();
        Run r = onTerminal("true\ntrue\ntrue\n", "run", "--config", config.toString());

        assertThat(r.cli().exit()).isEqualTo(2);
        assertThat(r.cli().err()).contains("consent not given").doesNotContain("targets.lists");
        assertThat(r.terminal()).contains("Not quite.");
        assertThat(tmp.resolve("consent")).doesNotExist();
    }

    @Test
    void aConsentToAnOlderTextIsAskedAgainOnATerminal() throws Exception {
        Path config = config();
        int older = ConsentText.currentVersion() - 1;
        Files.writeString(tmp.resolve("consent"), "version=" + older + "\ngiven=2026-11-02T08:00:00Z\nlanguage=en\nvia=accept\n");

        Run r = onTerminal(AGREES, "run", "--config", config.toString());

        assertThat(r.terminal()).contains("The consent text has changed since you agreed (version " + older + " then, "
                + ConsentText.currentVersion() + " now)", "Do you agree");
        assertThat(recorded().version()).isEqualTo(ConsentText.currentVersion());
    }

    @Test
    void aServiceWithAConsentToAnOlderTextIsRefusedNamingTheVersion() throws Exception {
        Path config = config();
        int older = ConsentText.currentVersion() - 1;
        Files.writeString(tmp.resolve("consent"), "consent given 2026-11-02T08:00:00Z\n"); // the file of before versions: version 1
        assertThat(older).isGreaterThanOrEqualTo(1);

        Cli run = Cli.run("run", "--config", config.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("consent was given to version 1 of the consent text, and it is now version " + ConsentText.currentVersion())
                .contains("Running a probe can carry risk");

        Cli check = Cli.run("consent", "--check", "--config", config.toString());
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.out()).contains("version 1", "now version " + ConsentText.currentVersion());

        Cli show = Cli.run("consent", "--config", config.toString());
        assertThat(show.out()).contains("now version " + ConsentText.currentVersion());

        Path store = tmp.resolve("store.db");
        org.blockwatch.agent.store.MeasurementStore.open(store).close();
        Cli status = Cli.run("status", "--config", config.toString(), "--store", store.toString(), "--metrics-listen", "127.0.0.1:1");
        assertThat(status.out()).contains("Consent:", "given to version 1 of the text, now " + ConsentText.currentVersion());

        assertThat(Cli.run("consent", "--accept", "--config", config.toString()).exit()).isZero();
        assertThat(recorded().version()).as("--accept records the current version").isEqualTo(ConsentText.currentVersion());
        assertThat(recorded().via()).isEqualTo(Consent.Via.ACCEPT);
        assertThat(Cli.run("consent", "--check", "--config", config.toString()).out()).contains("Consent was given to version "
                + ConsentText.currentVersion());
    }

    @Test
    void consentOnATerminalAsksTheSame() throws Exception {
        Path config = config();
        Run declined = onTerminal("true\nfalse\ntrue\nn\n", "consent", "--config", config.toString());
        assertThat(declined.cli().exit()).isEqualTo(2);
        assertThat(declined.terminal()).contains("Do you agree", "Consent was not recorded");
        assertThat(tmp.resolve("consent")).doesNotExist();

        Run agreed = onTerminal(AGREES, "consent", "--config", config.toString());
        assertThat(agreed.cli().exit()).isZero();
        assertThat(recorded().via()).isEqualTo(Consent.Via.TERMINAL);
        assertThat(recorded().answers()).containsKeys("watched", "leaves", "published");
    }

    @Test
    void aConsentThatCannotBeWrittenIsNamed() throws Exception {
        Path config = config();
        Files.createDirectories(tmp.resolve("consent")); // where the file would go: a directory, as an unwritable place would be
        Run r = onTerminal(AGREES, "run", "--config", config.toString());

        assertThat(r.cli().exit()).isEqualTo(2);
        assertThat(r.cli().err()).contains("consent: cannot record it in " + tmp.resolve("consent")).doesNotContain("targets.lists");
    }
}
