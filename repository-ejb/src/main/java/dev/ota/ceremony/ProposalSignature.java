package dev.ota.ceremony;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One detached signature of a proposal ({@code root_proposal_signature}), checked before it was stored; append-only. */
@Entity
@Table(name = "root_proposal_signature")
@IdClass(ProposalSignature.Key.class)
@NamedQuery(name = ProposalSignature.OF_PROPOSAL,
        query = "SELECT s FROM ProposalSignature s WHERE s.proposalId = :proposal ORDER BY s.signedAt, s.keyId")
class ProposalSignature {
    static final String OF_PROPOSAL = "ProposalSignature.ofProposal";

    @Id
    @Column(name = "proposal_id", length = 64, updatable = false)
    private String proposalId;

    @Id
    @Column(name = "key_id", length = 64, updatable = false)
    private String keyId;

    @Column(nullable = false, updatable = false, length = 1100)
    private String sig;

    @Column(name = "signed_by", nullable = false, updatable = false, length = 100)
    private String signedBy;

    @Column(name = "signed_at", nullable = false, updatable = false)
    private Instant signedAt;

    protected ProposalSignature() {
    }

    ProposalSignature(String proposalId, String keyId, String sig, String signedBy, Instant signedAt) {
        this.proposalId = proposalId;
        this.keyId = keyId;
        this.sig = sig;
        this.signedBy = signedBy;
        this.signedAt = signedAt;
    }

    String keyId() { return keyId; }
    String sig() { return sig; }
    String signedBy() { return signedBy; }
    Instant signedAt() { return signedAt; }

    /** The composite key (proposal, key id). */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String proposalId;
        private String keyId;

        public Key() {
        }

        public Key(String proposalId, String keyId) {
            this.proposalId = proposalId;
            this.keyId = keyId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.proposalId, proposalId) && Objects.equals(k.keyId, keyId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(proposalId, keyId);
        }
    }
}
