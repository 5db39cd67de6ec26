package dev.ota.tuf.client;

import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.testing.FolderContents;
import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A device for updater tests: a metadata folder that starts with the repository's root version 1, and an
 * {@link Updater} per refresh over the simulator (in memory by default). Each refresh is a new updater, as each
 * run of the device agent is.
 */
final class TestClient {
    final RepositorySimulator repo;
    final Path metadataDir;
    final Path targetDir;
    UpdaterConfig config = UpdaterConfig.defaults();
    Fetcher fetcher;
    Updater updater;

    private TestClient(RepositorySimulator repo, Path work) {
        this.repo = repo;
        this.metadataDir = work.resolve("metadata");
        this.targetDir = work.resolve("targets");
        this.fetcher = repo;
        try {
            Files.createDirectories(metadataDir);
            Files.write(metadataDir.resolve("root.json"), repo.initialRoot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device that trusts {@code repo}'s first root, in a folder under {@code work}. */
    static TestClient trusting(RepositorySimulator repo, Path work) {
        return new TestClient(repo, work);
    }

    TestClient with(UpdaterConfig c) {
        this.config = c;
        return this;
    }

    TestClient over(Fetcher f) {
        this.fetcher = f;
        return this;
    }

    /** A refresh at the repository's reference time. */
    void refresh() {
        refreshAt(repo.now());
    }

    void refreshAt(Instant time) {
        refreshWith(Clock.fixed(time, ZoneOffset.UTC));
    }

    void refreshWith(Clock clock) {
        updater = new Updater(repo.metadataUrl(), metadataDir, fetcher, clock, config);
        updater.refresh();
    }

    /** Refreshes, finds {@code targetPath} through the delegations and downloads it. */
    Path download(String targetPath) {
        refresh();
        return downloadWithoutRefresh(targetPath);
    }

    Path downloadWithoutRefresh(String targetPath) {
        TargetFile t = updater.findTarget(targetPath);
        return updater.downloadTarget(targetPath, t, repo.targetsUrl(), targetDir);
    }

    TargetFile find(String targetPath) {
        refresh();
        return updater.findTarget(targetPath);
    }

    /** Every file in the metadata folder with its bytes. */
    Map<String, Bytes> trustedFiles() {
        return FolderContents.of(metadataDir);
    }

    Bytes trusted(String fileName) {
        try {
            return Bytes.of(Files.readAllBytes(metadataDir.resolve(fileName)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code action}, asserts it throws {@code type}, and asserts that neither the trusted metadata nor the
     * downloaded targets on disk changed (same names, same bytes).
     */
    <T extends Throwable> T rejects(Class<T> type, Executable action) {
        Map<String, Bytes> metadataBefore = FolderContents.of(metadataDir);
        Map<String, Bytes> targetsBefore = FolderContents.of(targetDir);
        T e = assertThrows(type, action);
        assertEquals(metadataBefore, FolderContents.of(metadataDir), "trusted metadata on disk changed");
        assertEquals(targetsBefore, FolderContents.of(targetDir), "target folder changed");
        return e;
    }

    /**
     * As {@link #rejects}, for an attack on a later step of the workflow: the roles of the earlier steps, which
     * the repository served honestly, are accepted and stored (exactly the served bytes, as the spec requires);
     * every other file stays as it was.
     */
    <T extends Throwable> T rejectsAfterAccepting(Class<T> type, Executable action, String... acceptedRoles) {
        Map<String, Bytes> expected = new TreeMap<>(FolderContents.of(metadataDir));
        Map<String, Bytes> targetsBefore = FolderContents.of(targetDir);
        T e = assertThrows(type, action);
        for (String role : acceptedRoles) {
            expected.put(UrlEncoding.encode(role) + ".json", Bytes.of(repo.served(RepositorySimulator.metadataFile(role))));
        }
        assertEquals(expected, FolderContents.of(metadataDir), "trusted metadata on disk is not the expected one");
        assertEquals(targetsBefore, FolderContents.of(targetDir), "target folder changed");
        return e;
    }
}
