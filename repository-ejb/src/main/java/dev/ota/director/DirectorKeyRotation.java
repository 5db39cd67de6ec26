package dev.ota.director;

import dev.ota.error.ErrorKind;
import dev.ota.keys.OnlineKeyStore;
import dev.ota.tuf.TufException;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Replaces one of the director's online keys (all four of its roles are online) in one transaction: director root
 * N+1 lists the new key instead of the old one, signed by root N's keys (and the new root key when that is the one
 * replaced), and every device's files are marked due, so the next fetch signs them under the new keys (a device
 * walks to the new root first, TUF 5.3). The new key enters the director's keystore before the commit; after the
 * commit the old key is deleted from it, after a rollback the new one.
 */
@Stateless
public class DirectorKeyRotation {
    private static final Logger LOG = Logger.getLogger(DirectorKeyRotation.class.getName());

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private DirectorKeyring keyring;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    @Inject
    private Clock clock;

    /** The director root version now served; empty before the director's bootstrap. */
    @PermitAll
    public java.util.Optional<Root> currentRoot() {
        return em.createNamedQuery(DirectorRoot.NEWEST, DirectorRoot.class).setMaxResults(1).getResultList().stream()
                .findFirst().map(r -> Signed.parse(r.content(), Root.class, "director " + r.version() + ".root.json").signed());
    }

    /** @return the new director root's version */
    @PermitAll
    public long replaceKey(String role, String oldKeyId, SigningKey newKey) {
        if (!DirectorKeys.ROLES.contains(role)) {
            throw new DirectorFailure("keys.not-online", ErrorKind.INVALID_INPUT, "the director has no role '" + role
                    + "'; its roles: " + DirectorKeys.ROLES);
        }
        List<DirectorRoot> newest = em.createNamedQuery(DirectorRoot.NEWEST, DirectorRoot.class).setMaxResults(1)
                .getResultList();
        if (newest.isEmpty()) {
            throw new DirectorFailure("director.absent", ErrorKind.UNAVAILABLE, "the director is not bootstrapped");
        }
        // Locked to the commit: a second rotation waits here, then its insert of the same version fails rather than
        // publishing a root that skips this one's change.
        DirectorRoot latest = em.find(DirectorRoot.class, newest.get(0).version(), LockModeType.PESSIMISTIC_WRITE);
        long newestNow = em.createNamedQuery(DirectorRoot.NEWEST, DirectorRoot.class).setMaxResults(1).getResultList()
                .get(0).version();
        if (newestNow != latest.version()) {
            throw new DirectorFailure("keys.concurrent", ErrorKind.CONFLICT, "another key change published director root "
                    + newestNow + " meanwhile; read the keys again and retry");
        }
        Root current = Signed.parse(latest.content(), Root.class, "director root").signed();
        if (!current.role(role).keyIds().contains(oldKeyId)) {
            throw new DirectorFailure("keys.unknown", ErrorKind.NOT_FOUND, "the director's role " + role
                    + " does not list key " + (oldKeyId.length() > 64 ? oldKeyId.substring(0, 64) : oldKeyId));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        DirectorKeys held = keyring.keys();
        List<SigningKey> newRootKeys = held.root();
        if (role.equals("root")) {
            List<SigningKey> swapped = new ArrayList<>();
            held.root().stream().filter(k -> !k.keyId().equals(oldKeyId)).forEach(swapped::add);
            swapped.add(newKey);
            newRootKeys = swapped;
        }
        DirectorMetadata.SignedFile next;
        try {
            next = DirectorMetadata.nextRoot(current, role, oldKeyId, newKey.publicKey(), held.root(), newRootKeys, now);
        } catch (TufException | IllegalArgumentException e) {
            throw new DirectorFailure("director.signing-failed", ErrorKind.UNAVAILABLE,
                    "the director could not sign its new root: " + e.getMessage());
        }
        OnlineKeyStore keystore = OnlineKeyStore.director();
        keystore.add(role, newKey, now);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                try {
                    if (status == Status.STATUS_COMMITTED) {
                        keystore.remove(role, oldKeyId);
                    } else {
                        keystore.remove(role, newKey.keyId());
                    }
                } catch (RuntimeException e) {
                    LOG.severe(() -> "the director keystore could not be tidied after a key rotation (" + e.getMessage()
                            + "); remove the " + role + " key " + (status == Status.STATUS_COMMITTED ? oldKeyId
                            : newKey.keyId()) + " from it by hand");
                }
            }
        });
        em.persist(new DirectorRoot(Math.toIntExact(next.version()), next.expires(), next.bytes(), now));
        // Every device's files are signed again at its next fetch (DirectorMetadata.dueForResigning), under the keys
        // this root lists; files signed by the retired key are never served as current again.
        em.createQuery("UPDATE DirectorState s SET s.timestampExpires = :due").setParameter("due", now).executeUpdate();
        em.flush();
        return next.version();
    }
}
