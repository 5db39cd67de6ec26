package dev.ota.audit;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
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
    private static final int MAX_PAGE = 1000;
    private static final int VERIFY_BATCH = 1000;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @jakarta.inject.Inject
    private java.time.Clock clock;

    @Resource
    private SessionContext context;

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

    /**
     * Opens a read of the log for the caller: records who read or exported which entries
     * ({@code purpose} is {@code audit.search} or {@code audit.export}, in its own transaction, so
     * the record stays even if the reading fails later) and returns the sequence number to page from
     * ({@link #entries}): entries older than this record, so a long export is one consistent cut.
     */
    @RolesAllowed({"auditor", "administrator", "security-officer"})
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long openRead(String purpose, AuditFilter filter) {
        // The purpose becomes the entry's action: only the two reads, never a name a caller makes up.
        if (!purpose.equals("audit.search") && !purpose.equals("audit.export")) {
            throw new IllegalArgumentException("not a read of the audit log: " + purpose);
        }
        return append(context.getCallerPrincipal().getName(), purpose, "audit log", AuditRecord.Outcome.SUCCESS,
                filter.describe()).seq();
    }

    /**
     * Up to {@code limit} entries matching {@code filter} with a sequence number below
     * {@code olderThan}, newest first: keyset paging (the next page starts below the last entry's
     * number), so each page is one indexed range read however deep into the log it is.
     */
    @RolesAllowed({"auditor", "administrator", "security-officer"})
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<AuditRecord> entries(AuditFilter filter, long olderThan, int limit) {
        StringBuilder jpql = new StringBuilder("SELECT e FROM AuditEntry e WHERE e.seq < :olderThan");
        if (filter.actor() != null) {
            jpql.append(" AND e.actor = :actor");
        }
        if (filter.action() != null) {
            jpql.append(" AND e.action = :action");
        }
        if (filter.subject() != null) {
            jpql.append(" AND e.subject = :subject");
        }
        if (filter.from() != null) {
            jpql.append(" AND e.recordedAt >= :from");
        }
        if (filter.to() != null) {
            jpql.append(" AND e.recordedAt < :to");
        }
        TypedQuery<AuditEntry> q = em.createQuery(jpql.append(" ORDER BY e.seq DESC").toString(), AuditEntry.class)
                .setParameter("olderThan", olderThan)
                .setMaxResults(Math.max(1, Math.min(limit, MAX_PAGE)));
        if (filter.actor() != null) {
            q.setParameter("actor", filter.actor());
        }
        if (filter.action() != null) {
            q.setParameter("action", filter.action());
        }
        if (filter.subject() != null) {
            q.setParameter("subject", filter.subject());
        }
        if (filter.from() != null) {
            q.setParameter("from", filter.from());
        }
        if (filter.to() != null) {
            q.setParameter("to", filter.to());
        }
        return q.getResultList().stream().map(AuditEntry::toRecord).toList();
    }

    /**
     * Recomputes the chain up to its current head, oldest first, a batch at a time outside any
     * transaction: memory stays bounded (each batch's entities are detached and dropped) and no
     * transaction timeout cuts a walk over millions of entries short. Entries appended meanwhile lie
     * beyond the head read first and are left for the next verification. The verification and its
     * result are recorded.
     */
    @RolesAllowed({"auditor", "administrator", "security-officer"})
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public ChainVerification verifyChain() {
        AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.SINGLETON_ID);
        long headSeq = head.lastSeq();
        String headHash = head.lastHash();
        ChainVerifier verifier = new ChainVerifier();
        ChainVerification result = null;
        long after = 0;
        while (result == null) {
            List<AuditEntry> batch = em.createNamedQuery(AuditEntry.IN_ORDER_RANGE, AuditEntry.class)
                    .setParameter("after", after).setParameter("upTo", headSeq)
                    .setMaxResults(VERIFY_BATCH).getResultList();
            for (AuditEntry e : batch) {
                Optional<ChainVerification> broken = verifier.next(e.toRecord(), e.previousHash(), e.entryHash());
                if (broken.isPresent()) {
                    result = broken.get();
                    break;
                }
                after = e.toRecord().seq();
            }
            if (result == null && batch.size() < VERIFY_BATCH) {
                result = verifier.end(headSeq, headHash);
            }
        }
        context.getBusinessObject(AuditLog.class).recordAttempt(context.getCallerPrincipal().getName(),
                "audit.verify", "audit log", AuditRecord.Outcome.SUCCESS, result.summary());
        return result;
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
