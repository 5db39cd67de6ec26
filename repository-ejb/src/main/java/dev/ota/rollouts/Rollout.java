package dev.ota.rollouts;

import dev.ota.rollout.RolloutDefinition;
import dev.ota.rollout.RolloutMachine.RolloutState;
import dev.ota.rollout.RolloutMachine.RolloutStatus;
import dev.ota.rollout.RolloutMachine.WaveState;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A rollout ({@code rollout}): the definition as created, in canonical JSON with its hash, and the state fields of
 * {@link RolloutState}. The state is never changed through this entity: only {@link #COMPARE_AND_SET} writes it, so
 * a decision taken on a stale read changes nothing.
 */
@Entity
@Table(name = "rollout")
@NamedQuery(name = Rollout.ALL, query = "SELECT r FROM Rollout r ORDER BY r.createdAt DESC, r.id DESC")
@NamedQuery(name = Rollout.IDS_IN_STATE, query = "SELECT r.id FROM Rollout r WHERE r.state = :state ORDER BY r.id")
@NamedQuery(name = Rollout.COMPARE_AND_SET, query = "UPDATE Rollout r SET r.state = :state, r.revision = :next, "
        + "r.approvedHash = :approvedHash, r.approvedBy = :approvedBy, r.acceptedFailures = :acceptedFailures, "
        + "r.acceptedAlarms = :acceptedAlarms, r.updatedBy = :by, r.updatedAt = :at "
        + "WHERE r.id = :id AND r.revision = :revision")
class Rollout {
    static final String ALL = "Rollout.all";
    static final String COMPARE_AND_SET = "Rollout.compareAndSet";
    static final String IDS_IN_STATE = "Rollout.idsInState";

    @Id
    @Column(length = 64, updatable = false)
    private String id;

    @Column(nullable = false, updatable = false, length = 100)
    private String name;

    @Column(name = "target_path", nullable = false, updatable = false, length = 1024)
    private String targetPath;

    @Column(name = "definition_json", nullable = false, updatable = false, length = 16000)
    private String definitionJson;

    @Column(name = "definition_hash", nullable = false, updatable = false, length = 80)
    private String definitionHash;

    @Column(name = "created_by", nullable = false, updatable = false, length = 100)
    private String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(nullable = false, length = 20)
    private String state;

    @Column(nullable = false)
    private long revision;

    @Column(name = "approved_hash", length = 80)
    private String approvedHash;

    @Column(name = "approved_by", length = 100)
    private String approvedBy;

    @Column(name = "accepted_failures", nullable = false)
    private int acceptedFailures;

    @Column(name = "accepted_alarms", nullable = false)
    private int acceptedAlarms;

    @Column(name = "updated_by", nullable = false, length = 100)
    private String updatedBy;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Rollout() {
    }

    Rollout(String id, RolloutDefinition definition, RolloutState draft, String by, Instant at) {
        this.id = id;
        this.name = definition.name();
        this.targetPath = definition.targetPath();
        this.definitionJson = CanonicalJson.encodeToString(definition.toJson());
        this.definitionHash = definition.hash();
        this.createdBy = by;
        this.createdAt = at;
        this.state = draft.status().name();
        this.revision = draft.revision();
        // Set only for a rollback campaign, created running on its parent's approval; a person's rollout starts
        // as a DRAFT without one.
        this.approvedHash = draft.approvedHash();
        this.approvedBy = draft.approvedBy();
        this.updatedBy = by;
        this.updatedAt = at;
    }

    String id() {
        return id;
    }

    String createdBy() {
        return createdBy;
    }

    Instant createdAt() {
        return createdAt;
    }

    String definitionHash() {
        return definitionHash;
    }

    String updatedBy() {
        return updatedBy;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    /**
     * The definition read back from its stored JSON. A row whose JSON no longer hashes to the stored hash was
     * changed behind the service's back: refused, since approval bound the hash and not the bytes.
     */
    RolloutDefinition definition() {
        RolloutDefinition d = RolloutDefinition.fromJson(Json.parse(definitionJson.getBytes(StandardCharsets.UTF_8),
                "rollout " + id));
        if (!d.hash().equals(definitionHash)) {
            throw new IllegalStateException("rollout " + id + ": the stored definition does not match its hash");
        }
        return d;
    }

    /** The state as the decision core sees it, with the waves read from their rows. */
    RolloutState state(List<WaveState> waves) {
        return new RolloutState(RolloutStatus.valueOf(state), revision, approvedHash, approvedBy, waves,
                acceptedFailures, acceptedAlarms);
    }
}
