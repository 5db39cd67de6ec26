package dev.ota.tuf.client;

import dev.ota.tuf.RepositoryException;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Delegations;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;
import dev.ota.tuf.trust.Integrity;
import dev.ota.tuf.trust.TrustedMetadataSet;
import dev.ota.tuf.trust.UpdateOutcome;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The TUF client workflow (spec section 5) over HTTP and a local metadata folder. The rules themselves live in
 * {@link TrustedMetadataSet}; this class only fetches bytes, hands them over and stores what was accepted.
 * Requests follow python-tuf's ngclient exactly (local metadata that is still valid is not fetched again), so
 * that conformance tooling written against the reference client sees the same sequence.
 * Not thread-safe: one instance per refresh.
 */
public final class Updater {
    private final URI metadataBase;
    private final MetadataStore store;
    private final Fetcher fetcher;
    private final Clock clock;
    private final UpdaterConfig config;
    private TrustedMetadataSet trusted;

    /**
     * @param metadataBase URL ending in {@code /} under which {@code N.root.json} etc. are served
     * @param metadataDir  folder holding at least the trusted {@code root.json}
     */
    public Updater(URI metadataBase, Path metadataDir, Fetcher fetcher, Clock clock, UpdaterConfig config) {
        this.metadataBase = withSlash(metadataBase);
        this.store = new MetadataStore(metadataDir);
        this.fetcher = fetcher;
        this.clock = clock;
        this.config = config;
    }

    /**
     * Refreshes root, timestamp, snapshot and top-level targets. Only accepted bytes reach the disk, so a
     * failure at any step leaves the last trusted state for the next attempt.
     *
     * @throws RepositoryException if the repository offered anything the workflow rejects
     * @throws dev.ota.tuf.DownloadException if a required file could not be fetched
     */
    public void refresh() {
        byte[] rootBytes = store.read(Root.TYPE)
                .orElseThrow(() -> new IllegalStateException("no trusted root.json in " + store.dir()));
        trusted = new TrustedMetadataSet(rootBytes, clock.instant());
        Root initial = trusted.root().signed();
        loadRoot();
        recoverFromFastForward(initial, trusted.root().signed());
        loadTimestamp();
        loadSnapshot();
        loadTargets(Targets.TYPE, Root.TYPE);
    }

    /** The trusted set of the last refresh, for callers that need the verified records. */
    public TrustedMetadataSet trusted() {
        if (trusted == null) throw new IllegalStateException("refresh() first");
        return trusted;
    }

    // TUF 5.3: walk the root chain one version at a time until the repository has no next version.
    private void loadRoot() {
        long lower = trusted.root().signed().version() + 1;
        for (long v = lower; v < lower + config.maxRootRotations(); v++) {
            byte[] data;
            try {
                data = fetcher.fetch(metadataBase.resolve(v + ".root.json"), config.rootMaxLength());
            } catch (HttpStatusException e) {
                if (e.isNotFound()) break;
                throw e;
            }
            trusted.updateRoot(data);
            store.write(Root.TYPE, data);
        }
    }

    /**
     * TUF 5.3.11: after a rotation of timestamp or snapshot keys, forget the trusted timestamp (and the snapshot
     * if its keys rotated), so that versions fast-forwarded with a compromised key cannot block the recovered
     * repository. A snapshot whose keys did not rotate carries no fast-forwarded versions and stays.
     */
    private void recoverFromFastForward(Root before, Root after) {
        boolean timestampRotated = !sameKeys(before, after, Timestamp.TYPE);
        boolean snapshotRotated = !sameKeys(before, after, Snapshot.TYPE);
        if (timestampRotated || snapshotRotated) store.delete(Timestamp.TYPE);
        if (snapshotRotated) store.delete(Snapshot.TYPE);
    }

    private static boolean sameKeys(Root a, Root b, String role) {
        RoleKeys x = RoleKeys.ofTopLevel(a, role);
        RoleKeys y = RoleKeys.ofTopLevel(b, role);
        return x.threshold() == y.threshold() && Set.copyOf(x.keyIds()).equals(Set.copyOf(y.keyIds()))
                && x.keys().equals(y.keys());
    }

