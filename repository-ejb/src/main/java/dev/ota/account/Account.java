package dev.ota.account;

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
import java.util.HashSet;
import java.util.Set;

/** A person's account. The password is held only as a PBKDF2 hash. */
@Entity
@Table(name = "app_user")
@NamedQuery(name = Account.BY_USERNAME, query = "SELECT a FROM Account a WHERE a.username = :username")
@NamedQuery(name = Account.COUNT, query = "SELECT COUNT(a) FROM Account a")
@NamedQuery(name = Account.ALL, query = "SELECT a FROM Account a ORDER BY a.username")
@NamedQuery(name = Account.ENABLED_WITH_ROLE,
        query = "SELECT a.username FROM Account a JOIN a.roles r WHERE r = :role AND a.enabled = TRUE")
public class Account {
    static final String BY_USERNAME = "Account.byUsername";
    static final String COUNT = "Account.count";
    static final String ALL = "Account.all";
    static final String ENABLED_WITH_ROLE = "Account.enabledWithRole";

    @Id
    @SequenceGenerator(name = "app_user_seq", sequenceName = "app_user_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "app_user_seq")
    @Column(updatable = false)
    private Long id;

    @Column(nullable = false, updatable = false, length = 100)
    private String username;

    @Column(name = "password_hash", nullable = false, length = 300)
    private String passwordHash;

    @Column(name = "must_change_password", nullable = false)
    private boolean mustChangePassword;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "app_user_role", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "role_name", length = 40)
    private Set<String> roles = new HashSet<>();

    protected Account() {
    }

    Account(String username, String passwordHash, Set<String> roles, boolean mustChangePassword, Instant now) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.roles = new HashSet<>(roles);
        this.mustChangePassword = mustChangePassword;
        this.enabled = true;
        this.createdAt = now;
    }

    Long id() {
        return id;
    }

    String username() {
        return username;
    }

    String passwordHash() {
        return passwordHash;
    }

    boolean mustChangePassword() {
        return mustChangePassword;
    }

    boolean enabled() {
        return enabled;
    }

    Set<String> roles() {
        return Set.copyOf(roles);
    }

    void changePassword(String newHash) {
        this.passwordHash = newHash;
        this.mustChangePassword = false;
    }

    /** A new one-time password: the person must replace it at the next sign-in, as after creation. */
    void resetPassword(String newHash) {
        this.passwordHash = newHash;
        this.mustChangePassword = true;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    void replaceRoles(Set<String> roles) {
        this.roles.clear();
        this.roles.addAll(roles);
    }

    AccountView view() {
        return new AccountView(username, roles.stream().sorted().toList(), enabled, mustChangePassword, createdAt);
    }
}
