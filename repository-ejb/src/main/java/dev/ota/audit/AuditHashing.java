package dev.ota.audit;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over the OLPC canonical JSON of an entry and its predecessor's hash: an unambiguous
 * encoding (no field can bleed into the next), reproducible by anyone who verifies an export.
 */
final class AuditHashing {
    /** The predecessor of the first entry. */
    static final String GENESIS = "0".repeat(64);

    private AuditHashing() {
    }

    static String hash(AuditRecord r, String previousHash) {
        JsonValue content = JsonValue.obj(
                "seq", JsonValue.of(r.seq()),
                "recorded_at", JsonValue.of(r.recordedAt().toString()),
                "actor", JsonValue.of(r.actor()),
                "action", JsonValue.of(r.action()),
                "subject", JsonValue.of(r.subject()),
                "outcome", JsonValue.of(r.outcome().name()),
                "detail", JsonValue.of(r.detail()),
                "previous_hash", JsonValue.of(previousHash));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CanonicalJson.encode(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }
}
