package org.blockwatch.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.blockwatch.core.archival.PeerCertificate;
import org.blockwatch.core.archival.TrustAnchor;
import org.blockwatch.sim.CertificateAuthority;
import org.junit.jupiter.api.Test;

class InterceptionRootsTest {
    private static final InterceptionRoots ROOTS = InterceptionRoots.bundled();

    private static PeerCertificate of(X509Certificate c) throws Exception {
        return PeerCertificate.of(c.getEncoded());
    }

    @Test
    void theRealQaznetRootIsKnownByItsDigest() throws Exception {
        X509Certificate qaznet;
        try (InputStream in = InterceptionRoots.class.getResourceAsStream("qaznet_root.pem")) {
            qaznet = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(ROOTS.find(List.of(of(qaznet)), null)).hasValueSatisfying(v -> assertThat(v).contains("Qaznet"));
    }

    @Test
    void anIssuerNamedLikeTheGovernmentsIsFoundAnywhereInTheChain() throws Exception {
        CertificateAuthority isca = CertificateAuthority.root("CN=Information Security Certification Authority, O=ISCA, C=KZ");
        X509Certificate leaf = isca.issue("www.facebook.com").chain().get(0);
        assertThat(ROOTS.find(List.of(of(leaf)), null)).isPresent();
        CertificateAuthority ordinary = CertificateAuthority.root("CN=Ordinary Root, O=Example, C=KZ");
        assertThat(ROOTS.find(List.of(of(ordinary.issue("site.kz").chain().get(0))), null)).isEmpty();
    }

    @Test
    void anAnchorInTheUsersTrustStoreCountsToo() {
        assertThat(ROOTS.find(List.of(), new TrustAnchor("CN=Qaznet Trust Network,C=KZ", "00"))).isPresent();
        assertThat(ROOTS.find(List.of(), new TrustAnchor("CN=ISRG Root X1,O=Internet Security Research Group,C=US", "00"))).isEmpty();
    }
}
