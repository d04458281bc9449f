package org.blockwatch.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The simulated network's certificates must pass the JDK's own PKIX validation, as real ones do. */
class CertificateAuthorityTest {
    private static final CertificateAuthority ROOT = CertificateAuthority.root("CN=Lab Root, O=blockwatch");

    @Test
    void aChainThroughAnIntermediateValidatesAgainstTheRoot() throws Exception {
        CertificateAuthority intermediate = ROOT.intermediate("CN=Lab Intermediate, O=blockwatch");
        CertificateAuthority.Issued issued = intermediate.issue("news.example", "127.0.0.1", "::1");

        assertThat(issued.chain()).hasSize(2); // the leaf and the intermediate; never the root
        validate(issued.chain(), ROOT.certificate(), new Date());

        X509Certificate leaf = issued.chain().getFirst();
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=news.example");
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(intermediate.certificate().getSubjectX500Principal());
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getKeyUsage()[0]).isTrue(); // digitalSignature
        assertThat(leaf.getKeyUsage()[5]).isFalse(); // not keyCertSign
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(
                List.of(2, "news.example"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(intermediate.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(intermediate.certificate().getKeyUsage()[5]).isTrue();
    }

    @Test
    void anotherRootDoesNotValidateTheChain() {
        CertificateAuthority rogue = CertificateAuthority.root("CN=Rogue Root");
        List<X509Certificate> chain = rogue.issue("news.example").chain();

        assertThatThrownBy(() -> validate(chain, ROOT.certificate(), new Date())).isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void validityIsEncodedExactlyIncludingDatesAfter2049() throws Exception {
        Instant from = Instant.parse("2030-01-02T03:04:05Z");
        Instant until = Instant.parse("2051-06-07T08:09:10Z"); // GeneralizedTime from 2050 on
        X509Certificate leaf = ROOT.issue(from, until, "later.example").chain().getFirst();

        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(from);
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(until);
        assertThatThrownBy(() -> leaf.checkValidity(Date.from(until.plus(Duration.ofSeconds(1)))))
                .isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void pemRoundTripsThroughTheJdkParser() throws Exception {
        String pem = CertificateAuthority.pem(ROOT.certificate());

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        var parsed = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(parsed).isEqualTo(ROOT.certificate());
    }

    private static void validate(List<X509Certificate> chain, X509Certificate root, Date at) throws Exception {
        var path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        params.setDate(at);
        CertPathValidator.getInstance("PKIX").validate(path, params);
    }
}
