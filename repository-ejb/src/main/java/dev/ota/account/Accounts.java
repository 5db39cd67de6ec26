package dev.ota.account;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.installation.DataDirectory;
import jakarta.annotation.Resource;
import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Accounts, passwords and API tokens. Authentication methods are open to everyone (they are how a
 * caller gets an identity); every change is role-checked and audited in its own transaction.
 */
@Stateless
@DeclareRoles({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.SECURITY_OFFICER, Roles.AUDITOR})
public class Accounts {
    private static final Logger LOG = Logger.getLogger(Accounts.class.getName());
    static final String FIRST_ADMIN = "admin";
    static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
    private static final String TOKEN_PREFIX = "ota_";
    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{1,63}");
    /** A token without a stated validity lives this long; none lives longer than the maximum. */
    static final int DEFAULT_TOKEN_DAYS = 90;
    static final int MAX_TOKEN_DAYS = 365;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @Resource
    private SessionContext context;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    /** Password guessing, per account and per client address; one per server process. */
    @Inject
    private GuessThrottle throttle;

    @Inject
    private Clock clock;

    private final PasswordHasher hasher = new PasswordHasher();

    /**
     * On a database without accounts, creates {@code admin} with a random one-time password written
     * to a file only the server's user can read; the log names the file, never the password.
     */
    @PermitAll
    public void createFirstAdministratorIfNone() {
        long count = em.createNamedQuery(Account.COUNT, Long.class).getSingleResult();
        if (count > 0) {
            return;
        }
        String password = PasswordHasher.randomSecret(18);
        Account admin = new Account(FIRST_ADMIN, hasher.hash(password.toCharArray()), Set.of(Roles.ADMINISTRATOR),
                true, clock.instant());
        em.persist(admin);
        Path file = DataDirectory.path().resolve(INITIAL_PASSWORD_FILE);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataDirectory.writeSecretFile(file, password);
        audit.record("system", "account.create", FIRST_ADMIN, Outcome.SUCCESS,
                "first administrator, one-time password in the data directory");
        LOG.warning(() -> "Created the first administrator account '" + FIRST_ADMIN + "'. Its one-time password is in "
                + file + " (readable only by the server's user); it must be changed at first use.");
    }

    /**
     * Checks a user name and password from a client address, never saying which of the two was
     * wrong. Too many recent failures for the name or the address are refused before the password
     * is looked at ({@link GuessThrottle}), so a throttled guess costs no PBKDF2 computation. A null
     * address counts against the account only.
     */
    @PermitAll
    public SignIn authenticatePassword(String username, char[] password, String address) {
        Optional<Duration> wait = throttle.admit(username, address);
        if (wait.isPresent()) {
            return new SignIn.Throttled(wait.get());
        }
        List<Account> found = em.createNamedQuery(Account.BY_USERNAME, Account.class)
                .setParameter("username", username).getResultList();
        if (found.isEmpty()) {
            // Same cost as a real check, so response time does not reveal which names exist.
            hasher.matches(password, DUMMY_HASH);
            return new SignIn.Refused();
        }
        Account a = found.get(0);
        if (!a.enabled()) {
            return new SignIn.Refused();
        }
        if (!VerifiedPasswords.recentlyVerified(username, password, a.passwordHash())) {
            if (!hasher.matches(password, a.passwordHash())) {
                return new SignIn.Refused();
            }
            VerifiedPasswords.remember(username, password, a.passwordHash());
        }
        throttle.succeeded(username, address);
        return new SignIn.Accepted(new Caller(a.username(), a.roles(), a.mustChangePassword()), sessionStamp(a));
    }

    /**
     * The caller behind an established portal session, re-read on every request so that a disabled
     * account or a changed role takes effect at once. Empty if the account is gone or disabled, or if
     * its password, roles or state changed since the session began ({@code sessionStamp} from
     * {@link SignIn.Accepted} or {@link #changeOwnPassword}): a stolen session cookie dies with the change.
     */
    @PermitAll
    public Optional<Caller> sessionCaller(String username, String sessionStamp) {
        return em.createNamedQuery(Account.BY_USERNAME, Account.class).setParameter("username", username)
                .getResultList().stream().filter(Account::enabled)
                .filter(a -> sessionStamp != null && MessageDigest.isEqual(
                        sessionStamp(a).getBytes(StandardCharsets.US_ASCII),
                        sessionStamp.getBytes(StandardCharsets.US_ASCII)))
                .findFirst()
                .map(a -> new Caller(a.username(), a.roles(), a.mustChangePassword()));
    }

