package dev.ota.rollouts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A device a rollout placed in a wave ({@code rollout_action}): its director action and the state its reports
 * reached (fleet.md's device action states). One row per (rollout, device).
 */
@Entity
@Table(name = "rollout_action")
@NamedQuery(name = RolloutAction.COUNTS, query = "SELECT a.waveIndex, a.state, a.failureClass, COUNT(a) "
        + "FROM RolloutAction a WHERE a.rolloutId = :rolloutId GROUP BY a.waveIndex, a.state, a.failureClass")
@NamedQuery(name = RolloutAction.OPEN_OF_ROLLOUT, query = "SELECT a FROM RolloutAction a WHERE a.rolloutId = :rolloutId "
        + "AND a.actionId IS NOT NULL AND a.state NOT IN ('SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'REFUSED', 'TIMED_OUT', "
        + "'CANCELED', 'SUPERSEDED')")
@NamedQuery(name = RolloutAction.OF_WAVE, query = "SELECT a FROM RolloutAction a "
        + "WHERE a.rolloutId = :rolloutId AND a.waveIndex = :waveIndex ORDER BY a.deviceId")
class RolloutAction {
    static final String COUNTS = "RolloutAction.counts";
    static final String OF_WAVE = "RolloutAction.ofWave";
    static final String OPEN_OF_ROLLOUT = "RolloutAction.openOfRollout";
    /** fleet.md's device action states this service writes so far. */
    static final String SCHEDULED = "SCHEDULED";
    static final String ASSIGNED = "ASSIGNED";

    @Id
    @SequenceGenerator(name = "rollout_action_seq", sequenceName = "rollout_action_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rollout_action_seq")
    @Column(updatable = false)
    private Long id;

    @Column(name = "rollout_id", nullable = false, updatable = false, length = 64)
    private String rolloutId;

    @Column(name = "wave_index", nullable = false, updatable = false)
    private int waveIndex;

    @Column(name = "device_id", nullable = false, updatable = false, length = 64)
    private String deviceId;

    @Column(name = "action_id", length = 64)
    private String actionId;

    @Column(nullable = false)
    private int attempt;

    @Column(nullable = false, length = 20)
    private String state;

    @Column(name = "failure_class", length = 40)
    private String failureClass;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected RolloutAction() {
    }

    RolloutAction(String rolloutId, int waveIndex, String deviceId, Instant at) {
        this.rolloutId = rolloutId;
        this.waveIndex = waveIndex;
        this.deviceId = deviceId;
        this.attempt = 0;
        this.state = SCHEDULED;
        this.updatedAt = at;
    }

    /** The director signed the device's order under {@code actionId}. */
    void assigned(String actionId, int attempt, Instant at) {
        this.actionId = actionId;
        this.attempt = attempt;
        this.state = ASSIGNED;
        this.updatedAt = at;
    }

    /** The device reported this action in {@code reportState} (a device-protocol report state). */
    void reported(String reportState, String failureClass, Instant at) {
        if (!reportState.equals(state)) {
            this.state = reportState;
            this.failureClass = failureClass;
            this.updatedAt = at;
        }
    }

    String actionId() {
        return actionId;
    }

    String deviceId() {
        return deviceId;
    }

    int waveIndex() {
        return waveIndex;
    }
}
