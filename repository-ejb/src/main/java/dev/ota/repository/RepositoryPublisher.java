package dev.ota.repository;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.keys.OnlineKeys;
import dev.ota.tuf.TufException;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.InvalidTargetPathException;
import dev.ota.tuf.repository.MetadataFile;
import dev.ota.tuf.repository.NoDelegationForTargetException;
import dev.ota.tuf.repository.Publication;
import dev.ota.tuf.repository.Publisher;
import dev.ota.tuf.repository.RepositoryState;
import dev.ota.tuf.repository.TargetAlreadyListedException;
import dev.ota.tuf.repository.TargetChange;
import dev.ota.tuf.repository.TargetNotListedException;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The one place that signs and stores new metadata. A publish is one transaction: lock the head
 * row (so publishers on other servers wait), apply the changes with tuf-core (changed bins, then
 * snapshot, then timestamp), insert the new immutable rows, move the head last, audit. If anything
 * fails the transaction rolls back and the previous state stays served, untouched.
 * <p>
 * The current {@link RepositoryState} is kept in memory with the head generation it belongs to,
 * so a publish re-reads metadata only after another server moved the head: its cost follows the
 * number of changed bins, not the size of the repository.
 */
@Singleton
@Lock(LockType.WRITE)
public class RepositoryPublisher {
    private static final Logger LOG = Logger.getLogger(RepositoryPublisher.class.getName());
    private static final String CURRENT_ROWS = "SELECT m FROM SignedMetadata m WHERE m.version = "
            + "(SELECT MAX(m2.version) FROM SignedMetadata m2 WHERE m2.roleName = m.roleName)";

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private OnlineKeys keys;

    @jakarta.inject.Inject
    private ServedFiles served;

    @EJB
    private AuditLog audit;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    /** The state of one head generation; one volatile pair, written after commit. */
    private record Cached(long generation, RepositoryState state) {
    }

    private volatile Cached cached = new Cached(-1, null);

    /**
     * Applies target changes and publishes them, or nothing at all.
     *
     * @param targets the files whose bytes the blob store holds, to index for serving
     */
    @PermitAll
    public PublishResult publish(List<TargetChange> changes, Map<String, StoredBlob> targets, String actor,
                                 String action, String subject) {
        RepositoryHead head = lockHead();
        RepositoryState state = stateAt(head);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Publication publication;
        try {
            publication = Publisher.publish(state, changes,
                    keys.forPublishing(RepositoryBootstrap.RELEASES_ROLE), Settings.expiries(), now);
        } catch (InvalidTargetPathException e) {
            throw new RepositoryFailure("release.invalid-path", ErrorKind.INVALID_INPUT, e.getMessage());
        } catch (TargetAlreadyListedException e) {
            throw new RepositoryFailure("release.duplicate", ErrorKind.CONFLICT, e.getMessage());
        } catch (TargetNotListedException e) {
            throw new RepositoryFailure("release.not-found", ErrorKind.NOT_FOUND, e.getMessage());
        } catch (NoDelegationForTargetException e) {
            throw new RepositoryFailure("release.no-delegation", ErrorKind.INVALID_INPUT, e.getMessage());
        } catch (TufException e) {
            throw new RepositoryFailure("repository.signing-failed", ErrorKind.UNAVAILABLE,
                    "the repository could not sign the change: " + e.getMessage(), e);
        }
        targets.forEach((path, blob) -> indexTarget(path, blob, now));
        store(publication, head, now);
        audit.record(actor, action, subject, Outcome.SUCCESS, "signed " + publication.changedRoles());
        RepositoryState next = publication.state();
        return new PublishResult(next.snapshot().version(), next.timestamp().version(), publication.changedRoles());
    }

    /**
     * Re-signs every role (except root, which needs its officers) that expires within {@code margin}:
     * what keeps clients from ever seeing expired metadata without any new release.
     *
     * @return the roles re-signed; empty when nothing was due
     */
    @PermitAll
    public List<String> refreshExpiring(Duration margin) {
        RepositoryHead head = lockHead();
        if (head == null) {
            return List.of();
        }
        RepositoryState state = stateAt(head);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Publication publication = Publisher.refreshExpiring(state, now.plus(margin),
                keys.forPublishing(RepositoryBootstrap.RELEASES_ROLE), Settings.expiries(), now);
        if (!publication.changed()) {
            return List.of();
        }
        store(publication, head, now);
        audit.record("system", "repository.refresh", "expiring metadata", Outcome.SUCCESS,
                "re-signed " + publication.changedRoles());
        return publication.changedRoles();
    }

