package dev.ota.repository;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.keys.KeyCustodyException;
import dev.ota.keys.OnlineKeys;
import dev.ota.tuf.TufException;
import dev.ota.tuf.json.PortableJson;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.Expiries;
import dev.ota.tuf.repository.InvalidTargetPathException;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The one place that signs and stores new metadata. A publish is one transaction: lock the head
 * row (so publishers on other servers wait), apply the changes with tuf-core (changed bins, then
 * snapshot, then timestamp), insert the new immutable rows, move the head last, audit. If anything
 * fails the transaction rolls back and the previous state stays served, untouched.
 * <p>
 * A publish reads only what it changes: the four top-level roles at the versions the head names,
 * and the bins its target paths hash to at the versions snapshot lists, each one indexed lookup on
 * (role, version); the other bins are neither read nor parsed (a partial
 * {@link RepositoryState}). Its cost therefore follows the number of changed bins, not the size
 * of the repository. Parsed files are kept by (role, version), which no publish on any server can
 * make stale, so a publish on an idle repository reads no metadata bytes at all.
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

    /**
     * Applies target changes and publishes them, or nothing at all.
     *
     * @param targets the files whose bytes the blob store holds, to index for serving
     */
    @PermitAll
    public PublishResult publish(List<TargetChange> changes, Map<String, StoredBlob> targets, String actor,
                                 String action, String subject) {
        requirePortable(changes);
        RepositoryHead head = lockHead();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
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
        audit.record(actor, action, subject, Outcome.SUCCESS, "signed " + summary(publication.changedRoles()));
        RepositoryState next = publication.state();
        return new PublishResult(next.snapshot().version(), next.timestamp().version(), publication.changedRoles());
    }

    /**
     * The last line behind the release catalogue's own checks: nothing is signed into a bin that tuf-js or
     * python-tuf could not verify (interop/KNOWN-GAPS.md). Target paths, the bins' object keys, are ASCII
     * ({@link ReleasePaths}) and so sort alike in every client; what varies is each target's description.
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
     * alone and never blocks the others; the outcome lists it for the {@link ExpiryWatch}.
     */
    @PermitAll
    public RefreshOutcome refreshExpiring() {
        RepositoryHead head = lockHead();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (head == null) {
            return new RefreshOutcome(List.of(), List.of(), now);
        }
        Expiries expiries = Settings.expiries();
        RepositoryState top = topLevel(head);
        // Only the bins that are due are read and parsed; the rest are known by their expiry column.
        Map<String, Instant> binExpiries = binExpiries(top);
        Map<String, Bytes> due = new HashMap<>();
        binExpiries.forEach((bin, expires) -> {
            if (!expires.isAfter(now.plus(expiries.refreshMargin(bin)))) {
                due.put(bin, content(bin, version(top, bin)));
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
                "re-signed " + summary(publication.changedRoles()));
        return new RefreshOutcome(publication.changedRoles(), roles, now);
    }

    /** The repository's roles, versions, expiries and key ids. */
    @PermitAll
    @Lock(LockType.READ)
    public RepositoryStatus status() {
        RepositoryHead head = em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID);
        if (head == null) {
            throw new RepositoryFailure("repository.absent", ErrorKind.UNAVAILABLE, "the repository is not bootstrapped");
        }
        RepositoryState state = topLevel(head);
        Root root = state.root().metadata();
        SuccinctRoles bins = state.targets().metadata().delegations().orElseThrow().succinctRoles().orElseThrow();
        Keyring held;
        try {
            held = keys.forRefresh(RepositoryBootstrap.RELEASES_ROLE);
        } catch (KeyCustodyException e) {
            // No usable keystore: this server re-signs nothing, which is exactly what the status must show.
            held = new Keyring(List.of(), List.of(), List.of(), List.of(), List.of());
        }
        Instant now = Instant.now();
        ExpiryReport report = ExpiryReport.assess(RoleExpiry.of(state, binExpiries(state), held, Settings.expiries()),
                now, null, now, Settings.refreshCheckInterval().multipliedBy(2));
        List<RepositoryStatus.RoleStatus> roles = new java.util.ArrayList<>();
        for (ExpiryReport.Condition c : report.roles()) {
            RoleExpiry r = c.role();
            Role signers = Root.TOP_LEVEL_ROLES.contains(r.role()) ? root.role(r.role())
                    : new Role(bins.keyIds(), bins.threshold());
            roles.add(new RepositoryStatus.RoleStatus(r.role(), r.version(), r.expires(), signers.keyIds(),
                    signers.threshold(), r.serverCanResign(), c.condition(), c.warning()));
        }
        // Every listed target is a release that was not removed (uploads and removals are the only
        // changes), so the count comes from the release table instead of parsing every bin.
        long listed = em.createNamedQuery(Release.LISTED_COUNT, Long.class).getSingleResult();
        return new RepositoryStatus(roles, (int) bins.binCount(), Math.toIntExact(listed), report.warnings());
    }

    /** The target listed under {@code path} in the current state, if any. */
    @PermitAll
    @Lock(LockType.READ)
    public java.util.Optional<TargetFile> listed(String path) {
        RepositoryHead head = em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID);
        if (head == null) {
            return java.util.Optional.empty();
        }
        return stateFor(head, List.of(path)).target(path);
    }

    private RepositoryHead lockHead() {
        return em.find(RepositoryHead.class, RepositoryHead.SINGLETON_ID, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The top-level roles at the head's versions plus the bins that list {@code paths}. */
    private RepositoryState stateFor(RepositoryHead head, List<String> paths) {
        if (head == null) {
            throw new RepositoryFailure("repository.absent", ErrorKind.UNAVAILABLE, "the repository is not bootstrapped");
        }
        RepositoryState top = topLevel(head);
        Map<String, RoleFile<Targets>> held = new HashMap<>();
        Map<String, Bytes> load = new HashMap<>();
        for (String path : paths) {
            String role = top.roleFor(path);
            if (!held.containsKey(role) && !load.containsKey(role)) {
                long v = version(top, role);
                RoleFile<Targets> known = parsed.bin(role, v);
                if (known != null) {
                    held.put(role, known);
                } else {
                    load.put(role, content(role, v));
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

    /** A partial state holding no bin: the four top-level files at the head's versions. */
    private RepositoryState topLevel(RepositoryHead head) {
        RepositoryState known = parsed.top(head);
        if (known != null) {
            return known;
        }
        RepositoryState top = RepositoryState.loadPartial(content("root", head.rootVersion()),
                content("targets", head.targetsVersion()), Map.of(), content("snapshot", head.snapshotVersion()),
                content("timestamp", head.timestampVersion()));
        parsed.keepTop(top);
        return top;
    }

    /**
     * Parsed files by role and version. A stored version never changes, so an entry can never be
     * stale, whoever moves the head: a publish still reads the head row (under its lock) and looks
     * up exactly the versions named there and in snapshot. It only saves reading and parsing the
     * same bytes again; bins are kept least-recently-used, a bounded number.
     */
    private static final class ParsedFiles {
        private static final int MAX_BINS = 64;
        private volatile RepositoryState top;
        private final Map<String, RoleFile<Targets>> bins = new java.util.LinkedHashMap<>(MAX_BINS, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RoleFile<Targets>> eldest) {
                return size() > MAX_BINS;
            }
        };

        RepositoryState top(RepositoryHead head) {
            RepositoryState t = top;
            boolean same = t != null && t.root().version() == head.rootVersion()
                    && t.targets().version() == head.targetsVersion()
                    && t.snapshot().version() == head.snapshotVersion()
                    && t.timestamp().version() == head.timestampVersion();
            return same ? t : null;
        }

        void keepTop(RepositoryState state) {
            top = state.delegated().isEmpty() ? state : new RepositoryState(state.root(), state.targets(), Map.of(),
                    state.snapshot(), state.timestamp(), false);
        }

        synchronized RoleFile<Targets> bin(String role, long version) {
            RoleFile<Targets> f = bins.get(role);
            return f != null && f.version() == version ? f : null;
        }

        synchronized void keepBin(RoleFile<Targets> file) {
            bins.put(file.role(), file);
        }
    }

    private final ParsedFiles parsed = new ParsedFiles();

    private static long version(RepositoryState state, String role) {
        MetaFile listed = state.snapshot().metadata().metaFor(role);
        if (listed == null) {
            throw new IllegalStateException("snapshot " + state.snapshot().version() + " does not list " + role);
        }
        return listed.version();
    }

    /** One row's bytes by its unique (role, version): an index lookup. */
    private Bytes content(String role, long version) {
        List<byte[]> rows = em.createNamedQuery(SignedMetadata.CONTENT_BY_ROLE_AND_VERSION, byte[].class)
                .setParameter("role", role).setParameter("version", Math.toIntExact(version)).getResultList();
        if (rows.isEmpty()) {
            throw new IllegalStateException("the store lacks version " + version + " of " + role
                    + " that the current head refers to");
        }
        return Bytes.of(rows.get(0));
    }

    /** Each bin's expiry from its row's expires column (one index lookup per bin; nothing parsed). */
    private Map<String, Instant> binExpiries(RepositoryState state) {
        Map<String, Instant> out = new TreeMap<>();
        for (String name : state.snapshot().metadata().meta().keySet()) {
            String role = name.substring(0, name.length() - ".json".length());
            if (role.equals("targets")) {
                continue;
            }
            List<Instant> rows = em.createNamedQuery(SignedMetadata.EXPIRES_BY_ROLE_AND_VERSION, Instant.class)
                    .setParameter("role", role).setParameter("version", Math.toIntExact(version(state, role)))
                    .getResultList();
            if (rows.isEmpty()) {
                throw new IllegalStateException("the store lacks " + role + " as listed by the current snapshot");
            }
            out.put(role, rows.get(0));
        }
        return out;
    }

    /** "releases-00, ... (256 roles), snapshot, timestamp": an audit line stays short for a bulk import. */
    private static String summary(List<String> roles) {
        if (roles.size() <= 8) {
            return roles.toString();
        }
        return "[" + String.join(", ", roles.subList(0, 3)) + ", ... (" + roles.size() + " roles), "
                + String.join(", ", roles.subList(roles.size() - 2, roles.size())) + "]";
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
