package dev.ota.serving;

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
 * A target file that was published at least once: its repository path and the SHA-256 under which
 * the blob store holds its bytes. Immutable; served as {@code <dir>/<sha256>.<name>} forever, so a
 * client holding an older snapshot can still download what that snapshot lists.
 */
@Entity
@Table(name = "target_file")
@NamedQuery(name = TargetFileRecord.BY_PATH_AND_SHA256,
        query = "SELECT t FROM TargetFileRecord t WHERE t.path = :path AND t.sha256 = :sha256")
@NamedQuery(name = TargetFileRecord.PATH_AND_SHA256_BY_PATHS,
        query = "SELECT t.path, t.sha256 FROM TargetFileRecord t WHERE t.path IN :paths")
public class TargetFileRecord {
    static final String BY_PATH_AND_SHA256 = "TargetFileRecord.byPathAndSha256";
    public static final String PATH_AND_SHA256_BY_PATHS = "TargetFileRecord.pathAndSha256ByPaths";

    @Id
    @SequenceGenerator(name = "target_file_seq", sequenceName = "target_file_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "target_file_seq")
    @Column(updatable = false)
    private Long id;

    @Column(nullable = false, updatable = false, length = 1024)
    private String path;

    @Column(nullable = false, updatable = false, length = 64)
    private String sha256;

    @Column(nullable = false, updatable = false)
    private long length;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected TargetFileRecord() {
    }

    public TargetFileRecord(String path, String sha256, long length, Instant createdAt) {
        this.path = path;
        this.sha256 = sha256;
        this.length = length;
        this.createdAt = createdAt;
    }

    String path() {
        return path;
    }

    String sha256() {
        return sha256;
    }

    long length() {
        return length;
    }
}
