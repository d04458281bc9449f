package org.blockwatch.helper.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's certificate, for operators who run no TLS proxy: either a PEM certificate chain
 * ({@code certificate}) and its PEM private key in PKCS#8 ({@code key}, "BEGIN PRIVATE KEY"; RSA,
 * EC or Ed25519), or a PKCS#12 file ({@code .p12}/{@code .pfx}) holding both, then {@code key}
 * is optional and its first line is the file's password.
 */
public record Tls(Path certificate, Path key) {
    private static final Pattern PEM_KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    static final char[] PASSWORD = "blockwatch".toCharArray();

    public boolean pkcs12() {
        String name = certificate.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    /**
     * The key and chain as a key store whose password is {@link #PASSWORD}; an error names the file
     * and what is wrong with it.
     */
    public KeyStore keyStore() throws IOException {
        try {
            return pkcs12() ? fromPkcs12() : fromPem();
        } catch (GeneralSecurityException e) {
            throw new IOException(certificate + (key == null ? "" : ", " + key) + ": " + e.getMessage(), e);
        }
    }

    private KeyStore fromPkcs12() throws IOException, GeneralSecurityException {
        char[] password = key == null ? new char[0] : Files.readAllLines(key, StandardCharsets.UTF_8).stream().findFirst().orElse("").toCharArray();
        KeyStore given = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificate)) {
            given.load(in, password);
        }
        for (String alias : java.util.Collections.list(given.aliases())) {
            if (given.isKeyEntry(alias)) {
                return store((PrivateKey) given.getKey(alias, password), given.getCertificateChain(alias));
            }
        }
        throw new GeneralSecurityException("no private key in the PKCS#12 file");
    }

    private KeyStore fromPem() throws IOException, GeneralSecurityException {
        if (key == null) throw new GeneralSecurityException("a PEM certificate needs its private key (--tls-key)");
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certificate)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) throw new GeneralSecurityException("no PEM certificate in " + certificate);
        String text = Files.readString(key, StandardCharsets.US_ASCII);
        Matcher m = PEM_KEY.matcher(text);
        if (!m.find()) {
            throw new GeneralSecurityException(key + ": no 'BEGIN PRIVATE KEY' block (PKCS#8); convert with 'openssl pkcs8 -topk8 -nocrypt -in KEY'");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        String algorithm = chain.getFirst().getPublicKey().getAlgorithm();
        PrivateKey privateKey = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        return store(privateKey, chain.toArray(Certificate[]::new));
    }

    private static KeyStore store(PrivateKey privateKey, Certificate[] chain) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", privateKey, PASSWORD, chain);
        return store;
    }
}