    private void loadTimestamp() {
        Optional<byte[]> local = store.read(Timestamp.TYPE);
        if (local.isPresent()) {
            try {
                trusted.updateTimestamp(local.get());
            } catch (RepositoryException e) {
                // Not valid as final (expired, keys rotated): still usable as intermediate or ignored.
            }
        }
        byte[] data = fetcher.fetch(metadataBase.resolve("timestamp.json"), config.timestampMaxLength());
        if (trusted.updateTimestamp(data) == UpdateOutcome.UPDATED) store.write(Timestamp.TYPE, data);
    }

    private void loadSnapshot() {
        Optional<byte[]> local = store.read(Snapshot.TYPE);
        if (local.isPresent()) {
            try {
                trusted.updateSnapshot(local.get(), true);
                return;
            } catch (RepositoryException e) {
                // Not valid as final: fetch the one timestamp names.
            }
        }
        MetaFile meta = trusted.timestamp().orElseThrow().signed().snapshotMeta();
        long cap = meta.length().orElse(config.snapshotMaxLength());
        byte[] data = fetcher.fetch(metadataUrl(Snapshot.TYPE, meta.version()), cap);
        trusted.updateSnapshot(data, false);
        store.write(Snapshot.TYPE, data);
    }

    /**
     * The role as trusted through {@code delegator}. A role already verified through another delegator in this
     * refresh is verified again against this delegator's keys (from the local store, where its accepted bytes are,
     * else fetched again), never reused on the other delegator's word.
     */
    private Targets loadTargets(String role, String delegator) {
        Optional<Signed<Targets>> loaded = trusted.targets(role, delegator);
        if (loaded.isPresent()) return loaded.get().signed();
        Optional<byte[]> local = store.read(role);
        if (local.isPresent()) {
            try {
                return trusted.updateDelegatedTargets(local.get(), role, delegator).signed();
            } catch (RepositoryException e) {
                // Stale or invalid: fetch the version snapshot names.
            }
        }
        MetaFile meta = trusted.snapshot().orElseThrow().signed().metaFor(role);
        if (meta == null) {
            throw new dev.ota.tuf.UnknownRoleException(role, "is delegated but not listed in snapshot");
        }
        long cap = meta.length().orElse(config.targetsMaxLength());
        byte[] data = fetcher.fetch(metadataUrl(role, meta.version()), cap);
        Targets t = trusted.updateDelegatedTargets(data, role, delegator).signed();
        store.write(role, data);
        return t;
    }

    private URI metadataUrl(String role, long version) {
        String name = UrlEncoding.encode(role) + ".json";
        boolean consistent = trusted.root().signed().consistentSnapshot();
        return metadataBase.resolve(consistent ? version + "." + name : name);
    }

    /**
     * TUF 5.7: pre-order depth-first search of the delegation graph for {@code targetPath}. Visits each role at
     * most once and at most {@code maxDelegations} roles; a terminating delegation ends the search below it.
     *
     * @return the target as the first role that lists it describes it
     * @throws TargetNotFoundException if no role trusted for the path lists it
     */
    public TargetFile findTarget(String targetPath) {
        if (trusted == null) throw new IllegalStateException("refresh() first");
        Deque<Visit> toVisit = new ArrayDeque<>();
        toVisit.push(new Visit(Targets.TYPE, Root.TYPE));
        Set<String> visited = new HashSet<>();
        while (visited.size() <= config.maxDelegations() && !toVisit.isEmpty()) {
            Visit next = toVisit.pop();
            String role = next.role();
            if (visited.contains(role)) continue;
            Targets targets = loadTargets(role, next.delegator());
            TargetFile found = targets.targets().get(targetPath);
            if (found != null) return found;
            visited.add(role);
            if (targets.delegations().isPresent()) {
                List<Visit> children = new ArrayList<>();
                for (Delegations.Candidate c : targets.delegations().get().rolesFor(targetPath)) {
                    children.add(new Visit(c.name(), role));
                    if (c.terminating()) {
                        toVisit.clear();
                        break;
                    }
                }
                for (int i = children.size() - 1; i >= 0; i--) toVisit.push(children.get(i));
            }
        }
        throw new TargetNotFoundException(targetPath);
    }

