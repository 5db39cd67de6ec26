package dev.ota.agent.director;

import dev.ota.tuf.DownloadException;
import dev.ota.tuf.RepositoryException;
import dev.ota.tuf.client.MetadataStore;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.client.UrlConnectionFetcher;
import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * This device's director repository (device-api.md, "Director metadata"), refreshed with tuf-core from the
 * director root shipped with the device, with the bearer token of the last check-in. A refresh works on a copy
 * of the trusted metadata: only {@link Verified#commit()}, called once the device accepted what it read, makes it
 * the trusted state, so metadata the device refuses leaves the trusted state as it was.
 */
public final class DirectorRepository {
    private final URI metadataUrl;
    private final URI targetsUrl;
    private final Path trustedDir;
    private final Path candidateDir;
    private final Path targetsDir;
    private final Path shippedRoot;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param directorUrl the director's base URL (the server's root URL unless a proxy or gateway sits in between)
     * @param dataDir     the device's data folder; the trusted director metadata lives in {@code director/}
     * @param shippedRoot the director root shipped with the device, trusted on first use
     */
    public DirectorRepository(URI directorUrl, String deviceId, Path dataDir, Path shippedRoot, Clock clock, Duration timeout) {
        String base = directorUrl.toString();
        this.metadataUrl = URI.create((base.endsWith("/") ? base : base + "/") + "director/" + deviceId + "/metadata/");
        this.targetsUrl = URI.create((base.endsWith("/") ? base : base + "/") + "director/" + deviceId + "/targets/");
        this.targetsDir = dataDir.resolve("director-targets");
        this.trustedDir = dataDir.resolve("director");
        this.candidateDir = dataDir.resolve("director-candidate");
        this.shippedRoot = shippedRoot;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** The outcome of one refresh. */
    public sealed interface Refresh permits Verified, Attack, Unavailable {
    }

    /**
     * Every TUF rule passed: the targets as signed, the timestamp version they were reached through, and how to fetch
     * a target of the director's own (the desired configuration) verified against them.
     */
    public record Verified(Signed<Targets> targets, long timestampVersion, Runnable commit, TargetDownload download)
            implements Refresh {
    }

    /** Fetches one of the director's own targets and checks its length and hashes against the verified targets. */
    @FunctionalInterface
    public interface TargetDownload {
        /**
         * @throws RepositoryException the bytes are not the ones the director signed (an attack)
         * @throws DownloadException   nothing (or more than the signed length) could be fetched; worth trying again
         */
        byte[] fetch(String path, TargetFile target);
    }

    /** The director offered metadata the TUF workflow rejects (signatures, expiry, rollback...): {@code detail} says what. */
    public record Attack(String detail) implements Refresh {
    }

    /** Nothing could be fetched (network, status); worth trying again later. */
    public record Unavailable(String why) implements Refresh {
    }

    public URI metadataUrl() {
        return metadataUrl;
    }

    public Refresh refresh(String bearerToken) {
        try {
            provision();
            copy(trustedDir, candidateDir);
            Updater updater = new Updater(metadataUrl, candidateDir,
                    new UrlConnectionFetcher(Duration.ofSeconds(10), timeout).withHeader("Authorization", "Bearer " + bearerToken),
                    clock, UpdaterConfig.defaults());
            updater.refresh();
            Signed<Targets> targets = updater.trusted().targets(Targets.TYPE).orElseThrow();
            long version = updater.trusted().timestamp().orElseThrow().signed().version();
            return new Verified(targets, version, () -> copy(candidateDir, trustedDir), (path, target) -> {
                try {
                    // Under the director's targets path, with the bearer token; the updater names it by its hash
                    // (consistent snapshots) and refuses bytes whose length or hashes differ from the signed ones.
                    return Files.readAllBytes(updater.downloadTarget(path, target, targetsUrl, targetsDir));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the director target " + path + ": " + e.getMessage(), e);
                }
            });
        } catch (RepositoryException e) {
            return new Attack("attack: director metadata rejected: " + e.getMessage());
        } catch (DownloadException e) {
            return new Unavailable("director metadata not fetched: " + e.getMessage());
        }
    }

    /**
     * The earliest expiry of the trusted timestamp, snapshot and targets, empty before the first verified refresh or
     * when a file cannot be read (then the next announced version decides, as before).
     */
    public Optional<Instant> trustedExpiry() {
        MetadataStore trusted = new MetadataStore(trustedDir);
        Instant earliest = null;
        Map<String, Class<? extends RoleMetadata>> roles = Map.of(Timestamp.TYPE, Timestamp.class, Snapshot.TYPE,
                Snapshot.class, Targets.TYPE, Targets.class);
        for (Map.Entry<String, Class<? extends RoleMetadata>> role : roles.entrySet()) {
            try {
                Optional<byte[]> bytes = trusted.read(role.getKey());
                if (bytes.isEmpty()) return Optional.empty();
                Instant expires = Signed.parse(bytes.get(), role.getValue(), role.getKey()).signed().expires();
                if (earliest == null || expires.isBefore(earliest)) earliest = expires;
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(earliest);
    }

    private void provision() {
        try {
            Files.createDirectories(trustedDir);
            Path root = trustedDir.resolve("root.json");
            if (!Files.exists(root)) MetadataStore.writeAtomically(root, Files.readAllBytes(shippedRoot));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot provision the director root: " + e.getMessage(), e);
        }
    }

    /** Makes {@code to} hold exactly the metadata files of {@code from}, each replaced atomically. */
    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            List<Path> sources;
            try (Stream<Path> s = Files.list(from)) {
                sources = s.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
            }
            for (Path p : sources) MetadataStore.writeAtomically(to.resolve(p.getFileName()), Files.readAllBytes(p));
            List<Path> stale;
            try (Stream<Path> s = Files.list(to)) {
                stale = s.filter(p -> p.getFileName().toString().endsWith(".json") && !Files.exists(from.resolve(p.getFileName()))).toList();
            }
            for (Path p : stale) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy director metadata: " + e.getMessage(), e);
        }
    }
}
