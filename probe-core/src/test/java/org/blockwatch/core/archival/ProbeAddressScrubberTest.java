package org.blockwatch.core.archival;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressScrubberTest {
    private static ProbeAddressScrubber of(String... addresses) throws Exception {
        List<InetAddress> list = new java.util.ArrayList<>();
        for (String a : addresses) list.add(InetAddress.getByName(a));
        return ProbeAddressScrubber.of(list);
    }

    @Test
    void theProbesAddressIsReplacedWhereverAServerEchoesIt() throws Exception {
        String body = "{\"body\":\"<title>Your IP: 203.0.113.7</title>\",\"headers\":{\"X-Client\":\"203.0.113.7\","
                + "\"Set-Cookie\":\"ip=203.0.113.7; Path=/\",\"Location\":\"http://x.example/?from=203.0.113.7&to=203.0.113.70\"}}";
        ProbeAddressScrubber.Scrubbed s = of("203.0.113.7").scrub(body);
        assertThat(s.replaced()).isEqualTo(4);
        assertThat(s.text()).doesNotContain("203.0.113.7\"").doesNotContain("203.0.113.7;").contains("to=203.0.113.70")
                .contains("Your IP: [scrubbed]");
    }

    @Test
    void anAddressInsideALongerNumberIsNotTouched() throws Exception {
        assertThat(of("10.0.0.5").scrub("10.0.0.50 110.0.0.5 10.0.0.5.1 v10.0.0.5").text()).isEqualTo("10.0.0.50 110.0.0.5 10.0.0.5.1 v[scrubbed]");
    }

    @Test
    void ipv6InItsFullAndCompressedFormsAnyCase() throws Exception {
        ProbeAddressScrubber s = of("2001:db8::7");
        assertThat(s.scrub("a 2001:db8::7 b 2001:DB8:0:0:0:0:0:7 c [2001:db8::7]:443 d 2001:db8::70").text())
                .isEqualTo("a [scrubbed] b [scrubbed] c [[scrubbed]]:443 d 2001:db8::70");
        assertThat(ProbeAddressScrubber.compressed(InetAddress.getByName("2001:db8:0:1:0:0:0:1").getAddress())).isEqualTo("2001:db8:0:1::1");
        assertThat(ProbeAddressScrubber.compressed(InetAddress.getByName("2001:db8:1:1:1:1:1:1").getAddress())).isEqualTo("2001:db8:1:1:1:1:1:1");
    }

    @Test
    void loopbackIsNotTheProbesToHide() throws Exception {
        assertThat(of("127.0.0.1", "::1").scrub("\"probe_ip\":\"127.0.0.1\"").replaced()).isZero();
        assertThat(ProbeAddressScrubber.ofThisMachineAnd(List.of()).scrub("127.0.0.1").text()).isEqualTo("127.0.0.1");
    }
}
