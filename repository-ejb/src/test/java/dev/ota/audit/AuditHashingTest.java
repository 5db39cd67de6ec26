package dev.ota.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditHashingTest {
    private static final AuditRecord ENTRY = new AuditRecord(1, Instant.parse("2026-01-02T03:04:05.678Z"), "admin",
            "token.issue", "ci", AuditRecord.Outcome.SUCCESS, "token id 1");

    @Test
    void hashIsReproducibleFromTheStoredFields() {
        assertEquals(AuditHashing.hash(ENTRY, AuditHashing.GENESIS), AuditHashing.hash(ENTRY, AuditHashing.GENESIS));
        assertEquals(64, AuditHashing.hash(ENTRY, AuditHashing.GENESIS).length());
    }

    @Test
    void changingAnyFieldOrThePredecessorChangesTheHash() {
        String original = AuditHashing.hash(ENTRY, AuditHashing.GENESIS);
        AuditRecord otherActor = new AuditRecord(1, ENTRY.recordedAt(), "mallory", ENTRY.action(), ENTRY.subject(),
                ENTRY.outcome(), ENTRY.detail());
        AuditRecord otherOutcome = new AuditRecord(1, ENTRY.recordedAt(), ENTRY.actor(), ENTRY.action(),
                ENTRY.subject(), AuditRecord.Outcome.DENIED, ENTRY.detail());

        assertNotEquals(original, AuditHashing.hash(otherActor, AuditHashing.GENESIS));
        assertNotEquals(original, AuditHashing.hash(otherOutcome, AuditHashing.GENESIS));
        assertNotEquals(original, AuditHashing.hash(ENTRY, "1".repeat(64)));
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        // "ab" + "c" and "a" + "bc" would collide under plain concatenation; canonical JSON keeps them apart.
        AuditRecord a = new AuditRecord(1, ENTRY.recordedAt(), "ab", "c", "s", ENTRY.outcome(), "");
        AuditRecord b = new AuditRecord(1, ENTRY.recordedAt(), "a", "bc", "s", ENTRY.outcome(), "");

        assertNotEquals(AuditHashing.hash(a, AuditHashing.GENESIS), AuditHashing.hash(b, AuditHashing.GENESIS));
    }
}
