package org.blockwatch.agent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.blockwatch.agent.settings.Xdg;

/** The informed consent a volunteer gives once before the agent measures, as OONI Probe asks for. */
public final class Consent {
    public static final String TEXT = """
            blockwatch measures, again and again, whether websites and messaging apps can be reached
            from this network: it resolves their names, connects to them, and fetches their pages, like
            a browser or the app would, and compares what it sees with a measurement made from outside
            the country.

            Who it contacts with its default settings, what each learns, and the setting (in the
            configuration file) that turns each off:

            - The websites on its lists, and your DNS resolver (usually your internet provider's): they
              see this machine's address and which sites it asks for, as for any visitor.
            - OONI's public test helpers (0.th.ooni.org, 1.th.ooni.org, 2.th.ooni.org, 3.th.ooni.org,
              run by the Open Observatory of Network Interference; the next only when one does not
              answer) make the measurement from outside the country. They receive every URL measured,
              and the addresses found for it here, from this machine's own address. While the network
              seems down, the agent also connects to the first of them, sending nothing, to see whether
              it is back. Off: control.helpers: [] (or --no-control: verdicts then rest on known
              signatures alone), or control.helpers set to a helper you trust.
            - STUN servers (stun.l.google.com, Google's; stun.cloudflare.com, Cloudflare's, asked only
              when Google's does not answer), before each sweep: to find this machine's address. They
              see this machine's address: it is what they answer with. Off: network.stun_servers: [].
              Only if you add stunreachability to tests.enabled (it is off unless you do), the same two
              are also asked in each sweep, both of them, to test whether STUN works (what calls need),
              and when one does not answer, the control above is asked to try it too. Off: leave it out
              of tests.enabled, or tests.stunreachability.inputs: [].
            - The messaging apps' servers, in each sweep, to test whether each app works (OONI's tests
              of the same names): Telegram's (its data centres 149.154.175.50, 149.154.167.51,
              149.154.175.100, 149.154.167.91, 149.154.171.5 and 95.161.76.100, and web.telegram.org),
              WhatsApp's (e1.whatsapp.net to e16.whatsapp.net, v.whatsapp.net, web.whatsapp.com),
              Signal's (cdsi.signal.org, chat.signal.org, sfu.voip.signal.org, storage.signal.org;
              uptime.signal.org only looked up) and Facebook Messenger's (b-api.facebook.com,
              b-graph.facebook.com, edge-mqtt.facebook.com, external.xx.fbcdn.net,
              scontent.xx.fbcdn.net, star.c10r.facebook.com; stun.fbsbx.com only looked up). Each sees
              this machine's address, and your resolver and provider see that it contacts them, as if
              the app were used here. When a part fails, the test helpers above are asked to try the
              same names and addresses from outside. Off: leave the app out of tests.enabled
              (facebook_messenger, telegram, whatsapp, signal); its servers are set with tests.<app>.
            - Public DNS resolvers, in each sweep, to test whether each works from here and is the one
              answering (OONI's dnscheck): Google's (8.8.8.8, and dns.google over DNS over TLS and
              over HTTPS, also at 8.8.4.4), Cloudflare's (1.1.1.1, one.one.one.one and
              cloudflare-dns.com, also at 1.0.0.1), Quad9's (9.9.9.9 and dns.quad9.net, also at
              149.112.112.112), Yandex's (77.88.8.8 and common.dot.dns.yandex.net) and AdGuard's
              (94.140.14.14 and dns.adguard-dns.com). Each is asked for example.org only, and who it
              is (id.server): it sees this machine's address and those questions, nothing of the sites
              measured. The names of the encrypted ones are first looked up through your resolver, and
              your provider sees that this machine contacts them. The test helpers above are sent each
              resolver's address and example.org, to try the same from outside (OONI's answer that
              they do not). Off: leave dnscheck out of tests.enabled, or tests.dnscheck.resolvers: [].
            - Cloudflare's encrypted resolver (cloudflare-dns.com, DNS over HTTPS), in every web
              measurement, beside your own resolver: it is asked the name of every site measured, from
              this machine's address (its own name first looked up through your resolver). Its answer,
              which no one on the way can forge, tells a resolver that lies from a site that is
              blocked. Off: measurement.extra_resolvers: [] (or --no-extra-resolvers). When your own
              resolver is Cloudflare's (1.1.1.1, 1.0.0.1) or Quad9's (9.9.9.9), it is also asked who it
              is (id.server), a few times an hour, to tell whether someone else answers in its name
              (dns.identities).
            - Only if you set one: a port-filter helper (tests.portfiltering.helper, with portfiltering
              in tests.enabled), connected to on a few ports and sent a DNS query and a QUIC packet,
              every 6 hours and after each sweep that finds the network cut down to domestic sites, to
              tell which ways out still work. It sees this machine's address.
            - api.ipify.org, only when no STUN server answers: it sees this machine's address, which it
              answers with. Off: network.address_urls: [].
            - Team Cymru's DNS service (asn.cymru.com) tells which network and country an address
              belongs to. The question holds this machine's address and goes through your resolver:
              the resolver and Team Cymru see the address, Team Cymru as coming from the resolver.
              Off: network.asn_zone: "".
            - Akamai's who-am-I name (whoami.akamai.net), asked through your resolver: Akamai sees the
              address your resolver's queries leave from (this machine's only if it is its own
              resolver). Off: network.whoami: "".
              Setting both network.asn and network.country turns off the last four at once.
            - Only when you run 'blockwatch targets update': GitHub (raw.githubusercontent.com), which
              serves Citizen Lab's lists and sees this machine's address.
            - Only if you set them: a collector (upload.collector) and a metrics receiver
              (metrics.remote_write.url), below.

            What it keeps, on this machine: every measurement (the sites, the answers, the certificates,
            the beginning of each page) and the verdicts, each labelled with the network it was made
            on: its AS number, country and name, and its DNS resolver's. It never records this
            machine's address, nor any other of its addresses: they are held in memory only, and taken
            out of every measurement before it is stored, even where a website writes them into its
            page. Those it contacts learn what the list above says.

            Uploads are off unless you configure a collector (upload.collector). Then every measurement
            above is also sent to that collector, and whoever runs it may publish it: the sites, what
            they answered, the verdicts, and the labels of your network and resolver. Never this
            machine's address in a measurement: it is taken out before a measurement is stored, so it
            cannot be sent; the collector sees the address the upload comes from, as any server would.
            With metrics.remote_write.url, the agent's metrics (each site's state, your network's
            labels) go to that receiver, which also sees the address they come from.

            Running a probe can carry risk. In some countries, accessing or testing blocked sites, or
            taking part in measuring censorship, may be watched or be against the law. Anyone who can see
            this machine's traffic can see which sites it visits. Read about the risks, in plain words,
            before you run it: risks.md, in /usr/share/doc/blockwatch/ once installed, or in the
            source's docs/ folder (in Russian: risks.ru.md). Do not run it where that risk is not yours
            to take, nor on a connection shared with someone who has not agreed.
            """;

