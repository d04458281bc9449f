package org.blockwatch.agent.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.blockwatch.agent.run.Consent;
import org.blockwatch.agent.settings.Key;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code blockwatch consent}: shows what running a probe means, and records the volunteer's consent. */
@Command(name = "consent", mixinStandardHelpOptions = true,
        header = "Show the consent text, or record that you agree.",
        description = "Show the consent text; with --accept, record that you agree. The consent is kept beside the "
                + "configuration file (--config), or for your user without one.")
final class ConsentCommand implements Callable<Integer>, TakesSettings {
    @Spec
    CommandSpec spec;

    @Override
    public List<Key<?>> settingKeys() {
        return List.of(Keys.CONSENT_ACCEPT, Keys.CONSENT_CHECK, Keys.CONFIG);
    }

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Settings settings = settings(spec);
        Path file = settings.file();
        boolean given = Consent.given(settings.get(Keys.CONSENT), file);
        boolean check = settings.get(Keys.CONSENT_CHECK);
        boolean accept = settings.get(Keys.CONSENT_ACCEPT);
        Texts t = Texts.ofEnvironment();
        if (check) {
            out.println(given ? t.t("consent.given") : t.t("consent.none", Consent.acceptCommand(file)));
            return given ? ExitCode.OK : ExitCode.FAILURE;
        }
        out.println(Consent.text(org.blockwatch.agent.run.Language.fromEnvironment()));
        if (accept) {
            out.println(t.t("consent.recorded", Consent.record(file)));
            if (file != null && file.toAbsolutePath().startsWith("/etc/blockwatch")) {
                out.println(t.t("consent.service"));
            }
        } else {
            out.println(given ? t.t("consent.before") : t.t("consent.toAgree", Consent.acceptCommand(file)));
        }
        return ExitCode.OK;
    }
}
