package dev.ota.audit;

import java.util.Optional;

/**
 * Walks the chain one entry at a time, oldest first, holding only the previous entry's hash: memory
 * stays the same whatever the length of the log. Not thread-safe; one per verification.
 */
final class ChainVerifier {
    private String previous = AuditHashing.GENESIS;
    private long expectedSeq = 1;
    private long checked;

    /** Checks the next stored entry; the first broken link, if this entry is one. */
    Optional<ChainVerification> next(AuditRecord r, String storedPrevious, String storedHash) {
        checked++;
        if (r.seq() != expectedSeq) {
            // A deleted entry, or one inserted out of sequence.
            return Optional.of(ChainVerification.broken(checked, expectedSeq, "sequence number",
                    String.valueOf(expectedSeq), String.valueOf(r.seq())));
        }
        if (!storedPrevious.equals(previous)) {
            return Optional.of(ChainVerification.broken(checked, r.seq(), "previous hash", previous, storedPrevious));
        }
        String recomputed = AuditHashing.hash(r, storedPrevious);
        if (!recomputed.equals(storedHash)) {
            // The row's content was changed after it was written (or its hash was).
            return Optional.of(ChainVerification.broken(checked, r.seq(), "entry hash over the stored content",
                    recomputed, storedHash));
        }
        previous = storedHash;
        expectedSeq++;
        return Optional.empty();
    }

    /**
     * After the last entry up to the head: the head must name it, else entries at the end were
     * deleted (which leaves every remaining link intact).
     */
    ChainVerification end(long headSeq, String headHash) {
        long last = expectedSeq - 1;
        if (last != headSeq) {
            return ChainVerification.broken(checked, last + 1, "entry missing before the chain's head",
                    "entries up to " + headSeq, last == 0 ? "none" : "entries up to " + last);
        }
        if (!headHash.equals(previous)) {
            return ChainVerification.broken(checked, headSeq, "the chain head's hash", previous, headHash);
        }
        return ChainVerification.intact(checked);
    }
}
