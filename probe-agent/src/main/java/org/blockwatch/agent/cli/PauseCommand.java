package org.blockwatch.agent.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.blockwatch.agent.schedule.Pause;
import org.blockwatch.agent.schedule.QuietHours;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code blockwatch pause [DURATION]} and {@code blockwatch resume}: the running agent starts no measurement meanwhile. */
@Command(name = "pause", mixinStandardHelpOptions = true, resourceBundle = "org.blockwatch.agent.cli.help",
        header = "Pause the agent's measurements, for a while or until resumed.",
        description = "Pause measuring: the running agent starts no measurement until the time is up or 'blockwatch resume' "
                + "(measurements in flight end normally). Takes effect within seconds, without a restart. The pause is kept beside "
                + "the store, so it holds across restarts.")
final class PauseCommand implements Callable<Integer>, TakesSettings {
    /** A time as status and pause show it: local, with the zone's offset (quiet hours are local too). */
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

    @Spec
    CommandSpec spec;

    /** In words or not, quoted or not: {@code pause 2 hours} is two arguments to the shell and one duration to a person. */
    @Parameters(paramLabel = "DURATION", arity = "0..*", description = "How long: 2h, 2 hours, 90m, 90 minutes, 1h30m, 1d, 30s "
            + "(in Russian or Kazakh too: 2 часа, 2 сағат); a number alone is minutes. Without it, until 'blockwatch resume'.")
    List<String> duration;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.CONFIG, Keys.STORE);
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings(spec);
        PrintWriter out = spec.commandLine().getOut();
        Texts t = Texts.ofEnvironment();
        Duration howLong = duration == null || duration.isEmpty() ? null : howLong(t, String.join(" ", duration));
        Instant until = howLong == null ? null : Instant.now().plus(howLong);
        Path file = Pause.fileOf(settings.storePath());
        Pause.ofStore(settings.storePath(), QuietHours.NONE).pauseUntil(until);
        out.println(until == null ? t.t("pause.forever") : t.t("pause.for", words(t, howLong), LOCAL.format(until.atZone(ZoneId.systemDefault()))));
        out.println(t.t("pause.meanwhile", file));
        return ExitCode.OK;
    }

    /** The pause asked for, or an input error that names the text and the forms read. */
    static Duration howLong(Texts t, String text) {
        Duration d = Pause.duration(text).orElseThrow(() -> new InputException(t.t("pause.badDuration", text), null));
        if (d.compareTo(Pause.SHORTEST) < 0 || d.compareTo(Pause.LONGEST) > 0) throw new InputException(t.t("pause.outOfRange", text), null);
        return d;
    }

    /** A duration in words: {@code 1 hour 30 minutes}, {@code 2 часа}, {@code 5 дней}; days, hours, minutes, seconds that are not 0. */
    static String words(Texts t, Duration d) {
        List<String> parts = new java.util.ArrayList<>();
        if (d.toDays() > 0) parts.add(t.n("duration.days", d.toDays()));
        if (d.toHoursPart() > 0) parts.add(t.n("duration.hours", d.toHoursPart()));
        if (d.toMinutesPart() > 0) parts.add(t.n("duration.minutes", d.toMinutesPart()));
        if (d.toSecondsPart() > 0 || parts.isEmpty()) parts.add(t.n("duration.seconds", d.toSecondsPart()));
        return String.join(" ", parts);
    }

    /** {@code blockwatch resume}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, resourceBundle = "org.blockwatch.agent.cli.help",
            header = "End a pause: the agent measures again.",
            description = "End a pause made with 'blockwatch pause': the running agent measures again within seconds. "
                    + "Quiet hours (schedule.quiet_hours) still hold.")
    static final class Resume implements Callable<Integer>, TakesSettings {
        @Spec
        CommandSpec spec;

        @Override
        public List<Key<?>> settingKeys() {
            return List.of(Keys.CONFIG, Keys.STORE);
        }

        @Override
        public Integer call() throws Exception {
            Settings settings = settings(spec);
            Texts t = Texts.ofEnvironment();
            boolean was = Pause.ofStore(settings.storePath(), QuietHours.NONE).resume();
            spec.commandLine().getOut().println(was ? t.t("resume.resumed") : t.t("resume.notPaused"));
            return ExitCode.OK;
        }
    }
}
