package dev.ota.publishing;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.keys.OnlineKeyStore;
import dev.ota.repository.Settings;
import dev.ota.serving.RepositoryHead;
import dev.ota.serving.ServedFiles;
import dev.ota.serving.SignedMetadata;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.repository.Delegation;
import dev.ota.tuf.repository.MetadataFile;
import dev.ota.tuf.repository.Publication;
import dev.ota.tuf.repository.Publisher;
import dev.ota.tuf.repository.RepositoryConfig;
import dev.ota.tuf.repository.RepositoryState;
import dev.ota.tuf.repository.RoleKeySet;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Creates the repository on a database that holds none: one ed25519 key each for root, targets,
 * snapshot, timestamp and the online {@code releases} role, version 1 of every role signed by
 * tuf-core with consistent snapshots, top-level targets delegating to {@code releases} through
 * succinct hash bins (TAP 15). Keys go to the PKCS#12 keystore (with OTA_KEY_CUSTODY=pkcs11 the online
 * roles' keys are ECDSA P-256 generated in the token instead), metadata rows and the head to the
 * database, all in one transaction; if it rolls back, the new keystore and token keys are deleted again.
 */
@Stateless
public class RepositoryBootstrap {
    private static final Logger LOG = Logger.getLogger(RepositoryBootstrap.class.getName());
    /** The online role that lists releases; its bins are named {@code releases-00} ... */
    public static final String RELEASES_ROLE = "releases";

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @jakarta.inject.Inject
    private ServedFiles served;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    @jakarta.inject.Inject
    private java.time.Clock clock;

    /** Creates the repository unless the database holds one; true if it did. */
    @PermitAll
    public boolean createIfAbsent() {
        RepositoryHead existing = em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID);
        if (existing != null) {
            LOG.info(() -> "repository present: root version " + existing.rootVersion() + ", timestamp version "
                    + existing.timestampVersion());
            return false;
        }
        int bins = Settings.binCount();
        Delegation.HashBins delegation = new Delegation.HashBins(RELEASES_ROLE, Integer.numberOfTrailingZeros(bins));
        OnlineKeyStore keyStore = OnlineKeyStore.configured();
        Map<String, List<SigningKey>> keys = new LinkedHashMap<>();
        for (String role : List.of("root", "targets", "snapshot", "timestamp", RELEASES_ROLE)) {
            // In a token (OTA_KEY_CUSTODY=pkcs11) the online roles' keys are generated there, ECDSA P-256.
            keys.put(role, List.of(keyStore.newKey(role, KeyType.DEFAULT)));
        }
        RepositoryConfig config = new RepositoryConfig(set(keys, "root"), set(keys, "targets"), set(keys, "snapshot"),
                set(keys, "timestamp"), set(keys, RELEASES_ROLE), delegation, Settings.expiries());
        // TUF expiry has one-second resolution; signing at a whole second keeps stored and signed times equal.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Publication publication = Publisher.create(config, now);

        keyStore.create(keys, now);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    served.invalidate();
                } else {
                    keyStore.discardUncommitted();
                }
            }
        });

        for (MetadataFile f : publication.files()) {
            em.persist(new SignedMetadata(f.role(), Math.toIntExact(f.version()), f.expires(), f.bytes().toArray(), now));
        }
        RepositoryState state = publication.state();
        em.persist(new RepositoryHead(version(state.root().version()), version(state.timestamp().version()),
                version(state.snapshot().version()), version(state.targets().version()), now));
        audit.record("system", "repository.bootstrap", "repository", Outcome.SUCCESS,
                "version 1 of root, targets, " + bins + " hash bins of '" + RELEASES_ROLE + "', snapshot, timestamp;"
                        + " key ids " + keyIds(keys));
        LOG.info(() -> "bootstrapped a new TUF repository: " + publication.files().size() + " metadata files, "
                + bins + " hash bins; trust anchor /metadata/1.root.json");
        LOG.warning(() -> "Embedded mode: the root and targets keys are online in " + keyStore.file()
                + ". For production, replace root with an offline root held by security officers.");
        return true;
    }

    private static RoleKeySet set(Map<String, List<SigningKey>> keys, String role) {
        return new RoleKeySet(keys.get(role), 1);
    }

    private static int version(long v) {
        return Math.toIntExact(v);
    }

    private static String keyIds(Map<String, List<SigningKey>> keys) {
        StringBuilder sb = new StringBuilder();
        keys.forEach((role, list) -> sb.append(role).append('=')
                .append(list.stream().map(SigningKey::keyId).toList()).append(' '));
        return sb.toString().strip();
    }
}
