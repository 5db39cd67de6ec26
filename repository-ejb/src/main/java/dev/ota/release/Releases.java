package dev.ota.release;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.publishing.FaultInjection;
import dev.ota.publishing.PublishResult;
import dev.ota.publishing.RepositoryPublisher;
import dev.ota.repository.RepositoryFailure;
import dev.ota.repository.Settings;
import dev.ota.repository.Shown;
import dev.ota.serving.BlobStore;
import dev.ota.serving.StoredBlob;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.PortableJson;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.TargetChange;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Releases: upload (streamed into the blob store, then published as a target in one transaction),
 * list, show and remove. Validation happens before any byte is stored or any metadata signed; a
 * refused request leaves the served repository byte-identical and is recorded in the audit log.
 */
@Stateless
public class Releases {
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_~-]{0,99}");
    private static final Pattern HARDWARE_ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._:-]{0,99}");
    /** 16 ids of 100 characters and their commas fit the 2,000 characters of {@code release.hardware_ids}. */
    static final int MAX_HARDWARE_IDS = 16;
    /** The length of {@code release.custom_json}, which holds {@link #storedCustom} of the fields. */
    private static final int MAX_CUSTOM = 8000;
    /** What an audit entry keeps of a refusal's message (the audit detail column holds 2,000). */
    private static final int MAX_AUDITED_MESSAGE = 1800;
    /** Paths per query when checking many at once (an IN list on the indexed target_path). */
    private static final int PATHS_PER_QUERY = 500;
    /** Derived rollback paths checked per query ({@link #unusedRollbackPath}). */
    private static final int ROLLBACK_PATHS_PER_QUERY = 20;
    static final String COUNTER_FIELD = "releaseCounter";
    static final String ROLLBACK_OF_FIELD = "rollbackOf";
    /** Fair: uploads of one product line get their counters in the order they finished arriving. */
    private static final java.util.concurrent.locks.ReentrantLock PUBLISHING_HERE =
            new java.util.concurrent.locks.ReentrantLock(true);

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private RepositoryPublisher publisher;

    @EJB
    private AuditLog audit;

    @jakarta.inject.Inject
    private java.time.Clock clock;

    @Resource
    private SessionContext context;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    /**
     * Streams the body to a staging file, hashing it on the way, and publishes it under the upload's
     * target path. Runs outside a transaction while streaming (a large upload must not hold one
     * open); the publish that follows is one transaction of its own, which moves the bytes into the
     * content-addressed store. A refused or failed upload leaves no new blob behind.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public ReleaseView upload(ReleaseUpload upload, InputStream body) {
        String actor = context.getCallerPrincipal().getName();
        BlobStore.Staged staged = null;
        try {
            long max = Settings.maxUploadBytes();
            Checked checked = validate(upload, max);
            staged = BlobStore.inDataDirectory().stage(body, max, "the upload");
            StoredBlob blob = staged.blob();
            if (upload.declaredLength() >= 0 && upload.declaredLength() != blob.length()) {
                throw new RepositoryFailure("release.truncated", ErrorKind.INVALID_INPUT, "received " + blob.length()
                        + " bytes but Content-Length announced " + upload.declaredLength());
            }
            java.nio.file.Path file = staged.file();
            return oneAtATimeHere(() -> self().publishNew(upload, checked, file, blob, actor));
        } catch (OtaException e) {
            auditRefusal(actor, "release.upload", Shown.text(upload.targetPath()), e);
            throw e;
        } finally {
            // Moved into the store by a publish that committed; otherwise still staged, and it goes.
            if (staged != null) {
                BlobStore.discard(staged.file());
            }
        }
    }

    /**
     * The transactional half of an upload: take the publish lock, refuse a listed path, give the release its
     * counter, publish, move the staged bytes into the store (deleted again if this transaction rolls back and
     * they were new), record the release.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public ReleaseView publishNew(ReleaseUpload upload, Checked checked, java.nio.file.Path stagedFile,
                                  StoredBlob blob, String actor) {
        return publisher.publishWith(p -> publishNewLocked(upload, checked, stagedFile, blob, actor, p));
    }

    private ReleaseView publishNewLocked(ReleaseUpload upload, Checked checked, java.nio.file.Path stagedFile,
                                         StoredBlob blob, String actor, RepositoryPublisher.Publishing p) {
        refuseListed(upload.targetPath());
        long counter = counters().assign(upload.hardwareIds(), checked.releaseCounter());
        TargetFile file = targetFile(blob, checked.custom(), upload.version(), upload.hardwareIds(), counter);
        PublishResult result = p.publish(List.of(TargetChange.add(upload.targetPath(), file)),
                Map.of(upload.targetPath(), blob));
        audit.record(actor, "release.upload", upload.targetPath(), Outcome.SUCCESS,
                "release counter " + counter + "; signed " + result.changedRolesInShort());
        placeUntilRollback(List.of(new BlobStore.Staged(stagedFile, blob)));
        Release release = new Release(upload.targetPath(), blob.sha256(), blob.length(), upload.version(),
                upload.hardwareIds(), counter, storedCustom(checked.custom()), actor, clock.instant(),
                Math.toIntExact(result.snapshotVersion()));
        em.persist(release);
        em.flush();
        return release.toView();
    }

    /**
     * Rollback as a re-release (fleet.md, "Rollback is a re-release"): publishes the bytes of release {@code id}
     * again under a new target path, with the next release counter of its product line and
     * {@code custom.rollbackOf} naming the original's path; same version text and hardware ids. Devices that
     * run a higher counter than the original accept this one, and the release role's signature is the
     * permission. One transaction, as an upload's publish; refusals are audited.
     *
     * @param targetPath the new path; null or blank derives one ({@link ReleasePaths#rollbackPath})
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public ReleaseView rollback(long id, String targetPath) {
        String actor = context.getCallerPrincipal().getName();
        try {
            return oneAtATimeHere(() -> self().publishRollback(id, targetPath, actor));
        } catch (OtaException e) {
            auditRefusal(actor, "release.rollback", "release " + id, e);
            throw e;
        }
    }

    /** The transactional half of a rollback, under the publish lock as an upload's. */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public ReleaseView publishRollback(long id, String targetPath, String actor) {
        return publisher.publishWith(p -> publishRollbackLocked(id, targetPath, actor, p));
    }

    private ReleaseView publishRollbackLocked(long id, String targetPath, String actor,
                                              RepositoryPublisher.Publishing p) {
        ReleaseView original = find(id).toView();
        StoredBlob blob = new StoredBlob(original.sha256(), original.length());
        if (!BlobStore.inDataDirectory().holds(blob)) {
            throw new RepositoryFailure("release.bytes-missing", ErrorKind.CONFLICT, "the blob store no longer "
                    + "holds the bytes of release " + id + "; upload the file again instead");
        }
        String path = targetPath == null || targetPath.isBlank() ? unusedRollbackPath(original.targetPath())
                : ReleasePaths.requireValid(targetPath);
        refuseListed(path);
        Map<String, JsonValue> fields = new LinkedHashMap<>(customOf(original).members());
        // A counter kept in custom by a release made before counters were a field of their own is not this one's.
        fields.remove(COUNTER_FIELD);
        fields.put(ROLLBACK_OF_FIELD, JsonValue.of(original.targetPath()));
        JsonValue.JsonObject custom = new JsonValue.JsonObject(fields);
        if (storedCustom(custom).length() > MAX_CUSTOM) {
            throw new RepositoryFailure("release.invalid-custom", ErrorKind.INVALID_INPUT, "the original's custom "
                    + "fields and rollbackOf exceed " + MAX_CUSTOM + " characters of JSON");
        }
        long counter = counters().assign(original.hardwareIds(), OptionalLong.empty());
        PublishResult result = p.publish(List.of(TargetChange.add(path, targetFile(blob, custom,
                original.version(), original.hardwareIds(), counter))), Map.of(path, blob));
        audit.record(actor, "release.rollback", path, Outcome.SUCCESS, "re-release of " + original.targetPath()
                + " (release " + id + ") with release counter " + counter + "; signed "
                + result.changedRolesInShort());
        Release release = new Release(path, blob.sha256(), blob.length(), original.version(),
                original.hardwareIds(), counter, storedCustom(custom), actor, clock.instant(),
                Math.toIntExact(result.snapshotVersion()));
        em.persist(release);
        em.flush();
        return release.toView();
    }

    /**
     * Runs a publishing transaction of this class after the ones this server already runs, to its commit. They
     * would otherwise all wait on the head row's lock at once, and the database ends a wait after its lock
     * timeout (about a second on H2); queued here they wait without a bound, and only servers of a cluster
     * still meet at the row lock, one transaction each.
     */
    private static <T> T oneAtATimeHere(java.util.function.Supplier<T> publishing) {
        PUBLISHING_HERE.lock();
        try {
            return publishing.get();
        } finally {
            PUBLISHING_HERE.unlock();
        }
    }

    /**
     * The highest counter each hardware id used, removed releases included. Read under the publish locks
     * ({@link RepositoryPublisher#publishWith}): the counter a release gets and its row are committed before any
     * other publish, on any server, reads them, so two releases of a product line never get the same counter.
     */
    private ReleaseCounters counters() {
        Map<String, Long> perSet = new LinkedHashMap<>();
        for (Object[] row : em.createNamedQuery(Release.HIGHEST_COUNTER_PER_HARDWARE_SET, Object[].class)
                .getResultList()) {
            perSet.put((String) row[0], ((Number) row[1]).longValue());
        }
        return ReleaseCounters.ofHardwareSets(perSet);
    }

    private void refuseListed(String path) {
        List<String> listed = em.createNamedQuery(Release.LISTED_PATHS_FOLDED_AMONG, String.class)
                .setParameter("folded", List.of(ReleasePaths.folded(path))).setMaxResults(1).getResultList();
        if (!listed.isEmpty()) {
            throw alreadyListed(path, listed.get(0), "");
        }
    }

    /** The first derived rollback path no release ever used, removed ones included (a client may cache a path). */
    private String unusedRollbackPath(String original) {
        for (int first = 1; first < 1000; first += ROLLBACK_PATHS_PER_QUERY) {
            List<String> candidates = new ArrayList<>();
            for (int n = first; n < first + ROLLBACK_PATHS_PER_QUERY; n++) {
                candidates.add(ReleasePaths.rollbackPath(original, n));
            }
            java.util.Set<String> used = new java.util.HashSet<>();
            em.createNamedQuery(Release.PATHS_FOLDED_AMONG, String.class)
                    .setParameter("folded", candidates.stream().map(ReleasePaths::folded).toList()).getResultList()
                    .forEach(p -> used.add(ReleasePaths.folded(p)));
            for (String c : candidates) {
                if (!used.contains(ReleasePaths.folded(c))) {
                    return ReleasePaths.requireValid(c);
                }
            }
        }
        throw new RepositoryFailure("release.rollback-path", ErrorKind.CONFLICT, "no free rollback path derives from '"
                + original + "'; give one");
    }

    private static JsonValue.JsonObject customOf(ReleaseView release) {
        return release.customJson().isBlank() ? new JsonValue.JsonObject(Map.of()) : (JsonValue.JsonObject) Json.parse(
                release.customJson().getBytes(java.nio.charset.StandardCharsets.UTF_8), "custom");
    }

    /**
     * The target as signed: the release's custom fields plus version, hardware ids and release counter, which
     * devices read from there (device-protocol ReleaseFields).
     */
    private static TargetFile targetFile(StoredBlob blob, JsonValue.JsonObject custom, String version,
                                         List<String> hardwareIds, long releaseCounter) {
        Map<String, JsonValue> fields = new LinkedHashMap<>(custom.members());
        fields.put("version", JsonValue.of(version));
        fields.put("hardwareIds", new JsonValue.JsonArray(hardwareIds.stream().map(h -> (JsonValue) JsonValue.of(h))
                .toList()));
        fields.put(COUNTER_FIELD, JsonValue.of(releaseCounter));
        return new TargetFile(blob.length(), Map.of("sha256", blob.sha256()),
                Optional.of(new JsonValue.JsonObject(fields)), Map.of());
    }

    /**
     * Moves staged files into the content-addressed store before the commit (a listed target must
     * never lack its bytes); if the transaction rolls back, the blobs this call created are deleted
     * again. A concurrent upload of identical bytes that found one of them already stored would lose
     * it too; the window is this transaction's own commit.
     */
    private void placeUntilRollback(List<BlobStore.Staged> staged) {
        List<java.nio.file.Path> created = new java.util.concurrent.CopyOnWriteArrayList<>();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    created.forEach(BlobStore::discard);
                }
            }
        });
        BlobStore store = BlobStore.inDataDirectory();
        for (BlobStore.Staged s : staged) {
            java.nio.file.Path placed = store.place(s);
            if (placed != null) {
                created.add(placed);
            }
        }
    }

    /**
     * Imports every file of a tar archive as a release, in one publish, or none at all (see
     * {@link ReleaseArchive} for the format). The archive is read and every file staged outside a
     * transaction (a large import must not hold one open while bytes arrive); then one transaction
     * refuses paths already listed, publishes, moves the staged blobs into the store and records the
     * releases. A refused archive leaves the served repository byte-identical, no new blob in the
     * store and nothing staged, and is recorded once in the audit log.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public ImportResult importArchive(ReleaseImport defaults, InputStream archive) {
        String actor = context.getCallerPrincipal().getName();
        List<ReleaseArchive.Entry> entries = List.of();
        try {
            entries = ReleaseArchive.read(archive, new ReleaseArchive.Description(defaults.version(),
                    defaults.hardwareIds(), defaults.customJson()), BlobStore.inDataDirectory(),
                    Settings.maxUploadBytes(), Settings.maxImportEntries());
            List<ReleaseArchive.Entry> read = entries;
            return oneAtATimeHere(() -> self().publishImport(read, actor));
        } catch (OtaException e) {
            auditRefusal(actor, "release.import", "archive", e);
            throw e;
        } finally {
            // Placed blobs were moved away; whatever is still staged (a failure) goes.
            ReleaseArchive.discard(entries);
        }
    }

    /** The transactional half of an import; the staged blobs are placed as for an upload ({@link #placeUntilRollback}). */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public ImportResult publishImport(List<ReleaseArchive.Entry> entries, String actor) {
        return publisher.publishWith(p -> publishImportLocked(entries, actor, p));
    }

    private ImportResult publishImportLocked(List<ReleaseArchive.Entry> entries, String actor,
                                             RepositoryPublisher.Publishing p) {
        List<String> paths = entries.stream().map(ReleaseArchive.Entry::path).toList();
        List<String> folded = paths.stream().map(ReleasePaths::folded).toList();
        for (int i = 0; i < paths.size(); i += PATHS_PER_QUERY) {
            List<String> listed = em.createNamedQuery(Release.LISTED_PATHS_FOLDED_AMONG, String.class)
                    .setParameter("folded", folded.subList(i, Math.min(paths.size(), i + PATHS_PER_QUERY)))
                    .setMaxResults(1).getResultList();
            if (!listed.isEmpty()) {
                ReleaseArchive.Entry at = entries.get(folded.indexOf(ReleasePaths.folded(listed.get(0))));
                throw alreadyListed(at.path(), listed.get(0), "entry " + at.index() + " (" + at.path() + "): ");
            }
        }
        List<TargetChange> changes = new ArrayList<>(entries.size());
        Map<String, StoredBlob> blobs = new LinkedHashMap<>();
        // In archive order: releases of one product line get increasing counters as they come.
        ReleaseCounters counters = counters();
        long[] assigned = new long[entries.size()];
        long bytes = 0;
        int i = 0;
        for (ReleaseArchive.Entry e : entries) {
            try {
                assigned[i] = counters.assign(e.hardwareIds(), e.releaseCounter());
            } catch (RepositoryFailure f) {
                throw new RepositoryFailure(f.code(), f.kind(), "entry " + e.index() + " (" + e.path() + "): "
                        + f.getMessage());
            }
            StoredBlob blob = e.staged().blob();
            changes.add(TargetChange.add(e.path(), targetFile(blob, e.custom(), e.version(), e.hardwareIds(),
                    assigned[i++])));
            blobs.put(e.path(), blob);
            bytes += blob.length();
        }
        String subject = entries.size() == 1 ? paths.get(0) : entries.size() + " releases: " + paths.get(0)
                + " ... " + paths.get(paths.size() - 1);
        PublishResult result = p.publish(changes, blobs);
        audit.record(actor, "release.import", subject.length() > 1000 ? subject.substring(0, 1000) : subject,
                Outcome.SUCCESS, "signed " + result.changedRolesInShort());

        placeUntilRollback(entries.stream().map(ReleaseArchive.Entry::staged).toList());
        // Blobs are in the store now; a crash here must take the new ones away again.
        FaultInjection.point(FaultInjection.IMPORT_AFTER_BLOBS_PLACED);
        // Flushed and detached in chunks: 100,000 managed releases would only cost heap until commit.
        em.flush();
        Instant now = clock.instant();
        int snapshot = Math.toIntExact(result.snapshotVersion());
        int n = 0;
        for (ReleaseArchive.Entry e : entries) {
            em.persist(new Release(e.path(), e.staged().blob().sha256(), e.staged().blob().length(), e.version(),
                    e.hardwareIds(), assigned[n], e.customJson(), actor, now, snapshot));
            if (++n % PATHS_PER_QUERY == 0) {
                em.flush();
                em.clear();
            }
        }
        em.flush();
        return new ImportResult(entries.size(), bytes, result.snapshotVersion(), result.timestampVersion(),
                result.changedRoles().size());
    }

    /** Every release, newest first, removed ones included (their removal is part of the history). */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR, Roles.SECURITY_OFFICER})
    public List<ReleaseView> list(int offset, int limit) {
        return em.createNamedQuery(Release.ALL_NEWEST_FIRST, Release.class)
                .setFirstResult(Math.max(0, offset)).setMaxResults(Math.max(1, Math.min(limit, 1000)))
                .getResultList().stream().map(Release::toView).toList();
    }

    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR, Roles.SECURITY_OFFICER})
    public ReleaseView show(long id) {
        return find(id).toView();
    }

    /** Stops listing a release's target: bins, snapshot and timestamp re-signed in one transaction. */
    /**
     * The release listed (not removed) at exactly {@code targetPath}: what the image repository lists there. For
     * the director, which checks an assignment against it before signing.
     */
    @jakarta.annotation.security.PermitAll
    public Optional<ReleaseView> listed(String targetPath) {
        return em.createNamedQuery(Release.LISTED_AT, Release.class).setParameter("path", targetPath)
                .setMaxResults(1).getResultList().stream().findFirst().map(Release::toView);
    }

    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public ReleaseView remove(long id) {
        String actor = context.getCallerPrincipal().getName();
        try {
            Release release = find(id);
            if (release.toView().removedAt() != null) {
                throw new RepositoryFailure("release.already-removed", ErrorKind.CONFLICT, "release " + id
                        + " was removed " + release.toView().removedAt());
            }
            PublishResult result = publisher.publish(List.of(TargetChange.remove(release.targetPath())), Map.of());
            audit.record(actor, "release.remove", release.targetPath(), Outcome.SUCCESS,
                    "signed " + result.changedRolesInShort());
            release.markRemoved(actor, clock.instant());
            return release.toView();
        } catch (OtaException e) {
            // Probing for ids, or removing twice, is a refused change like any other: on the record.
            auditRefusal(actor, "release.remove", "release " + id, e);
            throw e;
        }
    }

    /** Records a refused upload, import or removal in a transaction of its own (the caller's rolls back). */
    private void auditRefusal(String actor, String action, String subject, OtaException e) {
        audit.recordAttempt(actor, action, subject, Outcome.FAILED,
                Shown.forAudit(e.code() + ": " + e.getMessage(), MAX_AUDITED_MESSAGE));
    }

    /**
     * A path is refused while a listed one equals it exactly ({@code release.duplicate}) or ignoring letter
     * case ({@code release.path-confusable}, see {@link ReleasePaths}).
     */
    private static RepositoryFailure alreadyListed(String path, String listed, String at) {
        if (listed.equals(path)) {
            return new RepositoryFailure("release.duplicate", ErrorKind.CONFLICT, at + "a release is already "
                    + "published as '" + path + "'; remove it first or choose another path");
        }
        return new RepositoryFailure("release.path-confusable", ErrorKind.CONFLICT, at + "'" + path
                + "' differs from the listed '" + listed + "' only in letter case, so the two would be taken for "
                + "one another; remove the listed release first or choose another path");
    }

    /**
     * The custom fields as the release row keeps them: canonical JSON with control characters escaped, so the
     * text parses again and holds no NUL (which PostgreSQL text cannot store).
     */
    static String storedCustom(JsonValue.JsonObject custom) {
        return new String(CanonicalJson.toParsableJson(CanonicalJson.encode(custom)),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private Release find(long id) {
        Release r = em.find(Release.class, id);
        if (r == null) {
            throw new RepositoryFailure("release.not-found", ErrorKind.NOT_FOUND, "no release " + id);
        }
        return r;
    }

    private Releases self() {
        return context.getBusinessObject(Releases.class);
    }

    /**
     * The checks of a single upload; a bulk import applies them to every entry. Each limit is checked here,
     * before the database, so nothing reaches a column it does not fit.
     */
    static Checked validate(ReleaseUpload upload, long max) {
        ReleasePaths.requireValid(upload.targetPath());
        if (upload.version() == null || !VERSION.matcher(upload.version()).matches()) {
            throw new RepositoryFailure("release.invalid-version", ErrorKind.INVALID_INPUT,
                    "a version is 1 to 100 characters of 0-9 A-Z a-z . + _ ~ -, starting with a letter or digit");
        }
        if (upload.hardwareIds().size() > MAX_HARDWARE_IDS) {
            throw new RepositoryFailure("release.invalid-hardware-id", ErrorKind.INVALID_INPUT, "a release names at "
                    + "most " + MAX_HARDWARE_IDS + " hardware ids; got " + upload.hardwareIds().size());
        }
        List<String> seen = new ArrayList<>();
        for (String h : upload.hardwareIds()) {
            if (h == null || !HARDWARE_ID.matcher(h).matches() || seen.contains(h)) {
                throw new RepositoryFailure("release.invalid-hardware-id", ErrorKind.INVALID_INPUT,
                        "hardware ids are distinct, 1 to 100 characters of 0-9 A-Z a-z . _ : -, starting with a "
                                + "letter or digit; got " + Shown.text(h));
            }
            seen.add(h);
        }
        if (upload.declaredLength() < ReleaseUpload.NOT_DECLARED) {
            throw new RepositoryFailure("release.invalid-length", ErrorKind.INVALID_INPUT, "the Content-Length header "
                    + "is not a length (decimal digits only); the upload was not read");
        }
        if (upload.declaredLength() > max) {
            throw new RepositoryFailure("release.too-large", ErrorKind.TOO_LARGE,
                    "the upload announces " + upload.declaredLength() + " bytes; the limit is " + max
                            + " (OTA_MAX_UPLOAD_BYTES)");
        }
        OptionalLong given = upload.releaseCounter() == null ? OptionalLong.empty()
                : OptionalLong.of(upload.releaseCounter());
        if (upload.customJson() == null || upload.customJson().isBlank()) {
            ReleaseCounters.requireValid(given);
            return new Checked(new JsonValue.JsonObject(Map.of()), given);
        }
        if (upload.customJson().length() > MAX_CUSTOM) {
            throw new RepositoryFailure("release.invalid-custom", ErrorKind.INVALID_INPUT,
                    "custom fields are at most " + MAX_CUSTOM + " characters of JSON");
        }
        JsonValue parsed;
        try {
            parsed = Json.parse(upload.customJson().getBytes(java.nio.charset.StandardCharsets.UTF_8), "custom");
        } catch (RuntimeException e) {
            throw new RepositoryFailure("release.invalid-custom", ErrorKind.INVALID_INPUT,
                    "custom must be a JSON object without floats: " + Shown.forAudit(e.getMessage(), 500));
        }
        if (!(parsed instanceof JsonValue.JsonObject o)) {
            throw new RepositoryFailure("release.invalid-custom", ErrorKind.INVALID_INPUT, "custom must be a JSON object");
        }
        if (o.has("version") || o.has("hardwareIds")) {
            throw new RepositoryFailure("release.invalid-custom", ErrorKind.INVALID_INPUT,
                    "custom must not set 'version' or 'hardwareIds'; they have their own parameters");
        }
        // The signed bin must verify in every common TUF client, tuf-js and python-tuf included.
        Optional<PortableJson.Problem> problem = PortableJson.firstProblem(o);
        if (problem.isPresent()) {
            throw new RepositoryFailure("release.custom-not-portable", ErrorKind.INVALID_INPUT, "custom "
                    + Shown.forAudit(problem.get().toString(), 600));
        }
        if (o.has(COUNTER_FIELD)) {
            // How counters were given before they were a parameter of their own; taken as that parameter.
            OptionalLong inCustom = o.get(COUNTER_FIELD) instanceof JsonValue.JsonNumber n && n.value().bitLength() < 64
                    ? OptionalLong.of(n.value().longValue()) : OptionalLong.empty();
            if (inCustom.isEmpty() || (given.isPresent() && given.getAsLong() != inCustom.getAsLong())) {
                throw new RepositoryFailure("release.invalid-counter", ErrorKind.INVALID_INPUT, "custom.releaseCounter "
                        + "must be an integer and, when the releaseCounter parameter is given too, equal to it; "
                        + "better give the counter as the parameter alone");
            }
            given = inCustom;
            Map<String, JsonValue> rest = new LinkedHashMap<>(o.members());
            rest.remove(COUNTER_FIELD);
            o = new JsonValue.JsonObject(rest);
        }
        ReleaseCounters.requireValid(given);
        if (storedCustom(o).length() > MAX_CUSTOM) {
            throw new RepositoryFailure("release.invalid-custom", ErrorKind.INVALID_INPUT, "custom fields are at most "
                    + MAX_CUSTOM + " characters of JSON once control characters are escaped");
        }
        return new Checked(o, given);
    }

    /**
     * An upload's fields as checked: the custom fields to keep (without {@code releaseCounter}) and the counter
     * the upload gives, empty when the server is to assign the next one.
     */
    public record Checked(JsonValue.JsonObject custom, OptionalLong releaseCounter) {
    }
}
