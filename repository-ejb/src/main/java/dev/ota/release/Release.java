package dev.ota.release;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A release: an uploaded file published as a target. Everything describing it is insert-only;
 * removal only records who removed it and when (the signed metadata keeps the history).
 */
@Entity
@Table(name = "release")
@NamedQuery(name = Release.LISTED_PATHS_FOLDED_AMONG, query = "SELECT r.targetPath FROM Release r"
        + " WHERE LOWER(r.targetPath) IN :folded AND r.removedAt IS NULL")
@NamedQuery(name = Release.LISTED_COUNT, query = "SELECT COUNT(r) FROM Release r WHERE r.removedAt IS NULL")
@NamedQuery(name = Release.LISTED_AT, query = "SELECT r FROM Release r WHERE r.targetPath = :path AND r.removedAt IS NULL")
@NamedQuery(name = Release.ALL_NEWEST_FIRST, query = "SELECT r FROM Release r ORDER BY r.id DESC")
@NamedQuery(name = Release.PATHS_FOLDED_AMONG, query = "SELECT r.targetPath FROM Release r"
        + " WHERE LOWER(r.targetPath) IN :folded")
@NamedQuery(name = Release.HIGHEST_COUNTER_PER_HARDWARE_SET, query = "SELECT r.hardwareIds, MAX(r.releaseCounter)"
        + " FROM Release r WHERE r.releaseCounter IS NOT NULL GROUP BY r.hardwareIds")
public class Release {
    /**
     * Listed paths equal to one of {@code :folded} ignoring letter case ({@link ReleasePaths#folded}); an exact
     * duplicate is one of them. Not served by the path index: a scan per query, hence the callers' chunks.
     */
    static final String LISTED_PATHS_FOLDED_AMONG = "Release.listedPathsFoldedAmong";
    public static final String LISTED_COUNT = "Release.listedCount";
    static final String LISTED_AT = "Release.listedAt";
    static final String ALL_NEWEST_FIRST = "Release.allNewestFirst";
    /** Paths ever used, removed releases included, equal to one of {@code :folded} ignoring letter case. */
    static final String PATHS_FOLDED_AMONG = "Release.pathsFoldedAmong";
    /**
     * The highest counter per set of hardware ids (as stored, comma-joined), removed releases included: one scan
     * that yields a row per distinct set, which {@link Releases} folds into the highest counter per hardware id.
     */
    static final String HIGHEST_COUNTER_PER_HARDWARE_SET = "Release.highestCounterPerHardwareSet";

    @Id
    @SequenceGenerator(name = "release_seq", sequenceName = "release_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "release_seq")
    @Column(updatable = false)
    private Long id;

    @Column(name = "target_path", nullable = false, updatable = false, length = 1024)
    private String targetPath;

    @Column(nullable = false, updatable = false, length = 64)
    private String sha256;

    @Column(nullable = false, updatable = false)
    private long length;

    @Column(name = "release_version", nullable = false, updatable = false, length = 100)
    private String version;

    @Column(name = "hardware_ids", nullable = false, updatable = false, length = 2000)
    private String hardwareIds;

    /** Null only on releases made before counters existed that carried none (V9__release_counter.sql). */
    @Column(name = "release_counter", updatable = false)
    private Long releaseCounter;

    @Column(name = "custom_json", nullable = false, updatable = false, length = 8000)
    private String customJson;

    @Column(name = "uploaded_by", nullable = false, updatable = false, length = 100)
    private String uploadedBy;

    @Column(name = "uploaded_at", nullable = false, updatable = false)
    private Instant uploadedAt;

    @Column(name = "published_in_snapshot", nullable = false, updatable = false)
    private int publishedInSnapshot;

    @Column(name = "removed_by", length = 100)
    private String removedBy;

    @Column(name = "removed_at")
    private Instant removedAt;

    protected Release() {
    }

    Release(String targetPath, String sha256, long length, String version, List<String> hardwareIds,
            long releaseCounter, String customJson, String uploadedBy, Instant uploadedAt, int publishedInSnapshot) {
        this.targetPath = targetPath;
        this.sha256 = sha256;
        this.length = length;
        this.version = version;
        this.hardwareIds = String.join(",", hardwareIds);
        this.releaseCounter = releaseCounter;
        this.customJson = customJson;
        this.uploadedBy = uploadedBy;
        this.uploadedAt = uploadedAt;
        this.publishedInSnapshot = publishedInSnapshot;
    }

    void markRemoved(String by, Instant at) {
        this.removedBy = by;
        this.removedAt = at;
    }

    Long id() {
        return id;
    }

    String targetPath() {
        return targetPath;
    }

    ReleaseView toView() {
        return new ReleaseView(id, targetPath, sha256, length, version,
                hardwareIds.isEmpty() ? List.of() : Arrays.asList(hardwareIds.split(",")), releaseCounter, customJson, uploadedBy,
                uploadedAt, publishedInSnapshot, removedBy, removedAt);
    }
}
