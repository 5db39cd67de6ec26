package dev.ota.tuf.client;

import dev.ota.tuf.ExpiredMetadataException;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Repositories written by implementations that are not ours (copied from ../shared/testdata, see the README
 * there): the updater must refresh each as of its recorded time, download its target, and refuse a day after
 * the first of its metadata expires.
 */
class RealRepositoriesTest {
    private static final URI METADATA = URI.create("https://tuf.example/metadata/");
    private static final URI TARGETS = URI.create("https://tuf.example/targets/");

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"sigstore-root-signing", "tuf-on-ci-0.11"})
    void refreshesAndDownloadsTargetAsOfRecordedTime(String name) throws Exception {
        Repo repo = Repo.load(name);
        Path md = trustRoot(repo.dir.resolve("initial_root.json"));

        Updater updater = repo.updater(md, Clock.fixed(repo.faketime, ZoneOffset.UTC));
        updater.refresh();
        TargetFile target = updater.findTarget(repo.targetPath);
        Path file = updater.downloadTarget(repo.targetPath, target, TARGETS, work.resolve("targets"));

        assertEquals(target.length(), Files.size(file));
        assertEquals(target.hashes().get("sha256"), Bytes.of(Files.readAllBytes(file)).sha256Hex());
        assertArrayEquals(repo.newest("timestamp.json"), Files.readAllBytes(md.resolve("timestamp.json")),
                "the trusted timestamp is exactly the served bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sigstore-root-signing", "tuf-on-ci-0.11"})
    void refusesADayAfterTheFirstExpiry(String name) throws Exception {
        Repo repo = Repo.load(name);
        Path md = trustRoot(repo.dir.resolve("initial_root.json"));
        Instant late = repo.firstExpiry().plus(1, ChronoUnit.DAYS);

        Updater updater = repo.updater(md, Clock.fixed(late, ZoneOffset.UTC));

        assertThrows(ExpiredMetadataException.class, updater::refresh);
        assertEquals(List.of("root.json"), listing(md), "nothing new is trusted after a refused refresh");
    }

    @Test
    void walksSigstoreRootChainFromVersionOneThroughKeyRotations() throws Exception {
        Repo repo = Repo.load("sigstore-root-signing");
        Path md = trustRoot(repo.dir.resolve("metadata/1.root.json"));

        Updater updater = repo.updater(md, Clock.fixed(repo.faketime, ZoneOffset.UTC));
        updater.refresh();

        assertEquals(12, updater.trusted().root().signed().version());
        assertArrayEquals(Files.readAllBytes(repo.dir.resolve("metadata/12.root.json")), Files.readAllBytes(md.resolve("root.json")));
    }

    private Path trustRoot(Path rootFile) throws IOException {
        Path md = work.resolve("metadata");
        Files.createDirectories(md);
        Files.copy(rootFile, md.resolve("root.json"));
        return md;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private record Repo(Path dir, Instant faketime, String targetPath) {
        static Repo load(String name) throws IOException, URISyntaxException {
            Path dir = Path.of(RealRepositoriesTest.class.getResource("/real-repositories/" + name + "/initial_root.json").toURI()).getParent();
            String fake = Files.readString(dir.resolve("faketime"), StandardCharsets.UTF_8).trim();
            Instant t = LocalDateTime.parse(fake.substring(0, 19), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")).toInstant(ZoneOffset.UTC);
            return new Repo(dir, t, Files.readString(dir.resolve("targetpath"), StandardCharsets.UTF_8).trim());
        }

        Updater updater(Path md, Clock clock) {
            Fetcher files = new DirectoryFetcher(URI.create("https://tuf.example/"), dir);
            return new Updater(METADATA, md, files, clock, UpdaterConfig.defaults());
        }

        byte[] newest(String file) throws IOException {
            return Files.readAllBytes(dir.resolve("metadata").resolve(file));
        }

        /** The earliest expiry among the newest version of each role the repository serves. */
        Instant firstExpiry() throws IOException {
            try (Stream<Path> s = Files.list(dir.resolve("metadata"))) {
                Map<String, Path> newestPerRole = new java.util.HashMap<>();
                s.sorted(Comparator.comparing(RealRepositoriesTest::versionOf)).forEach(p -> newestPerRole.put(roleOf(p), p));
                return newestPerRole.values().stream().map(Repo::expiresOf).min(Comparator.naturalOrder()).orElseThrow();
            }
        }

        private static Instant expiresOf(Path p) {
            try {
                String json = Files.readString(p);
                int i = json.indexOf("\"expires\"");
                int start = json.indexOf('"', json.indexOf(':', i) + 1) + 1;
                return Instant.parse(json.substring(start, json.indexOf('"', start)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static long versionOf(Path p) {
        String n = p.getFileName().toString();
        int dot = n.indexOf('.');
        try {
            return Long.parseLong(n.substring(0, dot));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String roleOf(Path p) {
        String n = p.getFileName().toString();
        n = n.substring(0, n.length() - ".json".length());
        return versionOf(p) == Long.MAX_VALUE ? n : n.substring(n.indexOf('.') + 1);
    }
}
