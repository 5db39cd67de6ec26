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
            JsonValue.JsonObject custom = validate(upload, max);
            staged = BlobStore.inDataDirectory().stage(body, max, "the upload");
            StoredBlob blob = staged.blob();
            if (upload.declaredLength() >= 0 && upload.declaredLength() != blob.length()) {
                throw new RepositoryFailure("release.truncated", ErrorKind.INVALID_INPUT, "received " + blob.length()
                        + " bytes but Content-Length announced " + upload.declaredLength());
            }
            Map<String, JsonValue> fields = new LinkedHashMap<>(custom.members());
            fields.put("version", JsonValue.of(upload.version()));
            fields.put("hardwareIds", new JsonValue.JsonArray(upload.hardwareIds().stream()
                    .map(h -> (JsonValue) JsonValue.of(h)).toList()));
            TargetFile file = new TargetFile(blob.length(), Map.of("sha256", blob.sha256()),
                    Optional.of(new JsonValue.JsonObject(fields)), Map.of());
            return self().publishNew(upload, storedCustom(custom), staged.file(), blob, file, actor);
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
     * The transactional half of an upload: refuse a listed path, publish, move the staged bytes
     * into the store (deleted again if this transaction rolls back and they were new), record the release.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public ReleaseView publishNew(ReleaseUpload upload, String customJson, java.nio.file.Path stagedFile,
                                  StoredBlob blob, TargetFile file, String actor) {
        List<String> listed = em.createNamedQuery(Release.LISTED_PATHS_FOLDED_AMONG, String.class)
                .setParameter("folded", List.of(ReleasePaths.folded(upload.targetPath()))).setMaxResults(1)
                .getResultList();
        if (!listed.isEmpty()) {
            throw alreadyListed(upload.targetPath(), listed.get(0), "");
        }
        PublishResult result = publisher.publish(List.of(TargetChange.add(upload.targetPath(), file)),
                Map.of(upload.targetPath(), blob));
        audit.record(actor, "release.upload", upload.targetPath(), Outcome.SUCCESS,
                "signed " + result.changedRolesInShort());
        placeUntilRollback(List.of(new BlobStore.Staged(stagedFile, blob)));
        Release release = new Release(upload.targetPath(), blob.sha256(), blob.length(), upload.version(),
                upload.hardwareIds(), customJson, actor, clock.instant(), Math.toIntExact(result.snapshotVersion()));
        em.persist(release);
        em.flush();
        return release.toView();
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
            return self().publishImport(entries, actor);
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
        long bytes = 0;
        for (ReleaseArchive.Entry e : entries) {
            Map<String, JsonValue> fields = new LinkedHashMap<>(e.custom().members());
            fields.put("version", JsonValue.of(e.version()));
            fields.put("hardwareIds", new JsonValue.JsonArray(e.hardwareIds().stream()
                    .map(h -> (JsonValue) JsonValue.of(h)).toList()));
            StoredBlob blob = e.staged().blob();
            changes.add(TargetChange.add(e.path(), new TargetFile(blob.length(), Map.of("sha256", blob.sha256()),
                    Optional.of(new JsonValue.JsonObject(fields)), Map.of())));
            blobs.put(e.path(), blob);
            bytes += blob.length();
        }
        String subject = entries.size() == 1 ? paths.get(0) : entries.size() + " releases: " + paths.get(0)
                + " ... " + paths.get(paths.size() - 1);
        PublishResult result = publisher.publish(changes, blobs);
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
                    e.hardwareIds(), e.customJson(), actor, now, snapshot));
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
    static JsonValue.JsonObject validate(ReleaseUpload upload, long max) {
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
        if (upload.customJson() == null || upload.customJson().isBlank()) {
            return new JsonValue.JsonObject(Map.of());
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
        if (storedCustom(o).length() > MAX_CUSTOM) {
            throw new RepositoryFailure("release.invalid-custom", ErrorKind.INVALID_INPUT, "custom fields are at most "
                    + MAX_CUSTOM + " characters of JSON once control characters are escaped");
        }
        return o;
    }
}
