package dev.ota.fleet;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * An enrollment token ({@code enrollment_token}, allowed hardware ids in {@code enrollment_token_hardware}).
 * Only the SHA-256 of its text is kept: the text has 256 bits of entropy and is shown once.
 */
@Entity
@Table(name = "enrollment_token")
@NamedQuery(name = EnrollmentToken.BY_HASH, query = "SELECT t FROM EnrollmentToken t WHERE t.tokenHash = :hash")
@NamedQuery(name = EnrollmentToken.ALL, query = "SELECT t FROM EnrollmentToken t ORDER BY t.id")
public class EnrollmentToken {
    static final String BY_HASH = "EnrollmentToken.byHash";
    static final String ALL = "EnrollmentToken.all";

    @Id
    @SequenceGenerator(name = "enrollment_token_seq", sequenceName = "enrollment_token_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "enrollment_token_seq")
    @Column(updatable = false)
    private Long id;

    @Column(name = "token_hash", nullable = false, updatable = false, length = 64)
    private String tokenHash;

    @Column(nullable = false, updatable = false, length = 100)
    private String label;

    @Column(name = "created_by", nullable = false, updatable = false, length = 100)
    private String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    @Column(name = "max_uses", nullable = false, updatable = false)
    private int maxUses;

    @Column(nullable = false)
    private int uses;

    @Column(name = "auto_accept", nullable = false, updatable = false)
    private boolean autoAccept;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "enrollment_token_hardware", joinColumns = @JoinColumn(name = "token_id"))
    @Column(name = "hardware_id", length = 100)
    private Set<String> hardwareIds = new TreeSet<>();

    protected EnrollmentToken() {
    }

    EnrollmentToken(String tokenHash, String label, String createdBy, Instant createdAt, Instant expiresAt, int maxUses,
                    boolean autoAccept, Set<String> hardwareIds) {
        this.tokenHash = tokenHash;
        this.label = label;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.maxUses = maxUses;
        this.autoAccept = autoAccept;
        this.hardwareIds = new TreeSet<>(hardwareIds);
    }

    public Long id() {
        return id;
    }

    /** The token's terms, for the pure rules and the management API (never the hash). */
    public EnrollmentTokenView view() {
        return new EnrollmentTokenView(id, label, createdBy, createdAt, expiresAt, maxUses, uses, autoAccept,
                Set.copyOf(hardwareIds), revokedAt);
    }

    void use() {
        uses++;
    }

    void revoke(Instant at) {
        revokedAt = at;
    }
}
