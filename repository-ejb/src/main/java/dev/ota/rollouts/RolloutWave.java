package dev.ota.rollouts;

import dev.ota.rollout.RolloutMachine.WaveState;
import dev.ota.rollout.RolloutMachine.WaveStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A wave of a rollout ({@code rollout_wave}), index 0 the canary; written only after the rollout's compare-and-set. */
@Entity
@Table(name = "rollout_wave")
@IdClass(RolloutWave.Key.class)
@NamedQuery(name = RolloutWave.OF_ROLLOUT,
        query = "SELECT w FROM RolloutWave w WHERE w.rolloutId = :rolloutId ORDER BY w.waveIndex")
class RolloutWave {
    static final String OF_ROLLOUT = "RolloutWave.ofRollout";

    @Id
    @Column(name = "rollout_id", length = 64, updatable = false)
    private String rolloutId;

    @Id
    @Column(name = "wave_index", updatable = false)
    private int waveIndex;

    @Column(nullable = false, length = 20)
    private String state;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "threshold_since")
    private Instant thresholdSince;

    @Column(name = "ended_at")
    private Instant endedAt;

    protected RolloutWave() {
    }

    RolloutWave(String rolloutId, int waveIndex, WaveState s) {
        this.rolloutId = rolloutId;
        this.waveIndex = waveIndex;
        set(s);
    }

    void set(WaveState s) {
        state = s.status().name();
        startedAt = s.startedAt();
        thresholdSince = s.thresholdSince();
        endedAt = s.endedAt();
    }

    int waveIndex() {
        return waveIndex;
    }

    WaveState state() {
        return new WaveState(WaveStatus.valueOf(state), startedAt, thresholdSince, endedAt);
    }

    /** The composite key (rollout id, wave index). */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String rolloutId;
        private int waveIndex;

        public Key() {
        }

        public Key(String rolloutId, int waveIndex) {
            this.rolloutId = rolloutId;
            this.waveIndex = waveIndex;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.waveIndex == waveIndex && Objects.equals(k.rolloutId, rolloutId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(rolloutId, waveIndex);
        }
    }
}
