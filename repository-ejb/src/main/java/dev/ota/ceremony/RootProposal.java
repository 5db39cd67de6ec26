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
 * A proposed root version ({@code root_proposal}): the canonical bytes every signature is over, never changed, and
 * the holder of each key. Only its state moves: PENDING to PUBLISHED or SUPERSEDED.
 */
@Entity
@Table(name = "root_proposal")
@NamedQuery(name = RootProposal.ALL, query = "SELECT p FROM RootProposal p ORDER BY p.createdAt DESC, p.id DESC")
@NamedQuery(name = RootProposal.IN_STATE, query = "SELECT p FROM RootProposal p WHERE p.state = :state ORDER BY p.createdAt DESC")
class RootProposal {
    static final String ALL = "RootProposal.all";
    static final String IN_STATE = "RootProposal.inState";

    enum State { PENDING, PUBLISHED, SUPERSEDED }

    @Id
    @Column(length = 64, updatable = false)
    private String id;

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

    protected RootProposal() {
    }

    RootProposal(String id, int baseVersion, byte[] signedBytes, String holdersJson, String proposedBy, Instant createdAt,
                 Instant openUntil) {
        this.id = id;
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
