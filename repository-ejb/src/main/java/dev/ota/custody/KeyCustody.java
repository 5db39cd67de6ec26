package dev.ota.custody;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.director.DirectorKeyRotation;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.keys.HeldKey;
import dev.ota.keys.OnlineKeyStore;
import dev.ota.publishing.KeyReplacement;
import dev.ota.publishing.RepositoryPublisher;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The online keys of both repositories: listed for security officers, auditors and administrators; rotated or
 * revoked by security officers only, each in one transaction with what it publishes, and audited ({@code
 * key.rotate}, {@code key.revoke}), refusals too. A revocation is a rotation that records the key as compromised,
 * with the reason. The replacing key has the retired key's type.
 */
@Stateless
public class KeyCustody {
    public static final String IMAGE = "image";
    public static final String DIRECTOR = "director";
    private static final int MAX_REASON = 500;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private RepositoryPublisher publisher;

    @EJB
    private DirectorKeyRotation director;

    @EJB
    private AuditLog audit;

    @Inject
    private Clock clock;

    @Resource
    private SessionContext context;

    /** The keys in service in both keystores (by repository, role, key id), then the retired ones, newest first. */
    @RolesAllowed({Roles.SECURITY_OFFICER, Roles.AUDITOR, Roles.ADMINISTRATOR})
    public List<OnlineKey> list() {
        List<OnlineKey> out = new ArrayList<>(active(IMAGE));
        out.addAll(active(DIRECTOR));
        em.createNamedQuery(RetiredKey.NEWEST, RetiredKey.class).setMaxResults(1000).getResultList()
                .forEach(k -> out.add(k.toView()));
        return List.copyOf(out);
    }

    /** Replaces a key in service by a new one of the same type; the old one leaves the keystore. */
    @RolesAllowed(Roles.SECURITY_OFFICER)
    public KeyChange rotate(String repository, String role, String keyId) {
        return replace(repository, role, keyId, false, null);
    }

    /** As {@link #rotate}, recording the key as compromised for {@code reason} (1 to 500 characters). */
    @RolesAllowed(Roles.SECURITY_OFFICER)
    public KeyChange revoke(String repository, String role, String keyId, String reason) {
        return replace(repository, role, keyId, true, reason);
    }

    private KeyChange replace(String repository, String role, String keyId, boolean revoke, String reason) {
        String actor = context.getCallerPrincipal().getName();
        String action = revoke ? "key.revoke" : "key.rotate";
        String subject = shown(repository) + " " + shown(role) + " key " + shown(keyId);
        try {
            if (revoke && (reason == null || reason.isBlank() || reason.length() > MAX_REASON)) {
                throw new CustodyFailure("keys.reason-required", ErrorKind.INVALID_INPUT,
                        "a revocation needs a 'reason' of 1 to " + MAX_REASON + " characters");
            }
            OnlineKey old = findActive(repository, role, keyId);
            // A role the token holds gets its new key generated in the token; it is kept there when the publish adds it.
            SigningKey fresh = store(repository).newKey(role, typeOf(old.scheme()));
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            KeyChange change;
            if (repository.equals(IMAGE)) {
                KeyReplacement r = publisher.replaceOnlineKey(role, keyId, fresh);
                change = new KeyChange(IMAGE, role, keyId, fresh.keyId(), revoke, r.rootVersion(), r.signed());
            } else {
                long rootVersion = director.replaceKey(role, keyId, fresh);
                change = new KeyChange(DIRECTOR, role, keyId, fresh.keyId(), revoke, rootVersion,
                        List.of(rootVersion + ".root.json"));
            }
            em.persist(new RetiredKey(old, now, actor, revoke, revoke ? reason.strip() : null, fresh.keyId(),
                    change.rootVersion()));
            audit.record(actor, action, subject, Outcome.SUCCESS, "replaced by " + fresh.keyId() + "; "
                    + repository + " root version " + change.rootVersion() + "; signed " + change.signed()
                    + (revoke ? "; reason: " + reason.strip() : ""));
            return change;
        } catch (OtaException e) {
            audit.recordAttempt(actor, action, subject, Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    private OnlineKey findActive(String repository, String role, String keyId) {
        if (!IMAGE.equals(repository) && !DIRECTOR.equals(repository)) {
            throw new CustodyFailure("keys.unknown", ErrorKind.NOT_FOUND, "no repository '" + shown(repository)
                    + "': 'image' or 'director'");
        }
        if (IMAGE.equals(repository) && "root".equals(role)) {
            throw new CustodyFailure("keys.root-ceremony", ErrorKind.CONFLICT, "the image repository's root keys"
                    + " change in a root ceremony: propose a root version for its officers to sign");
        }
        Optional<OnlineKey> held = active(repository).stream()
                .filter(k -> k.role().equals(role) && k.keyId().equals(keyId)).findFirst();
        if (held.isPresent()) {
            return held.get();
        }
        boolean retired = keyId != null && em.find(RetiredKey.class, keyId) != null;
        throw retired
                ? new CustodyFailure("keys.retired", ErrorKind.CONFLICT, "key " + shown(keyId) + " was retired already")
                : new CustodyFailure("keys.unknown", ErrorKind.NOT_FOUND, "this server holds no " + shown(repository)
                        + " " + shown(role) + " key " + shown(keyId));
    }

    private static OnlineKeyStore store(String repository) {
        return repository.equals(IMAGE) ? OnlineKeyStore.configured() : OnlineKeyStore.director();
    }

    private static List<OnlineKey> active(String repository) {
        OnlineKeyStore store = store(repository);
        if (!store.exists()) {
            return List.of();
        }
        String inFile = "this server's keystore " + store.file().getFileName()
                + (repository.equals(IMAGE) ? "" : " (director)");
        List<OnlineKey> out = new ArrayList<>();
        for (HeldKey k : store.held()) {
            String holder = k.custody().equals(OnlineKeyStore.PKCS12) ? inFile : "this server";
            out.add(new OnlineKey(repository, k.role(), k.keyId(), k.keyType(), k.scheme(), k.created(), holder,
                    OnlineKey.ACTIVE, null, null, null, null, k.custody()));
        }
        return out;
    }

    private static KeyType typeOf(String scheme) {
        for (KeyType t : KeyType.values()) {
            if (t.scheme().equals(scheme)) {
                return t;
            }
        }
        return KeyType.ED25519;
    }

    private static String shown(String s) {
        if (s == null) {
            return "-";
        }
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }
}
