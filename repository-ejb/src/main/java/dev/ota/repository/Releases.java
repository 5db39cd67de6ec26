package dev.ota.repository;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.InvalidTargetPathException;
import dev.ota.tuf.repository.TargetChange;
import dev.ota.tuf.repository.TargetPaths;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
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
    private static final int MAX_CUSTOM = 8000;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private RepositoryPublisher publisher;

    @EJB
    private AuditLog audit;

    @Resource
    private SessionContext context;

    /**
     * Streams the body into the blob store and publishes it under the upload's target path. Runs
     * outside a transaction while streaming (a large upload must not hold one open); the publish
     * that follows is one transaction of its own.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public ReleaseView upload(ReleaseUpload upload, InputStream body) {
        String actor = context.getCallerPrincipal().getName();
        try {
            long max = Settings.maxUploadBytes();
            JsonValue.JsonObject custom = validate(upload, max);
            StoredBlob blob = BlobStore.inDataDirectory().store(body, max);
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
            return self().publishNew(upload, CanonicalJson.encodeToString(custom), blob, file, actor);
        } catch (OtaException e) {
            audit.recordAttempt(actor, "release.upload", String.valueOf(upload.targetPath()), Outcome.FAILED,
                    e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /** The transactional half of an upload: refuse a listed path, publish, record the release. */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public ReleaseView publishNew(ReleaseUpload upload, String customJson, StoredBlob blob, TargetFile file,
                                  String actor) {
        if (!em.createNamedQuery(Release.LISTED_BY_PATH, Release.class).setParameter("path", upload.targetPath())
                .getResultList().isEmpty()) {
            throw new RepositoryFailure("release.duplicate", ErrorKind.CONFLICT, "a release is already published as '"
                    + upload.targetPath() + "'; remove it first or choose another path");
        }
        PublishResult result = publisher.publish(List.of(TargetChange.add(upload.targetPath(), file)),
                Map.of(upload.targetPath(), blob), actor, "release.upload", upload.targetPath());
        Release release = new Release(upload.targetPath(), blob.sha256(), blob.length(), upload.version(),
                upload.hardwareIds(), customJson, actor, Instant.now(), Math.toIntExact(result.snapshotVersion()));
        em.persist(release);
        em.flush();
        return release.toView();
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
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public ReleaseView remove(long id) {
        String actor = context.getCallerPrincipal().getName();
        Release release = find(id);
        if (release.toView().removedAt() != null) {
            throw new RepositoryFailure("release.already-removed", ErrorKind.CONFLICT, "release " + id + " was removed "
                    + release.toView().removedAt());
        }
        publisher.publish(List.of(TargetChange.remove(release.targetPath())), Map.of(), actor, "release.remove",
                release.targetPath());
        release.markRemoved(actor, Instant.now());
        return release.toView();
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

    private static JsonValue.JsonObject validate(ReleaseUpload upload, long max) {
        try {
            TargetPaths.requireValid(upload.targetPath());
        } catch (InvalidTargetPathException e) {
            throw new RepositoryFailure("release.invalid-path", ErrorKind.INVALID_INPUT, e.getMessage());
        }
        if (upload.targetPath().length() > 512) {
            throw new RepositoryFailure("release.invalid-path", ErrorKind.INVALID_INPUT,
                    "a target path has at most 512 characters");
        }
        if (upload.version() == null || !VERSION.matcher(upload.version()).matches()) {
            throw new RepositoryFailure("release.invalid-version", ErrorKind.INVALID_INPUT,
                    "a version is 1 to 100 characters of 0-9 A-Z a-z . + _ ~ -, starting with a letter or digit");
        }
        List<String> seen = new ArrayList<>();
        for (String h : upload.hardwareIds()) {
            if (h == null || !HARDWARE_ID.matcher(h).matches() || seen.contains(h)) {
                throw new RepositoryFailure("release.invalid-hardware-id", ErrorKind.INVALID_INPUT,
                        "hardware ids are distinct, 1 to 100 characters of 0-9 A-Z a-z . _ : -; got '" + h + "'");
            }
            seen.add(h);
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
                    "custom must be a JSON object without floats: " + e.getMessage());
        }
        if (!(parsed instanceof JsonValue.JsonObject o)) {
            throw new RepositoryFailure("release.invalid-custom", ErrorKind.INVALID_INPUT, "custom must be a JSON object");
        }
        if (o.has("version") || o.has("hardwareIds")) {
            throw new RepositoryFailure("release.invalid-custom", ErrorKind.INVALID_INPUT,
                    "custom must not set 'version' or 'hardwareIds'; they have their own parameters");
        }
        return o;
    }
}
