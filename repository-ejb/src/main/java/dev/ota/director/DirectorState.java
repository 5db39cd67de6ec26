package dev.ota.director;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * What is current in one device's director repository ({@code director_state}). Every signing for the device
 * holds this row locked ({@code SELECT ... FOR UPDATE}) to its commit, so one signing per device happens at a
 * time even with several servers; {@code generation} counts the signings.
 */
@Entity
@Table(name = "director_state")
// A device's GET of its director metadata in one statement: status and token generation (the bearer token's
// check), the current timestamp's version and expiry (null when nothing was signed yet).
@NamedQuery(name = DirectorState.POLL, query = "SELECT d.status, d.tokenGeneration, s.timestampVersion, s.timestampExpires"
        + " FROM Device d LEFT JOIN DirectorState s ON s.deviceId = d.deviceId WHERE d.deviceId = :id")
class DirectorState {
    static final String POLL = "DirectorState.poll";

    @Id
    @Column(name = "device_id", length = 64, updatable = false)
    private String deviceId;

    @Column(nullable = false)
    private long generation;

    @Column(name = "targets_version", nullable = false)
    private int targetsVersion;

    @Column(name = "snapshot_version", nullable = false)
    private int snapshotVersion;

    @Column(name = "timestamp_version", nullable = false)
    private int timestampVersion;

    @Column(name = "timestamp_expires", nullable = false)
    private Instant timestampExpires;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected DirectorState() {
    }

    DirectorState(String deviceId) {
        this.deviceId = deviceId;
    }

    String deviceId() {
        return deviceId;
    }

    int targetsVersion() {
        return targetsVersion;
    }

    int snapshotVersion() {
        return snapshotVersion;
    }

    int timestampVersion() {
        return timestampVersion;
    }

    Instant timestampExpires() {
        return timestampExpires;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    void signed(int targets, int snapshot, int timestamp, Instant expires, Instant now) {
        generation++;
        targetsVersion = targets;
        snapshotVersion = snapshot;
        timestampVersion = timestamp;
        timestampExpires = expires;
        updatedAt = now;
    }
}
