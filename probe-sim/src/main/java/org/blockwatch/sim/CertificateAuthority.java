package org.blockwatch.sim;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for the simulated network (Bouncy Castle): a root, or an
 * intermediate under another authority, that issues server certificates for names and IP
 * addresses with any validity period. EC P-256 keys, so that making one is fast.
 */
public final class CertificateAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final List<X509Certificate> chainAbove; // issuers above this one, nearest first

    private CertificateAuthority(KeyPair keys, X509Certificate certificate, List<X509Certificate> chainAbove) {
        this.keys = keys;
        this.certificate = certificate;
        this.chainAbove = List.copyOf(chainAbove);
    }

    /** A self-signed root named {@code subject} (an X.500 name such as {@code "CN=Lab Root, O=blockwatch"}). */
    public static CertificateAuthority root(String subject) {
        KeyPair keys = newKeys();
        Instant now = Instant.now();
        X509Certificate cert = sign(new X500Name(subject), new X500Name(subject), keys, keys, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)), true, List.of());
        return new CertificateAuthority(keys, cert, List.of());
    }

    /** An intermediate authority signed by this one. */
    public CertificateAuthority intermediate(String subject) {
        KeyPair child = newKeys();
        Instant now = Instant.now();
        X509Certificate cert = sign(new X500Name(subject), issuerName(), child, keys, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(1825)), true, List.of());
        List<X509Certificate> above = new ArrayList<>();
        above.add(certificate);
        above.addAll(chainAbove);
        return new CertificateAuthority(child, cert, above);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A server certificate valid from a day ago for a year. */
    public Issued issue(String... names) {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), names);
    }

    /** A server certificate for DNS names and IP literals, valid between the two instants. */
    public Issued issue(Instant notBefore, Instant notAfter, String... names) {
        KeyPair leafKeys = newKeys();
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            boolean ip = n.matches("[0-9.]+") || n.contains(":");
            sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        X509Certificate leaf = sign(new X500Name("CN=" + names[0]), issuerName(), leafKeys, keys, notBefore, notAfter, false, sans);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.add(certificate);
        chain.addAll(chainAbove);
        // A server sends its leaf and intermediates, not the root.
        if (chain.get(chain.size() - 1).getSubjectX500Principal().equals(chain.get(chain.size() - 1).getIssuerX500Principal())) {
            chain.remove(chain.size() - 1);
        }
        return new Issued(leafKeys, chain);
    }

    private X500Name issuerName() {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    /** A key and the chain a server presents with it. */
    public record Issued(KeyPair keys, List<X509Certificate> chain) {
        /** A server-side TLS context presenting this certificate. */
        public SSLContext serverContext() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                char[] password = "sim".toCharArray();
                store.setKeyEntry("server", keys.getPrivate(), password, chain.toArray(X509Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build a server TLS context", e);
            }
        }
    }

    /** Writes this authority's certificate as PEM, for {@code --trust-ca}. */
    public Path writePem(Path file) throws IOException {
        Files.writeString(file, pem(certificate), StandardCharsets.US_ASCII);
        return file;
    }

    public static String pem(X509Certificate cert) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(cert);
        }
        return out.toString();
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name subject, X500Name issuer, KeyPair subjectKeys, KeyPair issuerKeys,
            Instant notBefore, Instant notAfter, boolean ca, List<GeneralName> sans) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            builder.addExtension(Extension.keyUsage, true, ca
                    ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature)
                    : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!sans.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
    }
}
