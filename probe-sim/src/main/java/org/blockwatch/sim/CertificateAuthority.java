package org.blockwatch.sim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
/**
 * A certificate authority for the simulated network: a root, or an
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
        X509Certificate cert = sign(name(subject), name(subject), keys, keys, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)), true, List.of());
        return new CertificateAuthority(keys, cert, List.of());
    }

    /** An intermediate authority signed by this one. */
    public CertificateAuthority intermediate(String subject) {
        KeyPair child = newKeys();
        Instant now = Instant.now();
        X509Certificate cert = sign(name(subject), issuerName(), child, keys, now.minus(Duration.ofDays(1)),
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
        X509Certificate leaf = sign(name("CN=" + names[0]), issuerName(), leafKeys, keys, notBefore, notAfter, false, List.of(names));
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

    private byte[] issuerName() {
        return certificate.getSubjectX500Principal().getEncoded();
    }

    private static byte[] name(String x500) {
        return new X500Principal(x500).getEncoded();
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
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode a certificate", e);
        }
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

    private static final byte[] ECDSA_WITH_SHA256 = Der.sequence(Der.oid("1.2.840.10045.4.3.2"));

    /** An X.509 v3 certificate (RFC 5280), signed with the issuer's key by the JDK's ECDSA. */
    private static X509Certificate sign(byte[] subject, byte[] issuer, KeyPair subjectKeys, KeyPair issuerKeys,
            Instant notBefore, Instant notAfter, boolean ca, List<String> sans) {
        try {
            List<byte[]> extensions = new ArrayList<>();
            extensions.add(extension("2.5.29.19", true, ca ? Der.sequence(Der.bool(true)) : Der.sequence()));
            extensions.add(extension("2.5.29.14", false, Der.octetString(keyId(subjectKeys.getPublic()))));
            extensions.add(extension("2.5.29.35", false, Der.sequence(Der.tagged(0, false, keyId(issuerKeys.getPublic())))));
            // digitalSignature(0), keyEncipherment(2), keyCertSign(5), cRLSign(6)
            extensions.add(extension("2.5.29.15", true, ca ? Der.namedBits(0, 5, 6) : Der.namedBits(0, 2)));
            if (!sans.isEmpty()) extensions.add(extension("2.5.29.17", false, generalNames(sans)));
            byte[] tbs = Der.sequence(
                    Der.tagged(0, true, Der.integer(BigInteger.TWO)),
                    Der.integer(new BigInteger(64, RANDOM).add(BigInteger.ONE)),
                    ECDSA_WITH_SHA256,
                    issuer,
                    Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                    subject,
                    subjectKeys.getPublic().getEncoded(),
                    Der.tagged(3, true, Der.sequence(extensions.toArray(byte[][]::new))));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(issuerKeys.getPrivate(), RANDOM);
            signer.update(tbs);
            byte[] der = Der.sequence(tbs, ECDSA_WITH_SHA256, Der.bitString(signer.sign()));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value)) : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** SubjectAltName: dNSName [2] for names, iPAddress [7] for IP literals. */
    private static byte[] generalNames(List<String> names) throws IOException {
        List<byte[]> encoded = new ArrayList<>();
        for (String n : names) {
            boolean ip = n.matches("[0-9.]+") || n.contains(":");
            encoded.add(ip ? Der.tagged(7, false, InetAddress.getByName(n).getAddress())
                    : Der.tagged(2, false, n.getBytes(StandardCharsets.US_ASCII)));
        }
        return Der.sequence(encoded.toArray(byte[][]::new));
    }

    /** A key identifier: SHA-1 of the encoded public key (any stable value will do, RFC 5280 4.2.1.2). */
    private static byte[] keyId(PublicKey key) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
    }
}
