package dev.ota.custody;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/** A key taken out of service ({@code retired_key}, append-only): no setters, every column insert-only. */
@Entity
@Table(name = "retired_key")
@NamedQuery(name = RetiredKey.NEWEST, query = "SELECT k FROM RetiredKey k ORDER BY k.retiredAt DESC")
class RetiredKey {
    static final String NEWEST = "RetiredKey.newest";

    @Column(length = 16, nullable = false, updatable = false)
    private String repository;

    /** A key id is the SHA-256 of a public key: unique across both repositories. */
    @Id
    @Column(name = "key_id", length = 64, updatable = false)
    private String keyId;

    @Column(length = 64, nullable = false, updatable = false)
    private String role;

    @Column(name = "key_type", length = 16, nullable = false, updatable = false)
    private String keyType;

    @Column(length = 32, nullable = false, updatable = false)
    private String scheme;

    @Column(name = "created_at", updatable = false)
    private Instant createdAt;

    @Column(name = "retired_at", nullable = false, updatable = false)
    private Instant retiredAt;

    @Column(name = "retired_by", length = 100, nullable = false, updatable = false)
    private String retiredBy;

    @Column(nullable = false, updatable = false)
    private boolean revoked;

    @Column(length = 500, updatable = false)
    private String reason;

    @Column(name = "replaced_by", length = 64, nullable = false, updatable = false)
    private String replacedBy;

    @Column(name = "root_version", nullable = false, updatable = false)
    private int rootVersion;

    protected RetiredKey() {
    }

    RetiredKey(OnlineKey key, Instant retiredAt, String retiredBy, boolean revoked, String reason, String replacedBy,
               long rootVersion) {
        this.repository = key.repository();
        this.keyId = key.keyId();
        this.role = key.role();
        this.keyType = key.keyType();
        this.scheme = key.scheme();
        this.createdAt = key.created();
        this.retiredAt = retiredAt;
        this.retiredBy = retiredBy;
        this.revoked = revoked;
        this.reason = reason;
        this.replacedBy = replacedBy;
        this.rootVersion = Math.toIntExact(rootVersion);
    }

    OnlineKey toView() {
        return new OnlineKey(repository, role, keyId, keyType, scheme, createdAt, null,
                revoked ? OnlineKey.REVOKED : OnlineKey.RETIRED, retiredAt, retiredBy, reason, replacedBy, null);
    }
}
