package dev.ota.audit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Appends to and reads the audit chain. A successful change is recorded inside the caller's
 * transaction ({@link #record}), so the change and its record commit or roll back together; a
 * refused or failed attempt is recorded in a transaction of its own ({@link #recordAttempt}),
 * because the attempt's own transaction is about to roll back.
 */
@Stateless
public class AuditLog {
    private static final int MAX_SUBJECT = 1024;
    private static final int MAX_DETAIL = 2000;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @jakarta.inject.Inject
    private java.time.Clock clock;

    /** Records a change in the caller's transaction; fails if there is none. */
    @PermitAll
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public AuditRecord record(String actor, String action, String subject, AuditRecord.Outcome outcome, String detail) {
        return append(actor, action, subject, outcome, detail);
    }

    /** Records a refused or failed attempt; commits even though the attempt rolls back. */
    @PermitAll
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public AuditRecord recordAttempt(String actor, String action, String subject, AuditRecord.Outcome outcome,
                                     String detail) {
        return append(actor, action, subject, outcome, detail);
    }

    /** The newest entries first. */
    @RolesAllowed({"auditor", "administrator", "security-officer"})
    public List<AuditRecord> newest(int limit) {
        return em.createNamedQuery(AuditEntry.NEWEST_FIRST, AuditEntry.class)
                .setMaxResults(Math.max(1, Math.min(limit, 1000)))
                .getResultList().stream().map(AuditEntry::toRecord).toList();
    }

    /**
     * Recomputes the whole chain. Empty if intact; otherwise the sequence number of the first entry
     * whose stored hashes do not match its content or its predecessor.
     */
    @RolesAllowed({"auditor", "administrator", "security-officer"})
    public Optional<Long> firstBrokenEntry() {
        String previous = AuditHashing.GENESIS;
        long expectedSeq = 1;
        for (AuditEntry e : em.createNamedQuery(AuditEntry.IN_ORDER, AuditEntry.class).getResultList()) {
            AuditRecord r = e.toRecord();
            if (r.seq() != expectedSeq || !e.previousHash().equals(previous)
                    || !AuditHashing.hash(r, previous).equals(e.entryHash())) {
                return Optional.of(r.seq());
            }
            previous = e.entryHash();
            expectedSeq++;
        }
        AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.SINGLETON_ID);
        // A deleted tail leaves the head pointing past the last entry.
        if (head.lastSeq() != expectedSeq - 1 || !head.lastHash().equals(previous)) {
            return Optional.of(expectedSeq);
        }
        return Optional.empty();
    }

    private AuditRecord append(String actor, String action, String subject, AuditRecord.Outcome outcome, String detail) {
        AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.SINGLETON_ID, LockModeType.PESSIMISTIC_WRITE);
        String origin = AuditOrigin.current();
        String full = origin == null ? detail : (detail == null || detail.isEmpty() ? "" : detail + "; ") + "via " + origin;
        // Millisecond precision: what both databases store exactly, so the hash can be recomputed.
        AuditRecord r = new AuditRecord(head.lastSeq() + 1, clock.instant().truncatedTo(ChronoUnit.MILLIS),
                clip(actor, 100), clip(action, 100), clip(subject, MAX_SUBJECT), outcome, clip(full, MAX_DETAIL));
        AuditEntry entry = new AuditEntry(r, head.lastHash());
        em.persist(entry);
        head.advance(r.seq(), entry.entryHash());
        return r;
    }

    private static String clip(String s, int max) {
        String v = s == null ? "" : s;
        if (v.length() <= max) {
            return v;
        }
        // Never between the two halves of a surrogate pair: a lone surrogate cannot be stored or
        // hashed, and the entry was lost (a Basic user name ending in an emoji).
        int end = Character.isHighSurrogate(v.charAt(max - 2)) ? max - 2 : max - 1;
        return v.substring(0, end) + "…";
    }
}
