package org.blockwatch.core.signature;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.blockwatch.core.archival.PeerCertificate;
import org.blockwatch.core.archival.TrustAnchor;

/**
 * The government TLS-interception roots seen in Kazakhstan: known by the digest of the root or
 * by name. Every certificate of a chain as sent is checked (its own digest, its subject, its
 * issuer), and the anchor it validated against when the user's trust store holds such a root.
 * Immutable and thread-safe.
 */
public final class InterceptionRoots {
    private static final String RESOURCE = "interception-roots.txt";
    private static volatile InterceptionRoots bundled;
    private final Map<String, String> digests; // "sha256:<hex>" or "sha1:<hex>" -> description
    private final List<Map<String, String>> names; // each: attribute -> value, all must match

    InterceptionRoots(Map<String, String> digests, List<Map<String, String>> names) {
        this.digests = Map.copyOf(digests);
        this.names = List.copyOf(names);
    }

    public static InterceptionRoots bundled() {
        if (bundled == null) {
            synchronized (InterceptionRoots.class) {
                if (bundled == null) bundled = read();
            }
        }
        return bundled;
    }

    /** What makes the chain a government interception, or empty. */
    public Optional<String> find(List<PeerCertificate> chain, TrustAnchor anchor) {
        for (PeerCertificate pc : chain) {
            byte[] der = pc.der();
            String known = digests.get("sha256:" + hex("SHA-256", der));
            if (known == null) known = digests.get("sha1:" + hex("SHA-1", der));
            if (known != null) return Optional.of(known);
            X509Certificate cert = parse(der);
            if (cert == null) continue;
            Optional<String> byName = byName(cert.getSubjectX500Principal().getName());
            if (byName.isEmpty()) byName = byName(cert.getIssuerX500Principal().getName());
            if (byName.isPresent()) return byName;
        }
        if (anchor != null) {
            String known = digests.get("sha256:" + anchor.sha256());
            if (known != null) return Optional.of(known);
            return byName(anchor.subject());
        }
        return Optional.empty();
    }

    private Optional<String> byName(String rfc2253) {
        Map<String, String> attributes = attributes(rfc2253);
        for (Map<String, String> rule : names) {
            boolean all = rule.entrySet().stream().allMatch(e -> e.getValue().equalsIgnoreCase(attributes.get(e.getKey())));
            if (all) return Optional.of("a certificate named " + rfc2253);
        }
        return Optional.empty();
    }

    private static Map<String, String> attributes(String rfc2253) {
        Map<String, String> out = new HashMap<>();
        try {
            for (Rdn rdn : new LdapName(rfc2253).getRdns()) {
                out.putIfAbsent(rdn.getType().toUpperCase(Locale.ROOT), String.valueOf(rdn.getValue()).strip());
            }
        } catch (InvalidNameException e) {
            // not a name we can read: no rule matches it
        }
        return out;
    }

    private static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            return null;
        }
    }

    private static String hex(String algorithm, byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InterceptionRoots read() {
        Map<String, String> digests = new HashMap<>();
        List<Map<String, String>> names = new ArrayList<>();
        try (InputStream in = InterceptionRoots.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] parts = line.split("\\s+", 3);
                switch (parts[0]) {
                    case "sha256", "sha1" -> digests.put(parts[0] + ":" + parts[1].toLowerCase(Locale.ROOT), parts.length > 2 ? parts[2] : parts[1]);
                    case "name" -> {
                        Map<String, String> rule = new HashMap<>();
                        for (String av : line.substring(4).strip().split(",")) {
                            String[] kv = av.split("=", 2);
                            rule.put(kv[0].strip().toUpperCase(Locale.ROOT), kv[1].strip());
                        }
                        names.add(rule);
                    }
                    default -> throw new IllegalStateException(RESOURCE + ": unknown line '" + line + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new InterceptionRoots(digests, names);
    }
}