    /**
     * Downloads a target found by {@link #findTarget} into {@code targetDir} (file name: the URL-encoded path),
     * unless a file with matching length and hashes is already there. Nothing is written before the length
     * and every listed hash have been verified.
     *
     * @return the local file
     */
    public Path downloadTarget(String targetPath, TargetFile target, URI targetBase, Path targetDir) {
        Path local = targetDir.resolve(UrlEncoding.fileName(targetPath));
        if (Files.isRegularFile(local)) {
            try {
                byte[] existing = Files.readAllBytes(local);
                Integrity.check(targetPath, Bytes.of(existing), OptionalLong.of(target.length()), target.hashes());
                return local;
            } catch (RepositoryException | java.io.IOException e) {
                // Different or unreadable: download again and overwrite.
            }
        }
        String urlPath = targetPath;
        if (trusted().root().signed().consistentSnapshot() && config.prefixTargetsWithHash()) {
            int slash = targetPath.lastIndexOf('/');
            String firstHash = target.hashes().values().iterator().next();
            urlPath = targetPath.substring(0, slash + 1) + firstHash + "." + targetPath.substring(slash + 1);
        }
        URI url = withSlash(targetBase).resolve(UrlEncoding.encodePath(urlPath));
        if (!config.resumeDownloads()) {
            byte[] data = fetcher.fetch(url, target.length());
            Integrity.check(targetPath, Bytes.of(data), OptionalLong.of(target.length()), target.hashes());
            MetadataStore.writeAtomically(local, data);
            return local;
        }
        Path partial = targetDir.resolve(partialName(target));
        try {
            Files.createDirectories(targetDir);
            if (!Files.isRegularFile(partial) || Files.size(partial) < target.length()) {
                fetcher.fetchInto(url, target.length(), partial);
            }
            byte[] data = Files.readAllBytes(partial);
            try {
                Integrity.check(targetPath, Bytes.of(data), OptionalLong.of(target.length()), target.hashes());
            } catch (RepositoryException e) {
                // The kept bytes are never trusted: altered ones must not be resumed from either.
                Files.deleteIfExists(partial);
                throw e;
            }
            MetadataStore.writeAtomically(local, data);
            Files.deleteIfExists(partial);
        } catch (HttpStatusException e) {
            // 416: the server's file is shorter than what is kept, so those bytes are not its: start over next time.
            if (e.statusCode() == 416) deleteQuietly(partial);
            throw e;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + partial + ": " + e.getMessage(), e);
        }
        return local;
    }

    /** How the names of kept interrupted downloads ({@link #partialName}) begin. */
    public static final String PARTIAL_PREFIX = ".partial-";

    /**
     * Where an interrupted download of {@code target} is kept until the next attempt resumes it: named by its
     * signed SHA-256 (or first hash), so bytes of one image are never continued with those of another. Public so
     * that whoever owns the target folder can tell the kept bytes of the image it still wants from leftovers.
     */
    public static String partialName(TargetFile target) {
        String hash = target.hashes().getOrDefault("sha256", target.hashes().values().iterator().next());
        // Hex from signed metadata; anything else is still kept inside the folder.
        return PARTIAL_PREFIX + (hash.matches("[0-9a-fA-F]{1,128}") ? hash : UrlEncoding.fileName(hash));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
            // the next attempt asks for a range again and fails the same way; nothing is trusted from it
        }
    }

    /** A role still to search, with the role that delegates to it (its keys come from there). */
    private record Visit(String role, String delegator) {
    }

    private static URI withSlash(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? u : URI.create(s + "/");
    }
}
