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
            this machine's traffic can see which sites it visits. Read about the risks, in plain words,
            before you run it: risks.md, in /usr/share/doc/blockwatch/ once installed, or in the
            source's docs/ folder (in Russian: risks.ru.md). Do not run it where that risk is not yours
            to take, nor on a connection shared with someone who has not agreed.
            """;

    /** The same, in Russian (LANG=ru_RU.UTF-8): many of Kazakhstan's volunteers read Russian more easily. */
    public static final String TEXT_RU = """
            blockwatch снова и снова проверяет, открываются ли сайты из этой сети: он узнаёт их адреса,
            подключается к ним и загружает страницы, как это делает браузер, и сравнивает увиденное с
            измерением, сделанным за пределами страны.

            Что он хранит на этом компьютере: каждое измерение (сайты, ответы, сертификаты, начало каждой
            страницы) и выводы, с пометкой о сети, в которой измерение сделано: её номер AS, страна и
            название, а также данные её DNS-резолвера. Если вы не укажете их в настройках, он узнаёт их
            перед каждым проходом: STUN-сервер (по умолчанию Google или Cloudflare) сообщает публичный
            адрес этого компьютера, а DNS-служба Team Cymru сообщает, какой сети этот адрес принадлежит.
            Сам адрес он никогда не записывает, как и любой другой адрес этого компьютера: они хранятся
            только в памяти и удаляются из каждого измерения до сохранения, даже если сайт впишет их в
            свою страницу.

            Отправка выключена, пока вы не укажете сборщик (upload.collector). Тогда каждое измерение
            также отправляется этому сборщику, и тот, кто им управляет, может его опубликовать: сайты,
            их ответы, выводы и сведения о вашей сети и резолвере. Но не адрес этого компьютера: он
            удаляется до сохранения измерения, поэтому отправить его невозможно.

            Работа зонда может быть связана с риском. В некоторых странах посещение или проверка
            заблокированных сайтов, а также участие в измерении цензуры могут отслеживаться или быть
            запрещены законом. Любой, кто видит трафик этого компьютера, видит, какие сайты он посещает.
            Прочитайте о рисках простыми словами, прежде чем запускать его: risks.ru.md, в
            /usr/share/doc/blockwatch/ после установки или в папке docs/ исходного кода. Не запускайте
            его, если этот риск не вам решать, и на подключении, которым пользуется кто-то, кто на это не
            согласился.
            """;

    /** The consent text in the volunteer's language. */
    public static String text(Language language) {
        return language == Language.RUSSIAN ? TEXT_RU : TEXT;
    }

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
