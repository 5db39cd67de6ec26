package dev.ota.serving;

import dev.ota.repository.Settings;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Snapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * What {@code /metadata} and {@code /targets} serve. The current head is cached: a request for
 * {@code timestamp.json} touches the database at most once per check interval (one indexed read
 * of the head's generation), and a publish on this server drops the cache at once. Several servers
 * on one database therefore serve a new head at most one interval late. Versioned files and
 * targets never change, so they are cached by name without any check.
 * <p>
 * A CDI bean, not an EJB: it is called for every device request, and the EJB container's per-call
 * work (security, transaction, interceptors) cost more than the lookup. Thread-safe by its own
 * design (volatile view, synchronised reload); reads run without a transaction.
 */
@ApplicationScoped
public class ServedFiles {
    private static final Logger LOG = Logger.getLogger(ServedFiles.class.getName());
    private static final String JSON = "application/json";
    private static final String OCTETS = "application/octet-stream";
    private static final long IMMUTABLE_CACHE_BYTES = 64L * 1024 * 1024;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    private final long checkIntervalNanos = Settings.headCheckInterval().toNanos();
    private final BlobStore blobs = BlobStore.inDataDirectory();
    private final ImmutableCache immutable = new ImmutableCache(IMMUTABLE_CACHE_BYTES);
    private volatile View view;

    /** The metadata file under {@code /metadata/<fileName>}, or empty: serve 404. */
    public Optional<ServedFile> metadata(String fileName) {
        View current = null;
        if (!fileName.isEmpty() && !Character.isDigit(fileName.charAt(0))) {
            // An unversioned name (timestamp.json, polled by every device): answered from the
            // current view by the name as requested, without parsing it again.
            current = currentView();
            ServedFile cached = current.files.get(fileName);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<MetadataFileName> parsed = MetadataFileName.parse(fileName);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        MetadataFileName name = parsed.get();
        View at = current != null ? current : currentView();
        if (name.version().isPresent()) {
            int version = name.version().get();
            // Every TUF client asks for the root after the one it trusts on every refresh (spec 5.3.3),
            // nearly always a 404. A root version becomes visible only by moving the head, so one
            // above the head's is answered from the view, without a database read per device poll.
            boolean unpublishedRoot = name.role().equals("root") && version > at.versions.getOrDefault("root", 0);
            return unpublishedRoot ? Optional.empty() : versioned(name.role(), version);
        }
        Integer version = at.versions.get(name.role());
        if (version == null) {
            return Optional.empty();
        }
        Optional<ServedFile> file = versioned(name.role(), version).map(f -> f.as(ServedFile.Freshness.CURRENT));
        file.ifPresent(f -> at.files.put(fileName, f));
        return file;
    }

    /** The target under {@code /targets/<requestPath>} ({@code <dir>/<sha256>.<name>}), or empty. */
    public Optional<ServedFile> target(String requestPath) {
        Optional<TargetFileName> parsed = TargetFileName.parse(requestPath);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        TargetFileName name = parsed.get();
        String key = "t:" + name.sha256() + ":" + name.targetPath();
        ServedFile hit = immutable.get(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        List<TargetFileRecord> rows = em.createNamedQuery(TargetFileRecord.BY_PATH_AND_SHA256, TargetFileRecord.class)
                .setParameter("path", name.targetPath())
                .setParameter("sha256", name.sha256())
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        TargetFileRecord row = rows.get(0);
        Path blob = blobs.pathOf(row.sha256());
        if (!Files.isRegularFile(blob)) {
            // The index names a blob the store lacks: a broken installation, not a client error.
            LOG.severe(() -> "blob store lacks " + row.sha256() + " listed for target " + row.path());
            return Optional.empty();
        }
        ServedFile file = new ServedFile(OCTETS, row.length(), row.sha256(), ServedFile.Freshness.IMMUTABLE,
                new ServedFile.OnDisk(blob));
        immutable.put(key, file, 256);
        return Optional.of(file);
    }

    /** Drops the cached head; a publish calls this after its transaction committed. */
    public void invalidate() {
        // Under the lock of currentView(): a head read that began before the publish committed must not
        // install its (old) view after this.
        synchronized (this) {
            view = null;
        }
    }

    private Optional<ServedFile> versioned(String role, int version) {
        String key = "m:" + version + "." + role;
        ServedFile hit = immutable.get(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        List<SignedMetadata> rows = em.createNamedQuery(SignedMetadata.BY_ROLE_AND_VERSION, SignedMetadata.class)
                .setParameter("role", role)
                .setParameter("version", version)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        SignedMetadata row = rows.get(0);
        byte[] content = row.content();
        ServedFile file = new ServedFile(JSON, content.length, row.sha256(), ServedFile.Freshness.IMMUTABLE,
                new ServedFile.InMemory(content));
        immutable.put(key, file, content.length);
        return Optional.of(file);
    }

    private View currentView() {
        long now = System.nanoTime();
        View v = view;
        if (v != null && now - v.checkedAt < checkIntervalNanos) {
            return v;
        }
        synchronized (this) {
            v = view;
            if (v != null && now - v.checkedAt < checkIntervalNanos) {
                return v;
            }
            List<Object[]> head = em.createQuery("SELECT h.generation, h.rootVersion, h.timestampVersion,"
                    + " h.snapshotVersion, h.targetsVersion FROM RepositoryHead h", Object[].class).getResultList();
            long generation = head.isEmpty() ? -1 : ((Number) head.get(0)[0]).longValue();
            view = v != null && v.generation == generation ? v.checkedAt(now)
                    : new View(generation, head.isEmpty() ? Map.of() : currentVersions(head.get(0)), now);
            return view;
        }
    }

    /**
     * Which version each role's unversioned name means: the top-level versions from the head row, every
     * delegated role's from the snapshot the head names (which lists them all). Two indexed reads,
     * however long the history of signed rows grows.
     */
    private Map<String, Integer> currentVersions(Object[] head) {
        int snapshotVersion = ((Number) head[3]).intValue();
        Map<String, Integer> versions = new HashMap<>();
        List<byte[]> snapshot = em.createNamedQuery(SignedMetadata.CONTENT_BY_ROLE_AND_VERSION, byte[].class)
                .setParameter("role", "snapshot").setParameter("version", snapshotVersion).getResultList();
        if (snapshot.isEmpty()) {
            throw new IllegalStateException("the repository head names snapshot version " + snapshotVersion
                    + ", which the database does not hold");
        }
        Signed.parse(snapshot.get(0), Snapshot.class, "snapshot").signed().meta().forEach((file, meta) -> {
            if (file.endsWith(".json")) {
                versions.put(file.substring(0, file.length() - ".json".length()), Math.toIntExact(meta.version()));
            }
        });
        versions.put("root", ((Number) head[1]).intValue());
        versions.put("timestamp", ((Number) head[2]).intValue());
        versions.put("snapshot", snapshotVersion);
        versions.put("targets", ((Number) head[4]).intValue());
        return Map.copyOf(versions);
    }

    /** The head as of one check: which version each unversioned role means, and those files by file name. */
    private static final class View {
        final long generation;
        final Map<String, Integer> versions;
        final Map<String, ServedFile> files;
        final long checkedAt;

        View(long generation, Map<String, Integer> versions, long checkedAt) {
            this(generation, versions, new ConcurrentHashMap<>(), checkedAt);
        }

        private View(long generation, Map<String, Integer> versions, Map<String, ServedFile> files, long checkedAt) {
            this.generation = generation;
            this.versions = versions;
            this.files = files;
            this.checkedAt = checkedAt;
        }

        View checkedAt(long now) {
            return new View(generation, versions, files, now);
        }
    }

    /** Least-recently-used cache of immutable files, bounded by the bytes it holds. */
    private static final class ImmutableCache {
        private final long maxBytes;
        private long bytes;
        private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);

        private record Entry(ServedFile file, long weight) {
        }

        ImmutableCache(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        synchronized ServedFile get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.file();
        }

        synchronized void put(String key, ServedFile file, long weight) {
            if (weight > maxBytes / 4) {
                return;
            }
            Entry old = entries.put(key, new Entry(file, weight));
            bytes += weight - (old == null ? 0 : old.weight());
            var it = entries.values().iterator();
            while (bytes > maxBytes && it.hasNext()) {
                bytes -= it.next().weight();
                it.remove();
            }
        }
    }
}
