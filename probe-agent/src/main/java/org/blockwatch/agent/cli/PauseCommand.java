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
import org.blockwatch.agent.settings.Kind;
import org.blockwatch.agent.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code blockwatch pause [DURATION]} and {@code blockwatch resume}: the running agent starts no measurement meanwhile. */
@Command(name = "pause", mixinStandardHelpOptions = true,
        header = "Pause the agent's measurements, for a while or until resumed.",
        description = "Pause measuring: the running agent starts no measurement until the time is up or 'blockwatch resume' "
                + "(measurements in flight end normally). Takes effect within seconds, without a restart. The pause is kept beside "
                + "the store, so it holds across restarts.")
final class PauseCommand implements Callable<Integer>, TakesSettings {
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");
    private static final Kind.Time HOW_LONG = new Kind.Time(Duration.ofMinutes(1), Duration.ofDays(365));

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DURATION", arity = "0..1", description = "How long (e.g. 2h, 30m, 1d); without it, until 'blockwatch resume'.")
    String duration;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.CONFIG, Keys.STORE);
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = settings(spec);
        PrintWriter out = spec.commandLine().getOut();
        Instant until;
        try {
            until = duration == null ? null : Instant.now().plus(HOW_LONG.parse(duration));
        } catch (IllegalArgumentException e) {
            throw new InputException("DURATION: " + e.getMessage(), e);
        }
        Path file = Pause.fileOf(settings.storePath());
        Pause.ofStore(settings.storePath(), QuietHours.NONE).pauseUntil(until);
        out.println(until == null ? "Paused until 'blockwatch resume'." : "Paused until " + LOCAL.format(until.atZone(ZoneId.systemDefault())) + ".");
        out.println("The running agent starts no measurement meanwhile (kept in " + file + ").");
        return ExitCode.OK;
    }

    /** {@code blockwatch resume}. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
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
            boolean was = Pause.ofStore(settings.storePath(), QuietHours.NONE).resume();
            spec.commandLine().getOut().println(was ? "Resumed: the agent measures again." : "Not paused: nothing to resume.");
            return ExitCode.OK;
        }
    }
}