    /** The repository's roles, versions, expiries and key ids. */
    @PermitAll
    @Lock(LockType.READ)
    public RepositoryStatus status() {
        RepositoryHead head = em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID);
        if (head == null) {
            throw new RepositoryFailure("repository.absent", ErrorKind.UNAVAILABLE, "the repository is not bootstrapped");
        }
        Cached c = cached;
        RepositoryState state = c.generation() == head.generation() ? c.state() : load();
        Root root = state.root().metadata();
        List<RepositoryStatus.RoleStatus> roles = new java.util.ArrayList<>();
        roles.add(top(root, "root", state.root().version(), state.root().expires()));
        roles.add(top(root, "targets", state.targets().version(), state.targets().expires()));
        roles.add(top(root, "snapshot", state.snapshot().version(), state.snapshot().expires()));
        roles.add(top(root, "timestamp", state.timestamp().version(), state.timestamp().expires()));
        SuccinctRoles bins = state.targets().metadata().delegations().orElseThrow().succinctRoles().orElseThrow();
        long maxVersion = 0;
        Instant soonest = Instant.MAX;
        int listed = 0;
        for (var f : state.delegated().values()) {
            maxVersion = Math.max(maxVersion, f.version());
            soonest = f.expires().isBefore(soonest) ? f.expires() : soonest;
            listed += f.metadata().targets().size();
        }
        roles.add(new RepositoryStatus.RoleStatus(bins.namePrefix() + "-*", maxVersion, soonest, bins.keyIds(),
                bins.threshold()));
        return new RepositoryStatus(roles, (int) bins.binCount(), listed);
    }

    /** The target listed under {@code path} in the current state, if any. */
    @PermitAll
    @Lock(LockType.READ)
    public java.util.Optional<TargetFile> listed(String path) {
        RepositoryHead head = em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID);
        if (head == null) {
            return java.util.Optional.empty();
        }
        Cached c = cached;
        RepositoryState state = c.generation() == head.generation() ? c.state() : load();
        return state.target(path);
    }

    private static RepositoryStatus.RoleStatus top(Root root, String name, long version, Instant expires) {
        Role role = root.role(name);
        return new RepositoryStatus.RoleStatus(name, version, expires, role.keyIds(), role.threshold());
    }

    private RepositoryHead lockHead() {
        return em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID, LockModeType.PESSIMISTIC_WRITE);
    }

    private RepositoryState stateAt(RepositoryHead head) {
        if (head == null) {
            throw new RepositoryFailure("repository.absent", ErrorKind.UNAVAILABLE, "the repository is not bootstrapped");
        }
        Cached c = cached;
        if (c.generation() != head.generation() || c.state() == null) {
            c = new Cached(head.generation(), load());
            cached = c;
        }
        return c.state();
    }

    private RepositoryState load() {
        Map<String, Bytes> delegated = new HashMap<>();
        Bytes root = null;
        Bytes targets = null;
        Bytes snapshot = null;
        Bytes timestamp = null;
        for (SignedMetadata m : em.createQuery(CURRENT_ROWS, SignedMetadata.class).getResultList()) {
            Bytes b = Bytes.of(m.content());
            switch (m.roleName()) {
                case "root" -> root = b;
                case "targets" -> targets = b;
                case "snapshot" -> snapshot = b;
                case "timestamp" -> timestamp = b;
                default -> delegated.put(m.roleName(), b);
            }
        }
        return RepositoryState.load(root, targets, delegated, snapshot, timestamp);
    }

    private void indexTarget(String path, StoredBlob blob, Instant now) {
        boolean known = !em.createNamedQuery(TargetFileRecord.BY_PATH_AND_SHA256, TargetFileRecord.class)
                .setParameter("path", path).setParameter("sha256", blob.sha256()).getResultList().isEmpty();
        if (!known) {
            em.persist(new TargetFileRecord(path, blob.sha256(), blob.length(), now));
        }
    }

    /** Inserts the new rows in publish order, then moves the head: the last write of the transaction. */
    private void store(Publication publication, RepositoryHead head, Instant now) {
        for (MetadataFile f : publication.files()) {
            em.persist(new SignedMetadata(f.role(), Math.toIntExact(f.version()), f.expires(), f.bytes().toArray(), now));
        }
        em.flush();
        // Every new row is written; a crash here must leave the previous head served.
        FaultInjection.point(FaultInjection.BEFORE_HEAD_MOVE);
        RepositoryState next = publication.state();
        head.moveTo(Math.toIntExact(next.root().version()), Math.toIntExact(next.timestamp().version()),
                Math.toIntExact(next.snapshot().version()), Math.toIntExact(next.targets().version()), now);
        long generation = head.generation();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    cached = new Cached(generation, next);
                    served.invalidate();
                } else {
                    LOG.warning(() -> "publish rolled back; the previous repository state stays served");
                }
            }
        });
    }
}
