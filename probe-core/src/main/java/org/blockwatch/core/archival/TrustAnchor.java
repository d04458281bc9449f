package org.blockwatch.core.archival;

/** The root a validated chain ended in: its subject and the SHA-256 of its DER. */
public record TrustAnchor(String subject, String sha256) {}
