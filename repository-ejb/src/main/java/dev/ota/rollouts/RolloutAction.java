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
@NamedQuery(name = RolloutAction.SCHEDULED_IN_WAVES, query = "SELECT a FROM RolloutAction a "
        + "WHERE a.rolloutId = :rolloutId AND a.state = 'SCHEDULED' AND a.waveIndex IN :waves ORDER BY a.deviceId")
class RolloutAction {
    static final String COUNTS = "RolloutAction.counts";
    static final String SCHEDULED_IN_WAVES = "RolloutAction.scheduledInWaves";
    /** fleet.md's device action states this service writes itself; the others are the devices' reports. */
    static final String SCHEDULED = "SCHEDULED";
    static final String ASSIGNED = "ASSIGNED";
    static final String RETRY_WAIT = "RETRY_WAIT";
    static final String CANCELED = "CANCELED";
    /**
     * The rollout was cancelled or halted while this order was open and not installing: its empty signed assignment
     * is due (Rollouts.withdrawCancelled), then it is CANCELED.
     */
    static final String WITHDRAWING = "WITHDRAWING";
    /** Never ordered: the director would have refused the device (no longer accepted, another hardware id). */
    static final String SKIPPED = "SKIPPED";
    /** A rollout of higher weight ordered the device instead (fleet.md, "Operator controls"): no member any more. */
    static final String SUPERSEDED = "SUPERSEDED";
    static final String TIMED_OUT = "TIMED_OUT";
    static final String FAILED = "FAILED";
    /** Reports of an installation under way: such a device finishes and reports, a cancel does not stop it. */
    static final java.util.Set<String> INSTALLING = java.util.Set.of("INSTALLING", "TRIAL");
    /** Reports of a device holding a downloaded order back: outside its window, or busy or critical. */
    static final java.util.Set<String> WAITING = java.util.Set.of("WAITING_WINDOW", "WAITING_DEVICE");

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

    @Column(name = "assigned_at")
    private Instant assignedAt;

    @Column(name = "retry_at")
    private Instant retryAt;

    /** When the device started waiting (WAITING_WINDOW or WAITING_DEVICE) in this spell; null when not waiting. */
    @Column(name = "waiting_since")
    private Instant waitingSince;

    @Column(name = "deferral_alerted_at")
    private Instant deferralAlertedAt;

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

    Long id() {
        return id;
    }

    /** The director signed the device's order under {@code actionId}, attempt {@code attempt}. */
    void assigned(String actionId, int attempt, Instant at) {
        this.actionId = actionId;
        this.attempt = attempt;
        this.state = ASSIGNED;
        this.failureClass = null;
        this.retryAt = null;
        this.assignedAt = at;
        this.waitingSince = null;
        this.updatedAt = at;
    }

    /** The device reported this action in {@code reportState} (a device-protocol report state). */
    void reported(String reportState, String failureClass, Instant at) {
        if (WAITING.contains(reportState) && WAITING.contains(state) && waitingSince == null) {
            // Waiting since before V15 added the column: the spell is counted from now rather than never alerted.
            this.waitingSince = at;
        }
        if (!reportState.equals(state)) {
            // One waiting spell, from the first waiting report on, whether for the window or the device.
            if (!WAITING.contains(reportState)) {
                this.waitingSince = null;
            } else if (!WAITING.contains(state)) {
                this.waitingSince = at;
            }
            this.state = reportState;
            this.failureClass = failureClass;
            this.updatedAt = at;
        }
    }

    /** A retryable failure ({@code download:}, {@code timeout:}) waits for its next attempt at {@code retryAt}. */
    void retryWait(String failureClass, Instant retryAt, Instant at) {
        this.state = RETRY_WAIT;
        this.failureClass = failureClass;
        this.retryAt = retryAt;
        this.updatedAt = at;
    }

    /** The attempt used up its open-window time and no attempt is left: a final failure of class timeout:. */
    void timedOut(Instant at) {
        this.state = TIMED_OUT;
        this.failureClass = "timeout:";
        this.retryAt = null;
        this.updatedAt = at;
    }

    /** A retryable failure with no attempt left: final. */
    void failedFinally(Instant at) {
        this.state = FAILED;
        this.retryAt = null;
        this.updatedAt = at;
    }

    void skipped(Instant at) {
        this.state = SKIPPED;
        this.retryAt = null;
        this.updatedAt = at;
    }

    void superseded(Instant at) {
        this.state = SUPERSEDED;
        this.retryAt = null;
        this.updatedAt = at;
    }

    void canceled(Instant at) {
        this.state = CANCELED;
        this.retryAt = null;
        this.updatedAt = at;
    }

    /** The operator was alerted at {@code at} that the device waits past the maximum deferral. */
    void deferralAlerted(Instant at) {
        this.deferralAlertedAt = at;
    }

    String state() {
        return state;
    }

    Instant waitingSince() {
        return waitingSince;
    }

    Instant deferralAlertedAt() {
        return deferralAlertedAt;
    }

    int attempt() {
        return attempt;
    }

    String failureClass() {
        return failureClass;
    }

    Instant assignedAt() {
        return assignedAt;
    }

    Instant retryAt() {
        return retryAt;
    }

    String actionId() {
        return actionId;
    }

    String deviceId() {
        return deviceId;
    }

    String rolloutId() {
        return rolloutId;
    }

    int waveIndex() {
        return waveIndex;
    }
}
