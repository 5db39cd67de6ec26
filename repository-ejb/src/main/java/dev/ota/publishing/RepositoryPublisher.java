package dev.ota.publishing;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.keys.OnlineKeyStore;
import dev.ota.keys.OnlineKeys;
import dev.ota.repository.RepositoryFailure;
import dev.ota.repository.Settings;
import dev.ota.repository.Shown;
import dev.ota.serving.ParsedMetadata;
import dev.ota.serving.RepositoryHead;
import dev.ota.serving.ServedFiles;
import dev.ota.serving.SignedMetadata;
import dev.ota.serving.StoredBlob;
import dev.ota.serving.StoredMetadata;
import dev.ota.serving.TargetFileRecord;
import dev.ota.tuf.TufException;
import dev.ota.tuf.json.PortableJson;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.repository.Expiries;
import dev.ota.tuf.repository.InvalidTargetPathException;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.repository.KeyRotation;
import dev.ota.tuf.repository.Keyring;
import dev.ota.tuf.repository.MetadataFile;
import dev.ota.tuf.repository.NoDelegationForTargetException;
import dev.ota.tuf.repository.Publication;
import dev.ota.tuf.repository.Publisher;
import dev.ota.tuf.repository.RepositoryState;
import dev.ota.tuf.repository.RoleFile;
import dev.ota.tuf.repository.TargetAlreadyListedException;
import dev.ota.tuf.repository.TargetChange;
import dev.ota.tuf.repository.TargetNotListedException;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import jakarta.annotation.PostConstruct;
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
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The one place that signs and stores new metadata. A publish is one transaction: lock the head
 * row (so publishers on other servers wait), apply the changes with tuf-core (changed bins, then
 * snapshot, then timestamp), insert the new immutable rows, move the head last. If anything
 * fails the transaction rolls back and the previous state stays served, untouched.
 * <p>
 * A publish reads only what it changes: the four top-level roles at the versions the head names,
 * and the bins its target paths hash to at the versions snapshot lists, each one indexed lookup on
 * (role, version); the other bins are neither read nor parsed (a partial
 * {@link RepositoryState}). Its cost therefore follows the number of changed bins, not the size
 * of the repository. Parsed files are kept by (role, version), which no publish on any server can
 * make stale, so a publish on an idle repository reads no metadata bytes at all.
 * <p>
 * Reading what the repository is now is {@link dev.ota.expiry.RepositoryReader RepositoryReader}'s job, which
 * never waits for this lock.
 */
@Singleton
@Lock(LockType.WRITE)
public class RepositoryPublisher {
    private static final Logger LOG = Logger.getLogger(RepositoryPublisher.class.getName());
    /** Target rows are looked up this many paths per query when a publish lists many targets. */
    private static final int PATHS_PER_QUERY = 500;

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

    @jakarta.inject.Inject
    private Clock clock;

    @jakarta.inject.Inject
    private ParsedMetadata parsed;

    /**
     * Applies target changes and publishes them, or nothing at all. The caller, who publishes on a person's
     * behalf, records the change in the audit log in the same transaction.
     *
     * @param targets the files whose bytes the blob store holds, to index for serving
     */
    @PermitAll
    public PublishResult publish(List<TargetChange> changes, Map<String, StoredBlob> targets) {
        return publishLocked(lockHead(), changes, targets);
    }

    /** One publish of {@link #publishWith}'s work, made under the locks that method already holds. */
    @FunctionalInterface
    public interface Publishing {
        PublishResult publish(List<TargetChange> changes, Map<String, StoredBlob> targets);
    }

    /**
     * Runs {@code work} holding both publish locks, this server's (the bean's write lock) and the database's (the
     * head row), in the caller's transaction; {@code work} publishes through the {@link Publishing} it is given.
     * For a caller that must read what a publish depends on (the highest release counters) after no other
     * publish can commit. Such a caller must not take the head row itself and then call {@link #publish}: it
     * would hold the row while waiting for this bean, as a refresh holds this bean while waiting for the row,
     * and on PostgreSQL, which has no lock timeout, both would wait for ever.
     */
    @PermitAll
    public <T> T publishWith(java.util.function.Function<Publishing, T> work) {
        RepositoryHead head = lockHead();
        return work.apply((changes, targets) -> publishLocked(head, changes, targets));
    }

