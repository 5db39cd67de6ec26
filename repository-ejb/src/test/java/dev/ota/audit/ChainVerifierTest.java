package dev.ota.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
    /** An entry as stored: its content and the two hashes next to it. */
    private record Stored(AuditRecord record, String previousHash, String entryHash) {
    }

    private static List<Stored> chain(int n) {
        List<Stored> out = new ArrayList<>();
        String previous = AuditHashing.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditRecord r = new AuditRecord(i, Instant.parse("2026-12-06T04:00:00Z").plusSeconds(i), "admin",
                    "release.upload", "firmware/" + i + ".bin", AuditRecord.Outcome.SUCCESS, "");
            String hash = AuditHashing.hash(r, previous);
            out.add(new Stored(r, previous, hash));
            previous = hash;
        }
        return out;
    }

    private static ChainVerification verify(List<Stored> entries, long headSeq, String headHash) {
        ChainVerifier v = new ChainVerifier();
        for (Stored s : entries) {
            Optional<ChainVerification> broken = v.next(s.record(), s.previousHash(), s.entryHash());
            if (broken.isPresent()) {
                return broken.get();
            }
        }
        return v.end(headSeq, headHash);
    }

    private static ChainVerification verify(List<Stored> entries) {
        Stored last = entries.get(entries.size() - 1);
        return verify(entries, last.record().seq(), last.entryHash());
    }

    @Test
    void anUntouchedChainIsIntactWithEveryEntryCounted() {
        ChainVerification result = verify(chain(5));

        assertTrue(result.intact());
        assertEquals(5, result.checked());
        assertEquals("intact: 5 entries checked", result.summary());
    }

    @Test
    void anEmptyLogUnderAFreshHeadIsIntact() {
        assertTrue(verify(List.of(), 0, AuditHashing.GENESIS).intact());
    }

    @Test
    void anEditedDetailIsNamedWithTheRecomputedAndTheStoredHash() {
        List<Stored> entries = chain(5);
        Stored third = entries.get(2);
        AuditRecord r = third.record();
        AuditRecord edited = new AuditRecord(r.seq(), r.recordedAt(), r.actor(), r.action(), r.subject(), r.outcome(),
                "rewritten");
        entries.set(2, new Stored(edited, third.previousHash(), third.entryHash()));

        ChainVerification result = verify(entries);

        assertFalse(result.intact());
        assertEquals(3L, result.brokenSeq());
        assertEquals("entry hash over the stored content", result.problem());
        assertEquals(AuditHashing.hash(edited, third.previousHash()), result.expected());
        assertEquals(third.entryHash(), result.found());
        assertEquals(3, result.checked());
    }

    @Test
    void aRowWhoseHashWasRecomputedAfterEditingBreaksTheNextLink() {
        List<Stored> entries = chain(4);
        Stored second = entries.get(1);
        AuditRecord r = second.record();
        AuditRecord edited = new AuditRecord(r.seq(), r.recordedAt(), "someone-else", r.action(), r.subject(),
                r.outcome(), r.detail());
        entries.set(1, new Stored(edited, second.previousHash(), AuditHashing.hash(edited, second.previousHash())));

        ChainVerification result = verify(entries);

        assertEquals(3L, result.brokenSeq());
        assertEquals("previous hash", result.problem());
        assertEquals(AuditHashing.hash(edited, second.previousHash()), result.expected());
        assertEquals(second.entryHash(), result.found());
    }

    @Test
    void aDeletedEntryInTheMiddleIsNamedByTheMissingSequenceNumber() {
        List<Stored> entries = chain(5);
        entries.remove(1);

        ChainVerification result = verify(entries);

        assertEquals(2L, result.brokenSeq());
        assertEquals("sequence number", result.problem());
        assertEquals("2", result.expected());
        assertEquals("3", result.found());
    }

    @Test
    void deletedEntriesAtTheEndAreFoundThroughTheHead() {
        List<Stored> entries = chain(5);
        Stored last = entries.get(4);
        List<Stored> truncated = entries.subList(0, 3);

        ChainVerification result = verify(truncated, last.record().seq(), last.entryHash());

        assertFalse(result.intact());
        assertEquals(4L, result.brokenSeq());
        assertEquals("entries up to 5", result.expected());
        assertEquals("entries up to 3", result.found());
    }

    @Test
    void aHeadWhoseHashDisagreesWithTheLastEntryIsNamed() {
        List<Stored> entries = chain(3);

        ChainVerification result = verify(entries, 3, "f".repeat(64));

        assertEquals(3L, result.brokenSeq());
        assertEquals("the chain head's hash", result.problem());
    }
}
