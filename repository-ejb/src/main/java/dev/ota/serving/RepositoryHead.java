package dev.ota.serving;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The single row naming the current versions. A publish inserts its new metadata rows first and
 * moves this row last, in the same transaction; {@code generation} grows by one each time, which
 * is what every server polls to know its cached view is stale.
 */
@Entity
@Table(name = "repository_head")
public class RepositoryHead {
    public static final int SINGLETON_ID = 1;

    @Id
    private int id;

    @Column(nullable = false)
    private long generation;

    @Column(name = "root_version", nullable = false)
    private int rootVersion;

    @Column(name = "timestamp_version", nullable = false)
    private int timestampVersion;

    @Column(name = "snapshot_version", nullable = false)
    private int snapshotVersion;

    @Column(name = "targets_version", nullable = false)
    private int targetsVersion;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected RepositoryHead() {
    }

    public RepositoryHead(int rootVersion, int timestampVersion, int snapshotVersion, int targetsVersion, Instant now) {
        this.id = SINGLETON_ID;
        this.generation = 1;
        this.rootVersion = rootVersion;
        this.timestampVersion = timestampVersion;
        this.snapshotVersion = snapshotVersion;
        this.targetsVersion = targetsVersion;
        this.updatedAt = now;
    }

    /** Moves the head; the only mutation, called last in a publish transaction. */
    public void moveTo(int rootVersion, int timestampVersion, int snapshotVersion, int targetsVersion, Instant now) {
        this.generation++;
        this.rootVersion = rootVersion;
        this.timestampVersion = timestampVersion;
        this.snapshotVersion = snapshotVersion;
        this.targetsVersion = targetsVersion;
        this.updatedAt = now;
    }

    long generation() {
        return generation;
    }

    public int rootVersion() {
        return rootVersion;
    }

    public int timestampVersion() {
        return timestampVersion;
    }

    int snapshotVersion() {
        return snapshotVersion;
    }

    int targetsVersion() {
        return targetsVersion;
    }
}
