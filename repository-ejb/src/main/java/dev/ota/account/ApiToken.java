package dev.ota.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An API token for automation. Only the SHA-256 of its secret is stored: the secret has 256 bits
 * of entropy, so a fast hash suffices and a stolen table reveals no usable token.
 */
@Entity
@Table(name = "api_token")
@NamedQuery(name = ApiToken.BY_HASH, query = "SELECT t FROM ApiToken t WHERE t.tokenHash = :hash")
@NamedQuery(name = ApiToken.ALL, query = "SELECT t FROM ApiToken t ORDER BY t.id")
@NamedQuery(name = ApiToken.BY_OWNER,
        query = "SELECT t FROM ApiToken t WHERE t.account.username = :username ORDER BY t.id")
public class ApiToken {
    static final String BY_HASH = "ApiToken.byHash";
    static final String ALL = "ApiToken.all";
    static final String BY_OWNER = "ApiToken.byOwner";

    @Id
    @SequenceGenerator(name = "api_token_seq", sequenceName = "api_token_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "api_token_seq")
    @Column(updatable = false)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "user_id", updatable = false)
    private Account account;

    @Column(nullable = false, updatable = false, length = 100)
    private String label;

    @Column(name = "token_hash", nullable = false, updatable = false, length = 64)
    private String tokenHash;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", updatable = false)
    private Instant expiresAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiToken() {
    }

    ApiToken(Account account, String label, String tokenHash, Instant createdAt, Instant expiresAt) {
        this.account = account;
        this.label = label;
        this.tokenHash = tokenHash;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    Long id() {
        return id;
    }

    Account account() {
        return account;
    }

    String label() {
        return label;
    }

    boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    boolean revoked() {
        return revokedAt != null;
    }

    /** From now on the token opens nothing; the row stays, so the audit log's token ids keep their meaning. */
    void revoke(Instant now) {
        revokedAt = now;
    }

    TokenView view(Instant now) {
        TokenView.State state = revokedAt != null ? TokenView.State.REVOKED
                : usableAt(now) ? TokenView.State.ACTIVE : TokenView.State.EXPIRED;
        return new TokenView(id, account.username(), label, createdAt, expiresAt, revokedAt, state);
    }
}