    /**
     * Changes with the password hash (new salt on every change or reset), the roles and the enabled
     * flag. Derived, not stored: nothing to migrate, and every server of a cluster computes the same.
     */
    private static String sessionStamp(Account a) {
        return sha256("session|" + a.passwordHash() + "|" + a.enabled() + "|"
                + new java.util.TreeSet<>(a.roles())).substring(0, 32);
    }

    /** The caller an API token stands for, or empty if unknown, expired or revoked. */
    @PermitAll
    public Optional<Caller> authenticateToken(String secret) {
        if (secret == null || !secret.startsWith(TOKEN_PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        List<ApiToken> found = em.createNamedQuery(ApiToken.BY_HASH, ApiToken.class)
                .setParameter("hash", sha256(secret)).getResultList();
        if (found.isEmpty() || !found.get(0).usableAt(clock.instant()) || !found.get(0).account().enabled()) {
            return Optional.empty();
        }
        Account a = found.get(0).account();
        // A token acts for its owner but is never blocked by the owner's pending password change:
        // only a person who changed the one-time password can have issued it.
        return Optional.of(new Caller(a.username(), a.roles(), false, found.get(0).id()));
    }

    /**
     * Issues an API token for the caller, valid {@code validityDays} (default 90, at most 365); the
     * secret is returned once and stored only as a hash. Only a caller who signed in with a password
     * may issue one ({@code viaToken} is the token the caller authenticated with, or null): a leaked
     * token must not be able to outlive its own expiry or revocation by minting successors.
     */
    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.SECURITY_OFFICER, Roles.AUDITOR})
    public IssuedToken issueToken(String label, Integer validityDays, Long viaToken) {
        String caller = context.getCallerPrincipal().getName();
        String subject = label == null ? "" : label.strip();
        try {
            if (viaToken != null) {
                throw new AccountException("token.password-required", ErrorKind.FORBIDDEN,
                        "API tokens are issued to a password sign-in only, not to another token");
            }
            if (label == null || label.isBlank() || label.length() > 100) {
                throw new AccountException("account.invalid-token-label", ErrorKind.INVALID_INPUT,
                        "a token needs a label of 1 to 100 characters");
            }
            if (validityDays != null && (validityDays < 1 || validityDays > MAX_TOKEN_DAYS)) {
                throw new AccountException("token.invalid-validity", ErrorKind.INVALID_INPUT,
                        "validityDays must be between 1 and " + MAX_TOKEN_DAYS + " (default " + DEFAULT_TOKEN_DAYS + ")");
            }
        } catch (AccountException e) {
            audit.recordAttempt(caller, "token.issue", subject, Outcome.DENIED, e.getMessage());
            throw e;
        }
        Account owner = byName(caller);
        String secret = TOKEN_PREFIX + PasswordHasher.randomSecret(32);
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofDays(validityDays == null ? DEFAULT_TOKEN_DAYS : validityDays));
        ApiToken token = new ApiToken(owner, subject, sha256(secret), now, expires);
        em.persist(token);
        em.flush();
        audit.record(caller, "token.issue", subject, Outcome.SUCCESS, "token id " + token.id() + ", expires " + expires);
        return new IssuedToken(token.id(), token.label(), secret, expires);
    }

    /** The caller's tokens; an administrator's view holds every account's. Secrets are never shown. */
    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.SECURITY_OFFICER, Roles.AUDITOR})
    public List<TokenView> tokens() {
        Instant now = clock.instant();
        List<ApiToken> rows = context.isCallerInRole(Roles.ADMINISTRATOR)
                ? em.createNamedQuery(ApiToken.ALL, ApiToken.class).getResultList()
                : em.createNamedQuery(ApiToken.BY_OWNER, ApiToken.class)
                        .setParameter("username", context.getCallerPrincipal().getName()).getResultList();
        return rows.stream().map(t -> t.view(now)).toList();
    }

    /**
     * Revokes a token at once (every server: tokens are checked against the database on each call).
     * Its owner may revoke it, and any administrator; to anyone else it does not exist.
     */
    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.SECURITY_OFFICER, Roles.AUDITOR})
    public TokenView revokeToken(long id) {
        String caller = context.getCallerPrincipal().getName();
        ApiToken token = em.find(ApiToken.class, id);
        try {
            if (token == null || !(token.account().username().equals(caller)
                    || context.isCallerInRole(Roles.ADMINISTRATOR))) {
                throw new AccountException("token.not-found", ErrorKind.NOT_FOUND, "no token " + id + " of yours");
            }
            if (token.revoked()) {
                throw new AccountException("token.already-revoked", ErrorKind.CONFLICT, "token " + id + " is revoked already");
            }
        } catch (AccountException e) {
            audit.recordAttempt(caller, "token.revoke", "token id " + id, Outcome.DENIED, e.getMessage());
            throw e;
        }
        Instant now = clock.instant();
        token.revoke(now);
        audit.record(caller, "token.revoke", token.label(), Outcome.SUCCESS,
                "token id " + id + " of " + token.account().username());
        return token.view(now);
    }

    /**
     * Changes the caller's own password; required before anything else after a one-time password.
     * Every other portal session of the account ends (their stamp no longer matches); the new stamp
     * returned lets the session that made the change continue. Once the first administrator has
     * replaced the one-time password, its file in the data directory is deleted.
     */
    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.SECURITY_OFFICER, Roles.AUDITOR})
    public String changeOwnPassword(char[] current, char[] next) {
        String caller = context.getCallerPrincipal().getName();
        Account a = byName(caller);
        // Refusals are audited in their own transaction: a wrong current password may be someone
        // guessing at an unattended session.
        if (!hasher.matches(current, a.passwordHash())) {
            audit.recordAttempt(caller, "account.change-password", caller, Outcome.DENIED, "wrong current password");
            throw new AccountException("account.wrong-password", ErrorKind.INVALID_INPUT,
                    "the current password is not correct");
        }
        try {
            requireStrong(next, current, caller);
        } catch (AccountException e) {
            audit.recordAttempt(caller, "account.change-password", caller, Outcome.DENIED, e.getMessage());
            throw e;
        }
        a.changePassword(hasher.hash(next));
        audit.record(caller, "account.change-password", caller, Outcome.SUCCESS,
                "other sessions of the account end");
        if (caller.equals(FIRST_ADMIN)) {
            // Only once the new password is committed: a rolled-back change leaves the one-time password valid.
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        deleteInitialPasswordFile();
                    }
                }
            });
        }
        return sessionStamp(a);
    }

    /** The one-time password is useless once changed, and a secret left on disk is one more to protect. */
    private static void deleteInitialPasswordFile() {
        Path file = DataDirectory.path().resolve(INITIAL_PASSWORD_FILE);
        try {
            if (Files.deleteIfExists(file)) {
                LOG.info(() -> "Deleted " + file + ": the first administrator's one-time password was changed.");
            }
        } catch (IOException e) {
            LOG.warning(() -> "Could not delete " + file + " (" + e.getMessage() + "); delete it by hand.");
        }
    }

    /**
     * Creates an account with the given roles and returns its random one-time password (shown once).
     */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public String createAccount(String username, Set<String> roles) {
        String caller = context.getCallerPrincipal().getName();
        try {
            requireNewAccount(username, roles);
        } catch (AccountException e) {
            audit.recordAttempt(caller, "account.create", username == null ? "" : username, Outcome.DENIED,
                    e.getMessage());
            throw e;
        }
        String password = PasswordHasher.randomSecret(18);
        em.persist(new Account(username, hasher.hash(password.toCharArray()), roles, true, clock.instant()));
        audit.record(caller, "account.create", username, Outcome.SUCCESS, "roles " + new java.util.TreeSet<>(roles));
        return password;
    }

    /** Every account, by name, with its roles and state; never a password hash. */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public List<AccountView> accounts() {
        return em.createNamedQuery(Account.ALL, Account.class).getResultList().stream().map(Account::view).toList();
    }

    /**
     * Disables or enables an account. Disabling ends its portal sessions at their next request (the
     * session stamp covers the enabled flag) and stops its API tokens and password at once. An
     * administrator cannot disable their own account, nor the last enabled administrator.
     */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public AccountView setEnabled(String username, boolean enabled) {
        String caller = context.getCallerPrincipal().getName();
        String action = enabled ? "account.enable" : "account.disable";
        Account a;
        try {
            a = byName(username);
            if (a.enabled() == enabled) {
                throw new AccountException("account.unchanged", ErrorKind.CONFLICT,
                        "the account '" + username + "' is " + (enabled ? "enabled" : "disabled") + " already");
            }
            if (!enabled && username.equals(caller)) {
                throw new AccountException("account.self-lockout", ErrorKind.CONFLICT,
                        "you cannot disable your own account");
            }
            requireAdministratorLeft(a, enabled, a.roles());
        } catch (AccountException e) {
            audit.recordAttempt(caller, action, username == null ? "" : username, Outcome.DENIED, e.getMessage());
            throw e;
        }
        a.setEnabled(enabled);
        audit.record(caller, action, username, Outcome.SUCCESS, enabled ? "may sign in again"
                : "sessions end, password and API tokens refused");
        return a.view();
    }

    /**
     * Replaces an account's roles with a non-empty subset of {@link Roles#ALL}. The account's portal
     * sessions end (the session stamp covers the roles); its API tokens act with the new roles at once.
     */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public AccountView changeRoles(String username, Set<String> roles) {
        String caller = context.getCallerPrincipal().getName();
        Account a;
        try {
            requireValidRoles(roles);
            a = byName(username);
            if (a.roles().equals(roles)) {
                throw new AccountException("account.unchanged", ErrorKind.CONFLICT,
                        "the account '" + username + "' has these roles already");
            }
            requireAdministratorLeft(a, a.enabled(), roles);
        } catch (AccountException e) {
            audit.recordAttempt(caller, "account.change-roles", username == null ? "" : username, Outcome.DENIED,
                    e.getMessage());
            throw e;
        }
        String before = new java.util.TreeSet<>(a.roles()).toString();
        a.replaceRoles(roles);
        audit.record(caller, "account.change-roles", username, Outcome.SUCCESS,
                "roles " + before + " -> " + new java.util.TreeSet<>(roles));
        return a.view();
    }

    /**
     * Gives an account a new random one-time password (returned once, stored only as a hash) that must
     * be replaced at the next sign-in. The old password stops working and the account's portal
     * sessions end. An administrator changes their own password with {@link #changeOwnPassword}.
     */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public String resetPassword(String username) {
        String caller = context.getCallerPrincipal().getName();
        Account a;
        try {
            a = byName(username);
            if (username.equals(caller)) {
                throw new AccountException("account.self-reset", ErrorKind.CONFLICT,
                        "change your own password with the current one instead of resetting it");
            }
        } catch (AccountException e) {
            audit.recordAttempt(caller, "account.reset-password", username == null ? "" : username, Outcome.DENIED,
                    e.getMessage());
            throw e;
        }
        String password = PasswordHasher.randomSecret(18);
        a.resetPassword(hasher.hash(password.toCharArray()));
        audit.record(caller, "account.reset-password", username, Outcome.SUCCESS,
                "one-time password issued, sessions end");
        return password;
    }

    private void requireAdministratorLeft(Account changed, boolean enabledAfter, Set<String> rolesAfter) {
        Set<String> administrators = Set.copyOf(em.createNamedQuery(Account.ENABLED_WITH_ROLE, String.class)
                .setParameter("role", Roles.ADMINISTRATOR).getResultList());
        if (!AdministratorsLeft.afterChange(administrators, changed.username(), enabledAfter, rolesAfter)) {
            throw new AccountException("account.last-administrator", ErrorKind.CONFLICT,
                    "this would leave no enabled administrator");
        }
    }

    private void requireNewAccount(String username, Set<String> roles) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new AccountException("account.invalid-username", ErrorKind.INVALID_INPUT,
                    "a user name is 2 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter");
        }
        requireValidRoles(roles);
        if (!em.createNamedQuery(Account.BY_USERNAME, Account.class).setParameter("username", username)
                .getResultList().isEmpty()) {
            throw new AccountException("account.duplicate", ErrorKind.CONFLICT, "an account '" + username + "' exists");
        }
    }

    private static void requireValidRoles(Set<String> roles) {
        // A null element first: Set.of(...).containsAll throws on it ("roles": [null] was a 500).
        if (roles == null || roles.isEmpty() || roles.stream().anyMatch(java.util.Objects::isNull)
                || !Roles.ALL.containsAll(roles)) {
            throw new AccountException("account.invalid-roles", ErrorKind.INVALID_INPUT,
                    "roles must be a non-empty subset of " + Roles.ALL);
        }
    }

    private Account byName(String username) {
        return em.createNamedQuery(Account.BY_USERNAME, Account.class).setParameter("username", username)
                .getResultList().stream().findFirst()
                .orElseThrow(() -> new AccountException("account.not-found", ErrorKind.NOT_FOUND,
                        "no account '" + username + "'"));
    }

    private static void requireStrong(char[] next, char[] current, String username) {
        PasswordPolicy.requireAcceptable(next, username);
        if (java.util.Arrays.equals(next, current)) {
            throw new AccountException("account.weak-password", ErrorKind.INVALID_INPUT,
                    "the new password must differ from the current one");
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    /** A valid hash of a random password nobody knows, checked for unknown user names. */
    private static final String DUMMY_HASH = new PasswordHasher().hash(PasswordHasher.randomSecret(18).toCharArray());
}