    /** The same, in Russian (LANG=ru_RU.UTF-8): many of Kazakhstan's volunteers read Russian more easily. */
    public static final String TEXT_RU = """
            blockwatch снова и снова проверяет, открываются ли сайты и работают ли мессенджеры из этой
            сети: он узнаёт их адреса, подключается к ним и загружает страницы, как это делает браузер
            или приложение, и сравнивает увиденное с измерением, сделанным за пределами страны.

            С кем он связывается при настройках по умолчанию, что каждый из них узнаёт и какая
            настройка (в файле настроек) это отключает:

            - Сайты из его списков и ваш DNS-резолвер (обычно резолвер вашего провайдера): они видят
              адрес этого компьютера и то, какие сайты он запрашивает, как у любого посетителя.
            - Публичные тестовые помощники OONI (0.th.ooni.org, 1.th.ooni.org, 2.th.ooni.org,
              3.th.ooni.org; ими управляет Open Observatory of Network Interference; следующий
              спрашивается, только если предыдущий не ответил) делают измерение из-за пределов страны.
              Они получают каждый проверяемый URL и найденные здесь адреса сайта, с адреса самого
              этого компьютера. Когда сеть кажется недоступной, агент ещё и подключается к первому из
              них, ничего не отправляя, чтобы узнать, вернулась ли она. Отключить: control.helpers: []
              (или --no-control: тогда выводы опираются только на известные признаки блокировки) или
              указать в control.helpers помощника, которому вы доверяете.
            - STUN-серверы (stun.l.google.com, Google; stun.cloudflare.com, Cloudflare, только если не
              ответил сервер Google), перед каждым проходом: чтобы узнать адрес этого компьютера. Они
              видят адрес этого компьютера: именно его они и сообщают. Отключить: network.stun_servers: [].
              Только если вы добавите stunreachability в tests.enabled (без этого проверка выключена),
              те же два сервера опрашиваются ещё и в каждом проходе, оба, чтобы проверить, работает ли
              STUN (он нужен для звонков); если один не ответил, его просят проверить и помощника,
              указанного выше. Отключить: не указывать её в tests.enabled или
              tests.stunreachability.inputs: [].
            - Серверы мессенджеров, в каждом проходе, чтобы проверить, работает ли каждое приложение
              (одноимённые тесты OONI): Telegram (его дата-центры 149.154.175.50, 149.154.167.51,
              149.154.175.100, 149.154.167.91, 149.154.171.5 и 95.161.76.100, а также web.telegram.org),
              WhatsApp (от e1.whatsapp.net до e16.whatsapp.net, v.whatsapp.net, web.whatsapp.com),
              Signal (cdsi.signal.org, chat.signal.org, sfu.voip.signal.org, storage.signal.org;
              uptime.signal.org только запрашивается в DNS) и Facebook Messenger (b-api.facebook.com,
              b-graph.facebook.com, edge-mqtt.facebook.com, external.xx.fbcdn.net,
              scontent.xx.fbcdn.net, star.c10r.facebook.com; stun.fbsbx.com только запрашивается в DNS).
              Каждый видит адрес этого компьютера, а ваш резолвер и провайдер видят, что компьютер к
              ним обращается, как если бы приложением пользовались здесь. Если что-то не ответило,
              помощников, указанных выше, просят проверить те же имена и адреса из-за пределов страны.
              Отключить: не указывать приложение в tests.enabled (facebook_messenger, telegram,
              whatsapp, signal); его серверы задаются в tests.<app>.
            - Публичные DNS-резолверы, в каждом проходе, чтобы проверить, работает ли каждый отсюда и
              отвечает ли именно он (тест OONI dnscheck): Google (8.8.8.8, а также dns.google через DNS
              over TLS и DNS over HTTPS, ещё и по адресу 8.8.4.4), Cloudflare (1.1.1.1, one.one.one.one
              и cloudflare-dns.com, ещё и по адресу 1.0.0.1), Quad9 (9.9.9.9 и dns.quad9.net, ещё и по
              адресу 149.112.112.112), Яндекс (77.88.8.8 и common.dot.dns.yandex.net) и AdGuard
              (94.140.14.14 и dns.adguard-dns.com). У каждого запрашивается только example.org и то,
              кто он (id.server): он видит адрес этого компьютера и эти вопросы, но ничего о
              проверяемых сайтах. Имена зашифрованных резолверов сначала запрашиваются через ваш
              резолвер, и провайдер видит, что компьютер к ним обращается. Тестовым помощникам,
              указанным выше, отправляется адрес каждого резолвера и example.org, чтобы они проверили
              то же самое из-за пределов страны (помощники OONI отвечают, что этого не делают).
              Отключить: не указывать dnscheck в tests.enabled или tests.dnscheck.resolvers: [].
            - Зашифрованный резолвер Cloudflare (cloudflare-dns.com, DNS over HTTPS), в каждом
              измерении сайта, рядом с вашим резолвером: у него запрашивается имя каждого проверяемого
              сайта, с адреса этого компьютера (а его собственное имя сначала запрашивается через ваш
              резолвер). Его ответ никто по пути подделать не может: по нему отличают резолвер, который
              лжёт, от заблокированного сайта. Отключить: measurement.extra_resolvers: [] (или
              --no-extra-resolvers). Если ваш собственный резолвер принадлежит Cloudflare (1.1.1.1,
              1.0.0.1) или Quad9 (9.9.9.9), у него ещё и спрашивается, кто он (id.server), несколько раз
              в час, чтобы узнать, не отвечает ли за него кто-то другой (dns.identities).
            - Только если вы его укажете: помощник проверки портов (tests.portfiltering.helper и
              portfiltering в tests.enabled), к которому агент подключается на нескольких портах и
              отправляет DNS-запрос и пакет QUIC, раз в 6 часов и после каждого прохода, в котором сеть
              урезана до внутренних сайтов, чтобы узнать, какие пути наружу ещё работают. Он видит
              адрес этого компьютера.
            - api.ipify.org, только если не ответил ни один STUN-сервер: он видит адрес этого
              компьютера, который и сообщает. Отключить: network.address_urls: [].
            - DNS-служба Team Cymru (asn.cymru.com) сообщает, какой сети и стране принадлежит адрес.
              Вопрос содержит адрес этого компьютера и идёт через ваш резолвер: адрес видят резолвер и
              Team Cymru, причём Team Cymru получает вопрос от резолвера. Отключить: network.asn_zone: "".
            - Имя who-am-I компании Akamai (whoami.akamai.net), запрашиваемое через ваш резолвер: Akamai
              видит адрес, с которого уходят запросы резолвера (адрес этого компьютера, только если он
              сам себе резолвер). Отключить: network.whoami: "".
              Если указать и network.asn, и network.country, последние четыре отключаются сразу.
            - Только когда вы запускаете 'blockwatch targets update': GitHub (raw.githubusercontent.com),
              откуда загружаются списки Citizen Lab; он видит адрес этого компьютера.
            - Только если вы их укажете: сборщик (upload.collector) и приёмник метрик
              (metrics.remote_write.url), см. ниже.

            Что он хранит на этом компьютере: каждое измерение (сайты, ответы, сертификаты, начало каждой
            страницы) и выводы, с пометкой о сети, в которой измерение сделано: её номер AS, страна и
            название, а также данные её DNS-резолвера. Адрес этого компьютера он никогда не
            записывает, как и любой другой его адрес: они хранятся только в памяти и удаляются из
            каждого измерения до сохранения, даже если сайт впишет их в свою страницу. Что узнают те,
            с кем он связывается, сказано в списке выше.

            Отправка выключена, пока вы не укажете сборщик (upload.collector). Тогда каждое измерение
            также отправляется этому сборщику, и тот, кто им управляет, может его опубликовать: сайты,
            их ответы, выводы и сведения о вашей сети и резолвере. Но не адрес этого компьютера в
            измерении: он удаляется до сохранения измерения, поэтому отправить его невозможно; сборщик
            видит адрес, с которого идёт отправка, как любой сервер. С metrics.remote_write.url метрики
            агента (состояние каждого сайта, сведения о вашей сети) отправляются этому приёмнику,
            который тоже видит адрес, с которого они приходят.

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
