package org.blockwatch.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.blockwatch.core.archival.TrustAnchor;

/**
 * The roots a chain may end in: the JDK's trust store plus any extra roots (for labs). Building
 * the PKIX trust manager is costly, so it is built once and shared; it keeps no state between
 * validations. Immutable and thread-safe.
 */
public final class TrustRoots {
    private final List<X509Certificate> anchors;
    private final X509TrustManager pkix;

    private TrustRoots(List<X509Certificate> anchors) throws GeneralSecurityException {
        this.anchors = List.copyOf(anchors);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        int i = 0;
        for (X509Certificate anchor : anchors) store.setCertificateEntry("anchor-" + i++, anchor);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        this.pkix = onlyX509(factory.getTrustManagers());
    }

    /** The JDK's default roots and {@code extra}. */
    public static TrustRoots jdkPlus(Collection<X509Certificate> extra) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            List<X509Certificate> all = new ArrayList<>(List.of(onlyX509(factory.getTrustManagers()).getAcceptedIssuers()));
            all.addAll(extra);
            return new TrustRoots(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's trust store cannot be read", e);
        }
    }

    /** Reads every certificate of a PEM (or DER) file. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) certs.add((X509Certificate) c);
            if (certs.isEmpty()) throw new IOException(file + ": no certificate found");
            return certs;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (CertificateException e) {
            throw new IOException(file + ": not a PEM or DER certificate (" + e.getMessage() + ")", e);
        }
    }

    X509TrustManager pkix() {
        return pkix;
    }

    /** Plain PKIX validation against these roots, for ordinary clients (the control client). */
    public X509TrustManager standardTrustManager() {
        return pkix;
    }

    /**
     * The root a valid chain ended in: the chain's last certificate when it is a root here,
     * otherwise the root that issued it.
     */
    TrustAnchor anchorOf(X509Certificate[] chain) {
        X509Certificate last = chain[chain.length - 1];
        for (X509Certificate anchor : anchors) {
            if (anchor.equals(last)) return describe(anchor);
        }
        for (X509Certificate anchor : anchors) {
            if (!anchor.getSubjectX500Principal().equals(last.getIssuerX500Principal())) continue;
            try {
                last.verify(anchor.getPublicKey());
                return describe(anchor);
            } catch (GeneralSecurityException notThisOne) {
                // another root with the same name
            }
        }
        return null;
    }

    static TrustAnchor describe(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return new TrustAnchor(cert.getSubjectX500Principal().getName(), HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509TrustManager onlyX509(TrustManager[] managers) {
        for (TrustManager m : managers) {
            if (m instanceof X509TrustManager x) return x;
        }
        throw new IllegalStateException("no X.509 trust manager available");
    }
}
