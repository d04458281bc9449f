package org.blockwatch.core.archival;

/** A certificate exactly as the server sent it, DER in base64. */
public record PeerCertificate(String data, String format) {
    public static PeerCertificate of(byte[] der) {
        return new PeerCertificate(java.util.Base64.getEncoder().encodeToString(der), "base64");
    }

    public byte[] der() {
        return java.util.Base64.getDecoder().decode(data);
    }
}
