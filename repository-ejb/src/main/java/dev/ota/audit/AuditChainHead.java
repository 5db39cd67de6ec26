package dev.ota.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The chain's tip. Every append locks this row (pessimistic write) before reading it, so two
 * concurrent transactions cannot both extend the same entry and fork the chain.
 */
@Entity
@Table(name = "audit_chain_head")
public class AuditChainHead {
    static final int SINGLETON_ID = 1;

    @Id
    private int id;

    @Column(name = "last_seq", nullable = false)
    private long lastSeq;

    @Column(name = "last_hash", nullable = false, length = 64)
    private String lastHash;

    protected AuditChainHead() {
    }

    long lastSeq() {
        return lastSeq;
    }

    String lastHash() {
        return lastHash;
    }

    void advance(long seq, String hash) {
        this.lastSeq = seq;
        this.lastHash = hash;
    }
}
