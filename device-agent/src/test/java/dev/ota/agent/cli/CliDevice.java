package dev.ota.agent.cli;

import dev.ota.tuf.client.UrlEncoding;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.testing.FolderContents;
import dev.ota.tuf.testing.RepositorySimulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device driven only through the real {@code ota-agent-tuf} script, as third-party conformance tooling drives
 * it: one process per step, all state in its metadata folder, against the simulator over HTTP.
 */
final class CliDevice {
    /** The script under test; the build passes its absolute path, else it is found from the module folder. */
    static final Path SCRIPT = Path.of(System.getProperty("ota.agent.tuf.script", "bin/ota-agent-tuf")).toAbsolutePath();
    static final Duration PROCESS_LIMIT = Duration.ofSeconds(180);

    final RepositorySimulator repo;
    final Path work;
    final Path metadataDir;
    final Path targetDir;

    /** What one run of the CLI did. */
    record Run(int exitStatus, String stderr, Duration took) {
    }

    private CliDevice(RepositorySimulator repo, Path work) {
        this.repo = repo;
        this.work = work;
        this.metadataDir = work.resolve("metadata");
        this.targetDir = work.resolve("targets");
    }

    /** A device that was initialised (through the CLI) with the repository's root version 1. */
    static CliDevice initialised(RepositorySimulator repo, Path work) {
        CliDevice d = new CliDevice(repo, work);
        repo.startHttp();
        Path shipped = work.resolve("shipped-root.json");
        try {
            Files.write(shipped, repo.initialRoot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Run init = d.run("--metadata-dir", d.metadataDir.toString(), "init", shipped.toString());
        assertEquals(0, init.exitStatus(), init.stderr());
        return d;
    }

    /**
     * A device initialised through the CLI that already trusts the repository's current top-level metadata: its
     * folder holds exactly what a successful {@code refresh} stores, the served bytes of root, timestamp, snapshot
     * and targets (CliContractIT proves the CLI stores exactly those). Saves one JVM start per attack test.
     */
    static CliDevice trustingCurrentState(RepositorySimulator repo, Path work) {
        CliDevice d = initialised(repo, work);
        try {
            for (String role : List.of(RepositorySimulator.ROOT, RepositorySimulator.TIMESTAMP,
                    RepositorySimulator.SNAPSHOT, RepositorySimulator.TARGETS)) {
                Files.write(d.metadataDir.resolve(role + ".json"), repo.served(RepositorySimulator.metadataFile(role)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    Run refresh() {
        return run("--metadata-url", repo.metadataUrl().toString(), "--metadata-dir", metadataDir.toString(), "refresh");
    }

    Run download(String... targetPaths) {
        List<String> args = new ArrayList<>(List.of("--metadata-url", repo.metadataUrl().toString(),
                "--metadata-dir", metadataDir.toString()));
        for (String p : targetPaths) {
            args.add("--target-name");
            args.add(p);
        }
        args.addAll(List.of("--target-dir", targetDir.toString(), "--target-base-url", repo.targetsUrl().toString(), "download"));
        return run(args.toArray(String[]::new));
    }

    /** Runs the script from {@code work} as working directory (any folder must do). */
    Run run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        Path stderr = work.resolve("cli-stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        long start = System.nanoTime();
        try {
            Process p = pb.start();
            if (!p.waitFor(PROCESS_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ota-agent-tuf did not end within " + PROCESS_LIMIT + ": " + command);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return new Run(p.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8), took);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a successful step and returns it; fails the test with the CLI's stderr otherwise. */
    Run succeeds(Run run) {
        assertEquals(0, run.exitStatus(), () -> "expected exit status 0, stderr: " + run.stderr());
        return run;
    }

    /**
     * Runs {@code step}, asserts exit status exactly 1 and that neither the metadata folder nor the target folder
     * changed (same file names, same bytes); returns the run so the test can look at stderr.
     */
    Run rejects(Supplier<Run> step) {
        Map<String, Bytes> metadataBefore = FolderContents.of(metadataDir);
        Map<String, Bytes> targetsBefore = FolderContents.of(targetDir);
        Run run = step.get();
        assertEquals(1, run.exitStatus(), () -> "expected exit status 1, stderr: " + run.stderr());
        assertTrue(!run.stderr().isBlank(), "a failure is explained on stderr");
        assertEquals(metadataBefore, FolderContents.of(metadataDir), "trusted metadata on disk changed");
        assertEquals(targetsBefore, FolderContents.of(targetDir), "target folder changed");
        return run;
    }

    /**
     * As {@link #rejects}, for an attack on a later step: the named roles, served honestly, are stored exactly as
     * served; every other file stays as it was.
     */
    Run rejectsAfterAccepting(Supplier<Run> step, String... acceptedRoles) {
        Map<String, Bytes> expected = new TreeMap<>(FolderContents.of(metadataDir));
        Map<String, Bytes> targetsBefore = FolderContents.of(targetDir);
        Run run = step.get();
        assertEquals(1, run.exitStatus(), () -> "expected exit status 1, stderr: " + run.stderr());
        for (String role : acceptedRoles) {
            expected.put(UrlEncoding.encode(role) + ".json", Bytes.of(repo.served(RepositorySimulator.metadataFile(role))));
        }
        assertEquals(expected, FolderContents.of(metadataDir), "trusted metadata on disk is not the expected one");
        assertEquals(targetsBefore, FolderContents.of(targetDir), "target folder changed");
        return run;
    }

    Map<String, Bytes> trustedFiles() {
        return FolderContents.of(metadataDir);
    }

    /** What the folder must hold after a successful refresh: each role's file exactly as the repository serves it. */
    Map<String, Bytes> servedMetadata(String... roles) {
        Map<String, Bytes> m = new TreeMap<>();
        for (String role : roles) {
            m.put(UrlEncoding.encode(role) + ".json", Bytes.of(repo.served(RepositorySimulator.metadataFile(role))));
        }
        return m;
    }
}
