package dev.ota.director;

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
 * An order given by hand ({@code director_assignment}), insert-only: the newest row of a device is its order; a
 * row without a target path is a cancellation.
 */
@Entity
@Table(name = "director_assignment")
@NamedQuery(name = DirectorAssignment.NEWEST_OF_DEVICE,
        query = "SELECT a FROM DirectorAssignment a WHERE a.deviceId = :deviceId ORDER BY a.id DESC")
class DirectorAssignment {
    static final String NEWEST_OF_DEVICE = "DirectorAssignment.newestOfDevice";

    @Id
    @SequenceGenerator(name = "director_assignment_seq", sequenceName = "director_assignment_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "director_assignment_seq")
    @Column(updatable = false)
    private Long id;

    @Column(name = "device_id", nullable = false, updatable = false, length = 64)
    private String deviceId;

    @Column(name = "target_path", updatable = false, length = 1024)
    private String targetPath;

    @Column(name = "action_id", nullable = false, updatable = false, length = 64)
    private String actionId;

    @Column(nullable = false, updatable = false)
    private int attempt;

    @Column(name = "assigned_by", nullable = false, updatable = false, length = 100)
    private String assignedBy;

    @Column(name = "assigned_at", nullable = false, updatable = false)
    private Instant assignedAt;

    /**
     * A rollout's maintenance-window rules (WindowRule.toJson, canonical JSON); null: install when ready. Kept as
     * rules, not windows: every signing of the device's targets expands the next ones from now (V13).
     */
    @Column(name = "window_rules", updatable = false, length = 4000)
    private String windowRules;

    /** The order's force-after instant (installPolicy force-after:<time>); null: respect-busy (V13). */
    @Column(name = "force_after", updatable = false)
    private Instant forceAfter;

    protected DirectorAssignment() {
    }

    DirectorAssignment(String deviceId, String targetPath, String actionId, int attempt, String assignedBy,
                       Instant assignedAt) {
        this.deviceId = deviceId;
        this.targetPath = targetPath;
        this.actionId = actionId;
        this.attempt = attempt;
        this.assignedBy = assignedBy;
        this.assignedAt = assignedAt;
    }

    DirectorAssignment(String deviceId, String targetPath, String actionId, int attempt, String assignedBy,
                       Instant assignedAt, String windowRules, Instant forceAfter) {
        this(deviceId, targetPath, actionId, attempt, assignedBy, assignedAt);
        this.windowRules = windowRules;
        this.forceAfter = forceAfter;
    }

    String windowRules() {
        return windowRules;
    }

    Instant forceAfter() {
        return forceAfter;
    }

    String deviceId() {
        return deviceId;
    }

    String assignedBy() {
        return assignedBy;
    }

    String targetPath() {
        return targetPath;
    }

    String actionId() {
        return actionId;
    }

    int attempt() {
        return attempt;
    }

    OrderHistoryEntry toHistoryEntry() {
        return new OrderHistoryEntry(targetPath, actionId, attempt, assignedBy, assignedAt);
    }
}
