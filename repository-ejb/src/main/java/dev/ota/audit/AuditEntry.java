package dev.ota.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/** One audit record; insert-only (no setters, every column {@code updatable = false}). */
@Entity
@Table(name = "audit_entry")
@NamedQuery(name = AuditEntry.IN_ORDER_RANGE,
        query = "SELECT e FROM AuditEntry e WHERE e.seq > :after AND e.seq <= :upTo ORDER BY e.seq")
public class AuditEntry {
    static final String IN_ORDER_RANGE = "AuditEntry.inOrderRange";

    @Id
    @Column(updatable = false)
    private long seq;

    @Column(name = "recorded_at", nullable = false, updatable = false)
    private Instant recordedAt;

    @Column(nullable = false, updatable = false, length = 100)
    private String actor;

    @Column(nullable = false, updatable = false, length = 100)
    private String action;

    @Column(nullable = false, updatable = false, length = 1024)
    private String subject;

    @Column(nullable = false, updatable = false, length = 20)
    private String outcome;

    @Column(nullable = false, updatable = false, length = 2000)
    private String detail;

    @Column(name = "previous_hash", nullable = false, updatable = false, length = 64)
    private String previousHash;

    @Column(name = "entry_hash", nullable = false, updatable = false, length = 64)
    private String entryHash;

    protected AuditEntry() {
    }

    AuditEntry(AuditRecord r, String previousHash) {
        this.seq = r.seq();
        this.recordedAt = r.recordedAt();
        this.actor = r.actor();
        this.action = r.action();
        this.subject = r.subject();
        this.outcome = r.outcome().name();
        this.detail = r.detail();
        this.previousHash = previousHash;
        this.entryHash = AuditHashing.hash(r, previousHash);
    }

    AuditRecord toRecord() {
        return new AuditRecord(seq, recordedAt, actor, action, subject, AuditRecord.Outcome.valueOf(outcome), detail);
    }

    String previousHash() {
        return previousHash;
    }

    String entryHash() {
        return entryHash;
    }
}
