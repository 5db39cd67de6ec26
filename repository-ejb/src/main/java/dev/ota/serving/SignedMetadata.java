package dev.ota.serving;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One signed metadata file exactly as served. Immutable: every column is insert-only and there
 * are no setters; a new version is a new row, unique on (role, version).
 */
@Entity
@Table(name = "signed_metadata")
@NamedQuery(name = SignedMetadata.BY_ROLE_AND_VERSION,
        query = "SELECT m FROM SignedMetadata m WHERE m.roleName = :role AND m.version = :version")
@NamedQuery(name = SignedMetadata.CONTENT_BY_ROLE_AND_VERSION,
        query = "SELECT m.content FROM SignedMetadata m WHERE m.roleName = :role AND m.version = :version")
@NamedQuery(name = SignedMetadata.EXPIRES_BY_ROLE_AND_VERSION,
        query = "SELECT m.expires FROM SignedMetadata m WHERE m.roleName = :role AND m.version = :version")
public class SignedMetadata {
    static final String BY_ROLE_AND_VERSION = "SignedMetadata.byRoleAndVersion";
    static final String CONTENT_BY_ROLE_AND_VERSION = "SignedMetadata.contentByRoleAndVersion";
    static final String EXPIRES_BY_ROLE_AND_VERSION = "SignedMetadata.expiresByRoleAndVersion";

    @Id
    @SequenceGenerator(name = "signed_metadata_seq", sequenceName = "signed_metadata_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "signed_metadata_seq")
    @Column(updatable = false)
    private Long id;

    @Column(name = "role_name", nullable = false, updatable = false)
    private String roleName;

    @Column(nullable = false, updatable = false)
    private int version;

    @Column(nullable = false, updatable = false)
    private Instant expires;

    @Column(nullable = false, updatable = false)
    private long length;

    @Column(nullable = false, updatable = false, length = 64)
    private String sha256;

    @Lob
    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false, updatable = false)
    private byte[] content;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected SignedMetadata() {
    }

    public SignedMetadata(String roleName, int version, Instant expires, byte[] content, Instant createdAt) {
        this.roleName = roleName;
        this.version = version;
        this.expires = expires;
        this.content = content.clone();
        this.length = content.length;
        this.sha256 = sha256Hex(content);
        this.createdAt = createdAt;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    String roleName() {
        return roleName;
    }

    int version() {
        return version;
    }

    Instant expires() {
        return expires;
    }

    long length() {
        return length;
    }

    String sha256() {
        return sha256;
    }

    /** The stored bytes; callers must not modify the array. */
    byte[] content() {
        return content;
    }
}
