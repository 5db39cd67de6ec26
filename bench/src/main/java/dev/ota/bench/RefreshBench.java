package dev.ota.bench;

import dev.ota.tuf.client.HttpFetcher;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.Delegation;
import dev.ota.tuf.repository.Expiries;
import dev.ota.tuf.repository.MetadataFile;
import dev.ota.tuf.repository.Publication;
import dev.ota.tuf.repository.Publisher;
import dev.ota.tuf.repository.RepositoryConfig;
import dev.ota.tuf.repository.RoleKeySet;
import dev.ota.tuf.repository.TargetChange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

/**
 * The repository both clients refresh from, and tuf-core's side of the refresh benchmark.
 * The repository: {@code targetCount} targets published into {@code 2^bitLength} succinct hash bins with
 * {@code dev.ota.tuf.repository} (ed25519 unless another key type is asked for), consistent snapshots, written to a folder.
 */
final class RefreshBench {
    /** What the benchmark needs of the built repository. */
    record Repository(Path metadataDir, Path root, List<String> lookups, int binCount, long metadataBytes) {
    }

    private RefreshBench() {
    }

    static Repository build(Path dir, int targetCount, int bitLength, int lookupCount, Instant now) {
        return build(dir, targetCount, bitLength, lookupCount, now, KeyType.DEFAULT);
    }

    /** As above, with every role (root, targets, snapshot, timestamp, bins) signed by one key of {@code keyType}. */
    static Repository build(Path dir, int targetCount, int bitLength, int lookupCount, Instant now, KeyType keyType) {
        RepositoryConfig config = new RepositoryConfig(RoleKeySet.of(SigningKey.generate(keyType)),
                RoleKeySet.of(SigningKey.generate(keyType)), RoleKeySet.of(SigningKey.generate(keyType)),
                RoleKeySet.of(SigningKey.generate(keyType)), RoleKeySet.of(SigningKey.generate(keyType)),
                new Delegation.HashBins("bins", bitLength), Expiries.defaults());
        Publication created = Publisher.create(config, now);
        List<TargetChange> adds = new ArrayList<>(targetCount);
        List<String> paths = new ArrayList<>(targetCount);
        for (int i = 0; i < targetCount; i++) {
            String path = String.format("apps/app-%05d/release-%d.bin", i, i % 7);
            paths.add(path);
            adds.add(TargetChange.add(path, TargetFile.describing(Bytes.utf8("content of " + path), Optional.empty())));
        }
        Publication published = Publisher.publish(created.state(), adds, config.keyring(), config.expiries(), now);
        Path metadataDir = dir.resolve("metadata");
        long total = 0;
        try {
            Files.createDirectories(metadataDir);
            for (MetadataFile f : created.followedBy(published).files()) {
                Files.write(metadataDir.resolve(f.fileName()), f.bytes().toArray());
            }
            try (Stream<Path> files = Files.list(metadataDir)) {
                for (Path f : (Iterable<Path>) files::iterator) total += Files.size(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Every (targetCount / lookupCount)-th target: spread over (nearly) all bins.
        List<String> lookups = new ArrayList<>(lookupCount);
        int step = targetCount / lookupCount;
        for (int i = 0; i < lookupCount; i++) lookups.add(paths.get(i * step));
        return new Repository(metadataDir, metadataDir.resolve("1.root.json"), lookups, 1 << bitLength, total);
    }

    /**
     * One tuf-core refresh plus look-ups from a fresh metadata folder holding only root v1; the timed part is
     * {@code new Updater}, {@code refresh()} and {@code findTarget} for every path, as on tuf-js's side.
     * The fetcher (its HTTP client and connection pool) is shared across iterations, as Node's global fetch
     * agent is for tuf-js.
     */
    static DoubleSupplier tufCoreIteration(URI metadataBase, Repository repo, Path workDir, HttpFetcher fetcher) {
        return () -> {
            Path dir = freshClientFolder(workDir, repo.root());
            try {
                long start = System.nanoTime();
                Updater updater = new Updater(metadataBase, dir, fetcher, Clock.systemUTC(), UpdaterConfig.defaults());
                updater.refresh();
                for (String path : repo.lookups()) {
                    // findTarget throws if no trusted role lists the path: a failed look-up cannot pass as fast.
                    updater.findTarget(path);
                }
                return (System.nanoTime() - start) / 1e6;
            } finally {
                delete(dir);
            }
        };
    }

    private static Path freshClientFolder(Path workDir, Path root) {
        try {
            Path dir = Files.createTempDirectory(workDir, "tuf-core-");
            Files.copy(root, dir.resolve("root.json"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
