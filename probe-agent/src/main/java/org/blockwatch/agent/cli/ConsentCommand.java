package org.blockwatch.agent.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.blockwatch.agent.run.Consent;
import org.blockwatch.agent.run.ConsentText;
import org.blockwatch.agent.run.Language;
import org.blockwatch.agent.run.Onboarding;
import org.blockwatch.agent.run.Terminal;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code blockwatch consent}: shows what running a probe means, and records the volunteer's consent. */
@Command(name = "consent", mixinStandardHelpOptions = true,
        header = "Show the consent text and, on a terminal, ask whether you agree; or record that you agree.",
        description = "Show the consent text. On a terminal, without consent to this version of the text, then ask three "
                + "questions about it and whether you agree, and record the answers; with --accept, record that you agree "
                + "without questions (for scripts). The consent is kept beside the configuration file (--config), or for "
                + "your user without one, with the version of the text: a new version asks again.")
final class ConsentCommand implements Callable<Integer>, TakesSettings {
    @Spec
    CommandSpec spec;

    /** The volunteer's terminal, when there is one (a test sets a scripted one). */
    Supplier<Optional<Terminal>> terminal = Terminal::system;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.CONSENT_ACCEPT, Keys.CONSENT_CHECK, Keys.CONFIG);
    }

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Settings settings = settings(spec);
        Path file = settings.file();
        Consent.State state = Consent.state(settings.get(Keys.CONSENT), file);
        Texts t = Texts.ofEnvironment();
        if (settings.get(Keys.CONSENT_CHECK)) {
            out.println(describe(t, state, file));
            return state instanceof Consent.Given ? ExitCode.OK : ExitCode.FAILURE;
        }
        if (settings.get(Keys.CONSENT_ACCEPT)) {
            out.println(Consent.text(Language.fromEnvironment()));
            out.println(t.t("consent.recorded", record(file, Consent.accepted(Consent.Via.ACCEPT))));
            serviceHint(t, out, file);
            return ExitCode.OK;
        }
        Optional<Terminal> term = state instanceof Consent.Given ? Optional.empty() : terminal.get();
        if (term.isPresent()) {
            obtain(state, file, term.get());
            serviceHint(t, out, file);
            return ExitCode.OK;
        }
        out.println(Consent.text(Language.fromEnvironment()));
        out.println(switch (state) {
            case Consent.Given g -> t.t("consent.before");
            case Consent.Outdated o -> t.t("consent.outdated", o.version(), o.current(), Consent.acceptCommand(file));
            case Consent.Missing m -> t.t("consent.toAgree", Consent.acceptCommand(file));
        });
        return ExitCode.OK;
    }

    /**
     * Consent to the current text for {@code file}'s configuration: given already, or asked on the
     * terminal and recorded; else (a service, a pipe, or not agreed) an error saying why, after the
     * text on {@code err} when nobody could be asked.
     */
    static void require(boolean configKey, Path file, Supplier<Optional<Terminal>> terminals, PrintWriter err) throws IOException {
        Consent.State state = Consent.state(configKey, file);
        if (state instanceof Consent.Given) return;
        Optional<Terminal> terminal = terminals.get();
        if (terminal.isPresent()) {
            obtain(state, file, terminal.get());
            return;
        }
        err.println(Consent.text(Language.fromEnvironment()));
        Texts t = Texts.ofEnvironment();
        throw new InputException(state instanceof Consent.Outdated o ? t.t("consent.outdated", o.version(), o.current(), Consent.acceptCommand(file))
                : t.t("consent.needed", Consent.acceptCommand(file)));
    }

    /** Asks on the terminal (the text, the questions, "Do you agree?") and records the answers; an error when not agreed. */
    private static void obtain(Consent.State state, Path file, Terminal terminal) throws IOException {
        Texts t = Texts.ofEnvironment();
        if (state instanceof Consent.Outdated o) terminal.say(t.t("consent.changed", o.version(), o.current()));
        Optional<Consent.Record> given = new Onboarding(ConsentText.of(Language.fromEnvironment()), terminal, Clock.systemUTC()).ask();
        if (given.isEmpty()) throw new InputException(t.t("consent.notGiven", Consent.acceptCommand(file)));
        terminal.say(t.t("consent.recorded", record(file, given.get())));
    }

    /** Records the consent, or says where it could not be written (a service's /etc/blockwatch needs sudo). */
    private static Path record(Path file, Consent.Record consent) {
        try {
            return Consent.record(file, consent);
        } catch (IOException e) {
            throw new InputException("consent: cannot record it in " + Consent.directory(file).resolve("consent") + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); for a service's configuration, run it with sudo", e);
        }
    }

    /** What {@code --check} says of a consent. */
    private static String describe(Texts t, Consent.State state, Path file) {
        return switch (state) {
            case Consent.Given g when g.record() == null -> t.t("consent.given");
            case Consent.Given g -> t.t("consent.givenTo", g.record().version(), g.file());
            case Consent.Outdated o -> t.t("consent.outdated", o.version(), o.current(), Consent.acceptCommand(file));
            case Consent.Missing m -> t.t("consent.none", Consent.acceptCommand(file));
        };
    }

    /** What {@code status} says on the consent (beside its label, {@code status.label.consent}), when it is missing or to an older text (the agent then measures nothing). */
    static Optional<String> statusLine(Texts t, Settings settings) throws IOException {
        return switch (Consent.state(settings.get(Keys.CONSENT), settings.file())) {
            case Consent.Given g -> Optional.empty();
            case Consent.Outdated o -> Optional.of(t.t("status.consentOutdated", o.version(), o.current()));
            case Consent.Missing m -> Optional.of(t.t("status.consentMissing"));
        };
    }

    private static void serviceHint(Texts t, PrintWriter out, Path file) {
        if (file != null && file.toAbsolutePath().startsWith("/etc/blockwatch")) out.println(t.t("consent.service"));
    }
}
