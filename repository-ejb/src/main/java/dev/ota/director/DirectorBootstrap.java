package dev.ota.director;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.keys.OnlineKeyStore;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Creates the director on a database that holds none, as {@code RepositoryBootstrap} creates the image
 * repository: one ed25519 key per top-level role into the director's own keystore (with OTA_KEY_CUSTODY=pkcs11, one
 * ECDSA P-256 key per role generated in the token), version 1 of its root into
 * the database, in one transaction; if that rolls back, the new keystore is deleted again. Per-device files come
 * later, when a device gets its first order or first fetches.
 */
@Stateless
public class DirectorBootstrap {
    private static final Logger LOG = Logger.getLogger(DirectorBootstrap.class.getName());

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    @Inject
    private Clock clock;

    /** Creates the director unless the database holds its root; true if it did. */
    @PermitAll
    public boolean createIfAbsent() {
        long roots = em.createNamedQuery(DirectorRoot.COUNT, Long.class).getSingleResult();
        if (roots > 0) {
            return false;
        }
        OnlineKeyStore keyStore = OnlineKeyStore.director();
        // In a token (OTA_KEY_CUSTODY=pkcs11) all four are generated there, ECDSA P-256.
        DirectorKeys keys = new DirectorKeys(List.of(keyStore.newKey("root", KeyType.DEFAULT)),
                List.of(keyStore.newKey("targets", KeyType.DEFAULT)), List.of(keyStore.newKey("snapshot", KeyType.DEFAULT)),
                List.of(keyStore.newKey("timestamp", KeyType.DEFAULT)));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        DirectorMetadata.SignedFile root = DirectorMetadata.root(keys, now);

        Map<String, List<SigningKey>> byRole = new LinkedHashMap<>();
        DirectorKeys.ROLES.forEach(role -> byRole.put(role, keys.of(role)));
        keyStore.create(byRole, now);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    keyStore.discardUncommitted();
                }
            }
        });
        em.persist(new DirectorRoot(1, root.expires(), root.bytes(), now));
        StringBuilder ids = new StringBuilder();
        byRole.forEach((role, list) -> ids.append(role).append('=')
                .append(list.stream().map(SigningKey::keyId).toList()).append(' '));
        audit.record("system", "director.bootstrap", "director", Outcome.SUCCESS,
                "version 1 of the director root; key ids " + ids.toString().strip());
        LOG.info(() -> "bootstrapped the director: root version 1, keys in " + keyStore.file()
                + "; trust anchor /director/root/1.root.json");
        return true;
    }
}
