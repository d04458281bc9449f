package org.blockwatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.blockwatch.agent.settings.Keys;
import org.blockwatch.agent.settings.Settings;
import org.blockwatch.core.archival.ProbeInfo;
import org.blockwatch.core.dns.ResolverAddress;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** When every lookup fails: AS0 and ZZ, as OONI labels an unknown network, said once; stated labels override. */
class ProbeLocationTest {
    @Test
    void everyLookupFailingIsSaidOnceAndLabelsAs0Zz() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ProbeLocation.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String where = "127.0.0.1:" + silent.getLocalPort();
            Settings s = Settings.defaults().with(Keys.STUN_SERVERS, List.of(where)).with(Keys.ADDRESS_URLS, List.of())
                    .with(Keys.ASN_ZONE, "asn.lab").with(Keys.WHOAMI, "whoami.lab").with(Keys.RESOLVER, ResolverAddress.parse(where))
                    .with(Keys.TIMEOUT, Duration.ofMillis(300));
            ProbeLocation location = new ProbeLocation(s, "test");
            ProbeInfo first = location.refresh().probe();
            ProbeInfo second = location.refresh().probe();
            assertThat(List.of(first.asn(), first.cc(), second.asn(), second.cc())).containsExactly("AS0", "ZZ", "AS0", "ZZ");
            assertThat(events.list.stream().filter(e -> e.getFormattedMessage().startsWith("network: not identified"))).hasSize(1);
        } finally {
            logger.detachAppender(events);
        }
    }

    @Test
    void statedLabelsMeanNothingIsLookedUp() throws Exception {
        Settings s = Settings.defaults().with(Keys.ASN, "AS9198").with(Keys.COUNTRY, "KZ").with(Keys.STUN_SERVERS, List.of("192.0.2.1:3478"));
        ProbeLocation location = new ProbeLocation(s, "test");
        ProbeInfo p = location.refresh().probe();
        assertThat(List.of(p.asn(), p.cc())).containsExactly("AS9198", "KZ");
        assertThat(p.resolverIp()).isEmpty();
    }
}
