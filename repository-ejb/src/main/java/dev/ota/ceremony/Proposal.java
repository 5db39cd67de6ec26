package dev.ota.ceremony;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A proposed version of an offline role, root or top-level targets (table {@code root_proposal}, named when only root
 * had ceremonies): the canonical bytes every signature is over, never changed, and for root the holder of each key.
 * A targets proposal names the root whose targets keys sign it and, when it goes with a root proposal that hands
 * targets to officers, that proposal. Only its state moves: PENDING to PUBLISHED or SUPERSEDED.
 */
@Entity
@Table(name = "root_proposal")
@NamedQuery(name = Proposal.ALL, query = "SELECT p FROM Proposal p WHERE p.role = :role ORDER BY p.createdAt DESC, p.id DESC")
@NamedQuery(name = Proposal.IN_STATE, query = "SELECT p FROM Proposal p WHERE p.role = :role AND p.state = :state"
        + " ORDER BY p.createdAt DESC")
@NamedQuery(name = Proposal.LINKED, query = "SELECT p FROM Proposal p WHERE p.rootProposalId = :rootProposal")
class Proposal {
    static final String ALL = "Proposal.all";
    static final String IN_STATE = "Proposal.inState";
    static final String LINKED = "Proposal.linked";
    static final String ROOT = "root";
    static final String TARGETS = "targets";

    enum State { PENDING, PUBLISHED, SUPERSEDED }

    @Id
    @Column(length = 64, updatable = false)
    private String id;

    @Column(nullable = false, updatable = false, length = 16)
    private String role;

    /** Targets only: the root version whose targets role must sign it. */
    @Column(name = "root_version", updatable = false)
    private Integer rootVersion;

    /** Targets only: the root proposal it is published with, when that one hands targets to officers. */
    @Column(name = "root_proposal_id", updatable = false, length = 64)
    private String rootProposalId;

    @Column(updatable = false, length = 500)
    private String reason;

    @Column(name = "base_version", nullable = false, updatable = false)
    private int baseVersion;

    @Column(nullable = false, updatable = false)
    private int version;

    @Lob
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "signed_bytes", nullable = false, updatable = false)
    private byte[] signedBytes;

    @Column(name = "holders_json", nullable = false, updatable = false, length = 16000)
    private String holdersJson;

    @Column(name = "proposed_by", nullable = false, updatable = false, length = 100)
    private String proposedBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "open_until", nullable = false, updatable = false)
    private Instant openUntil;

    @Column(nullable = false, length = 20)
    private String state;

    @Column(name = "closed_by", length = 100)
    private String closedBy;

    @Column(name = "closed_at")
    private Instant closedAt;

    protected Proposal() {
    }

    /** A root proposal: root {@code baseVersion} + 1. */
    Proposal(String id, int baseVersion, byte[] signedBytes, String holdersJson, String proposedBy, Instant createdAt,
             Instant openUntil) {
        this(id, ROOT, baseVersion, signedBytes, holdersJson, proposedBy, createdAt, openUntil);
    }

    /** A targets proposal: targets {@code baseVersion} + 1, signed by root {@code rootVersion}'s targets keys. */
    static Proposal targets(String id, int baseVersion, int rootVersion, String rootProposalId, String reason,
                            byte[] signedBytes, String proposedBy, Instant createdAt, Instant openUntil) {
        Proposal p = new Proposal(id, TARGETS, baseVersion, signedBytes, "{}", proposedBy, createdAt, openUntil);
        p.rootVersion = rootVersion;
        p.rootProposalId = rootProposalId;
        p.reason = reason;
        return p;
    }

    private Proposal(String id, String role, int baseVersion, byte[] signedBytes, String holdersJson, String proposedBy,
                     Instant createdAt, Instant openUntil) {
        this.id = id;
        this.role = role;
        this.baseVersion = baseVersion;
        this.version = baseVersion + 1;
        this.signedBytes = signedBytes.clone();
        this.holdersJson = holdersJson;
        this.proposedBy = proposedBy;
        this.createdAt = createdAt;
        this.openUntil = openUntil;
        this.state = State.PENDING.name();
    }

    void close(State to, String by, Instant at) {
        state = to.name();
        closedBy = by;
        closedAt = at;
    }

    String id() { return id; }
    String role() { return role; }
    Integer rootVersion() { return rootVersion; }
    String rootProposalId() { return rootProposalId; }
    String reason() { return reason; }
    int baseVersion() { return baseVersion; }
    int version() { return version; }
    byte[] signedBytes() { return signedBytes.clone(); }
    String holdersJson() { return holdersJson; }
    String proposedBy() { return proposedBy; }
    Instant createdAt() { return createdAt; }
    Instant openUntil() { return openUntil; }
    State state() { return State.valueOf(state); }
    String closedBy() { return closedBy; }
    Instant closedAt() { return closedAt; }
}
