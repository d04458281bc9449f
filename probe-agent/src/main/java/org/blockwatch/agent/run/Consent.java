package org.blockwatch.agent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.blockwatch.agent.settings.Xdg;

/** The informed consent a volunteer gives once before the agent measures, as OONI Probe asks for. */
public final class Consent {
    public static final String TEXT = """
            blockwatch measures, again and again, whether websites can be reached from this network:
            it resolves their names, connects to them, and fetches their pages, like a browser would,
            and compares what it sees with a measurement made from outside the country.

            What it keeps, on this machine: every measurement (the sites, the answers, the certificates,
            the beginning of each page) and the verdicts, each labelled with the network it was made
            on: its AS number, country and name, and its DNS resolver's. Unless you state them in the
            configuration, it finds them before each sweep: a STUN server (by default Google's or
            Cloudflare's) tells it this machine's public address, and Team Cymru's DNS service tells
            the network that address belongs to. It never records that address, nor any other of this
            machine's: they are held in memory only, and taken out of every measurement before it is
            stored, even where a website writes them into its page.

            Uploads are off unless you configure a collector (upload.collector). Then every measurement
            above is also sent to that collector, and whoever runs it may publish it: the sites, what
            they answered, the verdicts, and the labels of your network and resolver. Never this
            machine's address: it is taken out before a measurement is stored, so it cannot be sent.

            Running a probe can carry risk. In some countries, accessing or testing blocked sites, or
            taking part in measuring censorship, may be watched or be against the law. Anyone who can see
            this machine's traffic can see which sites it visits. Please read about the risks before you
            run it, and do not run it where that risk is not yours to take.
            """;

    private Consent() {}

    /**
     * Where the consent for a configuration file is kept: beside it (so that a service reading
     * /etc/blockwatch/blockwatch.yaml finds /etc/blockwatch/consent); with no file, in the user's
     * configuration directory.
     */
    public static Path directory(Path configFile) {
        if (configFile == null) return Xdg.configHome().resolve("blockwatch");
        Path parent = configFile.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of("/");
    }

    /** Whether the volunteer has consented: the configuration says so, or a consent was recorded beside it or for the user. */
    public static boolean given(boolean configKey, Path configFile) {
        return configKey || Files.isRegularFile(file(directory(configFile))) || Files.isRegularFile(file(directory(null)));
    }

    /** Records that the consent was given for this configuration file (or the user), and when. */
    public static Path record(Path configFile) throws IOException {
        Path f = file(directory(configFile));
        Files.createDirectories(f.getParent());
        Files.writeString(f, "consent given " + Instant.now() + "\n");
        return f;
    }

    /** The command that records consent for this configuration file (or the user's, with none). */
    public static String acceptCommand(Path configFile) {
        return "blockwatch consent --accept" + (configFile == null ? "" : " --config " + configFile);
    }

    private static Path file(Path directory) {
        return directory.resolve("consent");
    }
}
