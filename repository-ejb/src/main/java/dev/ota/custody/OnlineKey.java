package dev.ota.custody;

import java.time.Instant;

/**
 * One online key as the keys page and {@code GET /keys} list it: which repository ({@code image} or
 * {@code director}) and role, its TUF key id, type and scheme, when it was created, who holds it, and whether it
 * is in service ({@code ACTIVE}), was replaced ({@code RETIRED}) or revoked as compromised ({@code REVOKED},
 * with the reason). Retired and revoked keys say when, by whom, and which key replaced them. {@code custody}: where a
 * key in service is kept, {@code pkcs12} (the keystore file) or {@code pkcs11 token <label>}. Never key material.
 */
public record OnlineKey(String repository, String role, String keyId, String keyType, String scheme, Instant created,
                        String holder, String status, Instant retiredAt, String retiredBy, String reason,
                        String replacedBy, String custody) {
    public static final String ACTIVE = "ACTIVE";
    public static final String RETIRED = "RETIRED";
    public static final String REVOKED = "REVOKED";
}