    private PublishResult publishLocked(RepositoryHead head, List<TargetChange> changes,
                                        Map<String, StoredBlob> targets) {
        requirePortable(changes);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Publication publication;
        try {
            RepositoryState state = stateFor(head, changes.stream().map(TargetChange::path).toList());
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
        indexTargets(targets, now);
        store(publication, head, now);
        RepositoryState next = publication.state();
        return new PublishResult(next.snapshot().version(), next.timestamp().version(), publication.changedRoles());
    }

    /**
     * The last line behind the release catalogue's own checks: nothing is signed into a bin that tuf-js or
     * python-tuf could not verify (interop/KNOWN-GAPS.md). Target paths, the bins' object keys, are ASCII
     * ({@link dev.ota.release.ReleasePaths}) and so sort alike in every client; what varies is each target's description.
     */
    private static void requirePortable(List<TargetChange> changes) {
        for (TargetChange c : changes) {
            TargetFile file = c instanceof TargetChange.Add a ? a.file()
                    : c instanceof TargetChange.Replace r ? r.file() : null;
            if (file == null) {
                continue;
            }
            java.util.Optional<PortableJson.Problem> problem = file.custom().flatMap(PortableJson::firstProblem);
            if (problem.isPresent()) {
                throw new RepositoryFailure("release.custom-not-portable", ErrorKind.INVALID_INPUT, "target "
                        + Shown.text(c.path()) + ": custom " + Shown.forAudit(problem.get().toString(), 600));
            }
        }
    }

    /**
     * Re-signs every role due within its margin ({@link Expiries#refreshMargin}) that this server
     * holds the keys for: what keeps clients from ever seeing expired metadata without any new
     * release. A due role whose keys are offline (root, top-level targets in production) is left
     * alone and never blocks the others; the outcome lists it for the {@link dev.ota.expiry.ExpiryWatch ExpiryWatch}.
     */
    @PermitAll
    public RefreshOutcome refreshExpiring() {
        RepositoryHead head = lockHead();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (head == null) {
            return new RefreshOutcome(List.of(), List.of(), now);
        }
        Expiries expiries = Settings.expiries();
        RepositoryState top = stored.topLevel(head);
        // Only the bins that are due are read and parsed; the rest are known by their expiry column.
        Map<String, Instant> binExpiries = stored.binExpiries(top);
        Map<String, Bytes> due = new HashMap<>();
        binExpiries.forEach((bin, expires) -> {
            if (!expires.isAfter(now.plus(expiries.refreshMargin(bin)))) {
                due.put(bin, stored.content(bin, StoredMetadata.version(top, bin)));
            }
        });
        RepositoryState state = due.isEmpty() ? top : top.withDelegated(due);
        Keyring keyring = keys.forRefresh(RepositoryBootstrap.RELEASES_ROLE);
        Publication publication = Publisher.refreshDue(state, keyring, expiries, now);
        RepositoryState next = publication.state();
        next.delegated().forEach((bin, f) -> binExpiries.put(bin, f.expires()));
        List<RoleExpiry> roles = RoleExpiry.of(next, binExpiries, keyring, expiries);
        if (!publication.changed()) {
            return new RefreshOutcome(List.of(), roles, now);
        }
        store(publication, head, now);
        audit.record("system", "repository.refresh", "expiring metadata", Outcome.SUCCESS,
                "re-signed " + PublishResult.summary(publication.changedRoles()));
        return new RefreshOutcome(publication.changedRoles(), roles, now);
    }

    /**
     * Replaces the online key {@code oldKeyId} of {@code role} (timestamp, snapshot, top-level targets, or the
     * delegated {@value RepositoryBootstrap#RELEASES_ROLE} role) by {@code newKey} in one publication
     * ({@link KeyRotation}): for a top-level role root N+1 lists the new key and not the old one, signed by the
     * root keys this server holds; for the delegated role top-level targets does, signed by the targets keys held.
     * The role is re-signed under the new key in the same transaction. The new key enters the keystore before
     * the commit; after the commit the old key is deleted from it, after a rollback the new one.
     * <p>
     * Refused (409) when the keys that must sign the change are not on this server: root offline (officers hold
     * it, after a root ceremony) means the change is a root <em>proposal</em> for the officers to sign instead.
     */
    @PermitAll
    public KeyReplacement replaceOnlineKey(String role, String oldKeyId, SigningKey newKey) {
        if (!ROTATABLE.contains(role)) {
            throw new RepositoryFailure("keys.not-online", ErrorKind.INVALID_INPUT, "'" + Shown.text(role)
                    + "' is not an online role of the image repository; online roles: " + ROTATABLE
                    + " (root's own keys change in a root ceremony)");
        }
        RepositoryHead head = lockHead();
        if (head == null) {
            throw new RepositoryFailure("repository.absent", ErrorKind.UNAVAILABLE, "the repository is not bootstrapped");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        RepositoryState top = stored.topLevel(head);
        Keyring held = keys.forRefresh(RepositoryBootstrap.RELEASES_ROLE);
        boolean delegated = role.equals(RepositoryBootstrap.RELEASES_ROLE);
        if (!delegated && !held.canSign(top, "root")) {
            throw new RepositoryFailure("keys.root-offline", ErrorKind.CONFLICT, "root is offline; propose a root version"
                    + " that lists a new " + role + " key for the root's officers to sign");
        }
        if (delegated && !held.canSign(top, "targets")) {
            throw new RepositoryFailure("keys.targets-offline", ErrorKind.CONFLICT, "top-level targets is offline: a "
                    + "targets ceremony is required, since a new " + role + " key needs a new targets version that its "
                    + "officers sign (POST /portal/api/v1/targets/proposals); this server never signs targets online");
        }
        Keyring withNew = replaced(held, role, oldKeyId, newKey);
        Publication publication;
        try {
            if (delegated) {
                Map<String, Bytes> bins = new HashMap<>();
                stored.binExpiries(top).keySet().forEach(bin -> bins.put(bin, stored.content(bin, StoredMetadata.version(top, bin))));
                publication = KeyRotation.rotateDelegated(top.withDelegated(bins), oldKeyId, newKey.publicKey(), withNew,
                        Settings.expiries(), now);
            } else {
                publication = KeyRotation.rotateTopLevel(top, role, oldKeyId, newKey.publicKey(), withNew,
                        Settings.expiries(), now);
            }
        } catch (IllegalArgumentException e) {
            throw new RepositoryFailure("keys.unknown", ErrorKind.NOT_FOUND, "role " + role + " does not list key "
                    + Shown.text(oldKeyId));
        } catch (TufException e) {
            throw new RepositoryFailure("repository.signing-failed", ErrorKind.UNAVAILABLE,
                    "the repository could not sign the key change: " + e.getMessage(), e);
        }
        OnlineKeyStore keystore = OnlineKeyStore.configured();
        keystore.add(role, newKey, now);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                // The retired key leaves the keystore only once no served metadata needs it; a rollback takes the
                // new key out again, so the keystore always matches what is served.
                try {
                    if (status == Status.STATUS_COMMITTED) {
                        keystore.remove(role, oldKeyId);
                    } else {
                        keystore.remove(role, newKey.keyId());
                    }
                } catch (RuntimeException e) {
                    LOG.severe(() -> "the keystore could not be tidied after a key rotation (" + e.getMessage()
                            + "); remove the " + role + " key " + (status == Status.STATUS_COMMITTED ? oldKeyId
                            : newKey.keyId()) + " from it by hand");
                }
            }
        });
        store(publication, head, now);
        return new KeyReplacement(publication.state().root().version(), publication.changedRoles());
    }

    /**
     * Once a published root no longer lists a root or top-level targets key this server holds (the online key handed
     * to officers), that private key leaves the keystore after the commit: clients still on the old root trust it, so
     * it must not stay where a thief could find it, and the server must never sign that role with it again.
     */
    private void forgetKeysDroppedBy(Root root, Keyring held) {
        Map<String, List<String>> dropped = new HashMap<>();
        for (String role : List.of("root", "targets")) {
            List<String> ids = held.forRole(role).stream().map(SigningKey::keyId)
                    .filter(id -> !root.role(role).keyIds().contains(id)).toList();
            if (!ids.isEmpty()) dropped.put(role, ids);
        }
        if (dropped.isEmpty()) {
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    return;
                }
                dropped.forEach((role, ids) -> ids.forEach(id -> {
                    try {
                        OnlineKeyStore.configured().remove(role, id);
                    } catch (RuntimeException e) {
                        LOG.severe(() -> role + " key " + id + ", which the published root no longer lists, could not"
                                + " be removed from the keystore (" + e.getMessage() + "); remove it by hand");
                    }
                }));
            }
        });
    }

    /** The roles whose keys {@link #replaceOnlineKey} replaces. */
    public static final List<String> ROTATABLE = List.of("timestamp", "snapshot", "targets", RepositoryBootstrap.RELEASES_ROLE);

    private static Keyring replaced(Keyring held, String role, String oldKeyId, SigningKey newKey) {
        java.util.function.Function<List<SigningKey>, List<SigningKey>> swap = list -> {
            List<SigningKey> out = new ArrayList<>();
            list.stream().filter(k -> !k.keyId().equals(oldKeyId)).forEach(out::add);
            out.add(newKey);
            return out;
        };
        return switch (role) {
            case "timestamp" -> new Keyring(held.root(), held.targets(), held.snapshot(), swap.apply(held.timestamp()),
                    held.delegated());
            case "snapshot" -> new Keyring(held.root(), held.targets(), swap.apply(held.snapshot()), held.timestamp(),
                    held.delegated());
            case "targets" -> new Keyring(held.root(), swap.apply(held.targets()), held.snapshot(), held.timestamp(),
                    held.delegated());
            default -> new Keyring(held.root(), held.targets(), held.snapshot(), held.timestamp(),
                    swap.apply(held.delegated()));
        };
    }

    /**
     * Publishes root N+1 as officers signed it, in one transaction with whatever its key changes require: when the
     * keys of top-level targets change, targets is re-signed under them (then snapshot and timestamp); when those of
     * snapshot or timestamp change, snapshot and timestamp are (clients that see the new root drop their trusted
     * ones, TUF 5.3.11). The caller audits.
     *
     * When root N+1 hands top-level targets to officers' keys, {@code signedTargets} is targets N+1 as they signed it
     * under those keys, published in the same transaction (then snapshot and timestamp): the server signs no targets.
     * Once the published root no longer lists a targets or root key this server holds, that key leaves the keystore.
     *
     * @throws RepositoryFailure {@code ceremony.superseded} if the served root is no longer version N,
     *         {@code ceremony.threshold-not-met} if the file does not carry both thresholds
     */
    @PermitAll
    public PublishResult publishRoot(RoleFile<Root> next, java.util.Optional<RoleFile<Targets>> signedTargets) {
        RepositoryHead head = lockHead();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        RepositoryState top = stored.topLevel(head);
        Root old = top.root().metadata();
        if (next.version() != old.version() + 1) {
            throw new RepositoryFailure("ceremony.superseded", ErrorKind.CONFLICT, "the repository serves root version "
                    + old.version() + "; a proposal for version " + next.version() + " can no longer be published");
        }
        // Checked here again as every client will check it (TUF 5.3.4), whatever the caller counted.
        var tally = dev.ota.tuf.repository.RootCeremony.tally(old, next.signed().withSignatures(List.of()),
                next.signed().signatures());
        if (!tally.complete()) {
            throw new RepositoryFailure("ceremony.threshold-not-met", ErrorKind.CONFLICT,
                    "root " + (old.version() + 1) + " is not signed by both thresholds");
        }
        Root root = next.metadata();
        RepositoryState state = new RepositoryState(next, top.targets(), top.delegated(), top.snapshot(), top.timestamp(),
                top.complete());
        Publication publication = new Publication(state, List.of(next.toFile(state.consistentSnapshot())));
        Keyring keyring = keys.forRefresh(RepositoryBootstrap.RELEASES_ROLE);
        if (signedTargets.isPresent() && signedTargets.get().version() != top.targets().version() + 1) {
            // Targets was re-signed online since the officers' targets proposal was made.
            throw new RepositoryFailure("ceremony.superseded", ErrorKind.CONFLICT, "the repository serves targets version "
                    + top.targets().version() + "; the targets proposal going with this root is for version "
                    + signedTargets.get().version() + ": propose the root again");
        }
        try {
            if (signedTargets.isPresent()) {
                publication = publication.followedBy(Publisher.publishSignedTargets(state, signedTargets.get(), keyring,
                        Settings.expiries(), now));
            } else if (!RoleKeys.ofTopLevel(old, "targets").equals(RoleKeys.ofTopLevel(root, "targets"))) {
                publication = publication.followedBy(Publisher.resign(state, List.of("targets"), keyring,
                        Settings.expiries(), now));
            } else if (!RoleKeys.ofTopLevel(old, "snapshot").equals(RoleKeys.ofTopLevel(root, "snapshot"))
                    || !RoleKeys.ofTopLevel(old, "timestamp").equals(RoleKeys.ofTopLevel(root, "timestamp"))) {
                publication = publication.followedBy(Publisher.refreshSnapshot(state, keyring, Settings.expiries(), now));
            }
        } catch (TufException | IllegalArgumentException e) {
            throw new RepositoryFailure("ceremony.role-unreachable", ErrorKind.CONFLICT,
                    "the roles that change with the new root cannot be signed: " + e.getMessage());
        }
        store(publication, head, now);
        forgetKeysDroppedBy(root, keyring);
        RepositoryState after = publication.state();
        return new PublishResult(after.snapshot().version(), after.timestamp().version(), publication.changedRoles());
    }

    /**
     * Publishes top-level targets N+1 as officers signed it offline (a targets ceremony), then snapshot and timestamp
     * signed online, in one transaction. The server's keys sign no targets here. The caller audits.
     *
     * @throws RepositoryFailure {@code ceremony.superseded} if the served targets is no longer version N,
     *         {@code ceremony.threshold-not-met} if the file does not carry the served root's targets threshold
     */
    @PermitAll
    public PublishResult publishTargets(RoleFile<Targets> signedTargets) {
        RepositoryHead head = lockHead();
        if (head == null) {
            throw new RepositoryFailure("repository.absent", ErrorKind.UNAVAILABLE, "the repository is not bootstrapped");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        RepositoryState top = stored.topLevel(head);
        Publication publication;
        try {
            // Checked again here as every client will check it (TUF 5.6.3), whatever the caller counted.
            publication = Publisher.publishSignedTargets(top, signedTargets, keys.forRefresh(RepositoryBootstrap.RELEASES_ROLE),
                    Settings.expiries(), now);
        } catch (IllegalArgumentException e) {
            throw new RepositoryFailure("ceremony.superseded", ErrorKind.CONFLICT, "the repository serves targets version "
                    + top.targets().version() + "; " + e.getMessage());
        } catch (dev.ota.tuf.repository.InsufficientSigningKeysException e) {
            throw new RepositoryFailure("ceremony.threshold-not-met", ErrorKind.CONFLICT, e.getMessage());
        } catch (TufException e) {
            throw new RepositoryFailure("repository.signing-failed", ErrorKind.UNAVAILABLE,
                    "the repository could not sign snapshot and timestamp: " + e.getMessage(), e);
        }
        store(publication, head, now);
        RepositoryState after = publication.state();
        return new PublishResult(after.snapshot().version(), after.timestamp().version(), publication.changedRoles());
    }

    /** The rows the head names, through the parse cache (the entity manager and the cache are both proxies). */
    private StoredMetadata stored;

    @PostConstruct
    void readThroughTheParseCache() {
        stored = new StoredMetadata(em, parsed);
    }

    private RepositoryHead lockHead() {
        return em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The top-level roles at the head's versions plus the bins that list {@code paths}. */
    private RepositoryState stateFor(RepositoryHead head, List<String> paths) {
        if (head == null) {
            throw new RepositoryFailure("repository.absent", ErrorKind.UNAVAILABLE, "the repository is not bootstrapped");
        }
        RepositoryState top = stored.topLevel(head);
        Map<String, RoleFile<Targets>> held = new HashMap<>();
        Map<String, Bytes> load = new HashMap<>();
        for (String path : paths) {
            String role = top.roleFor(path);
            if (!held.containsKey(role) && !load.containsKey(role)) {
                long v = StoredMetadata.version(top, role);
                RoleFile<Targets> known = parsed.bin(role, v);
                if (known != null) {
                    held.put(role, known);
                } else {
                    load.put(role, stored.content(role, v));
                }
            }
        }
        RepositoryState state = held.isEmpty() ? top
                : new RepositoryState(top.root(), top.targets(), held, top.snapshot(), top.timestamp(), false);
        if (!load.isEmpty()) {
            state = state.withDelegated(load);
            for (String role : load.keySet()) {
                parsed.keepBin(state.delegated().get(role));
            }
        }
        return state;
    }

    /**
     * Records the (path, sha256) of each published target for serving, unless already recorded
     * (a path re-listed with bytes it had before). Many targets are looked up in chunks of paths,
     * each an index range scan on the (path, sha256) unique constraint.
     */
    private void indexTargets(Map<String, StoredBlob> targets, Instant now) {
        if (targets.isEmpty()) {
            return;
        }
        Set<String> known = new HashSet<>();
        List<String> paths = new ArrayList<>(targets.keySet());
        for (int i = 0; i < paths.size(); i += PATHS_PER_QUERY) {
            List<String> chunk = paths.subList(i, Math.min(paths.size(), i + PATHS_PER_QUERY));
            for (Object[] row : em.createNamedQuery(TargetFileRecord.PATH_AND_SHA256_BY_PATHS, Object[].class)
                    .setParameter("paths", chunk).getResultList()) {
                known.add(row[0] + "\n" + row[1]);
            }
        }
        targets.forEach((path, blob) -> {
            if (!known.contains(path + "\n" + blob.sha256())) {
                em.persist(new TargetFileRecord(path, blob.sha256(), blob.length(), now));
            }
        });
    }

    /** Inserts the new rows in publish order, then moves the head: the last write of the transaction. */
    private void store(Publication publication, RepositoryHead head, Instant now) {
        // Written to the database step by step in TUF's publish order (root, targets roles, snapshot,
        // timestamp), each step flushed, so that a crash between any two steps leaves rows the
        // transaction never commits: the integration tests halt the server at each of these points.
        String step = null;
        for (MetadataFile f : publication.files()) {
            String next = FaultInjection.publishStep(f.role());
            if (step != null && !step.equals(next)) {
                em.flush();
                FaultInjection.point(FaultInjection.AFTER + step);
            }
            em.persist(new SignedMetadata(f.role(), Math.toIntExact(f.version()), f.expires(), f.bytes().toArray(), now));
            step = next;
        }
        em.flush();
        // Every new row is written; a crash here must leave the previous head served.
        FaultInjection.point(FaultInjection.BEFORE_HEAD_MOVE);
        RepositoryState next = publication.state();
        head.moveTo(Math.toIntExact(next.root().version()), Math.toIntExact(next.timestamp().version()),
                Math.toIntExact(next.snapshot().version()), Math.toIntExact(next.targets().version()), now);
        em.flush();
        FaultInjection.point(FaultInjection.BEFORE_COMMIT);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    parsed.keepTop(next);
                    next.delegated().values().forEach(parsed::keepBin);
                    served.invalidate();
                } else {
                    LOG.warning(() -> "publish rolled back; the previous repository state stays served");
                }
            }
        });
    }
}
