package dev.ota.interop.tufjs;

import dev.ota.interop.StaticHttpServer;
import dev.ota.tuf.client.HttpFetcher;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.Delegation;
import dev.ota.tuf.repository.Expiries;
import dev.ota.tuf.repository.Publication;
import dev.ota.tuf.repository.Publisher;
import dev.ota.tuf.repository.RepositoryConfig;
import dev.ota.tuf.repository.RoleKeySet;
import dev.ota.tuf.repository.TargetChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Known gap 4 of interop/KNOWN-GAPS.md, pinned down: tuf-js builds a target's URL by pasting its path into
 * {@code new URL(base + path)} without percent-encoding it, so {@code #} starts a fragment, {@code ?} a query
 * and {@code %} an escape, and it asks the mirror for another file. tuf-core encodes each path segment. Names
 * with other unusual characters (space, {@code +}, {@code ;}, non-ASCII) work in both. If tuf-js starts
 * encoding, {@link #tufJsAsksForAnotherFileWhenTargetNameHoldsHashQuestionMarkOrPercent} fails.
 */
class TufJsTargetNameGapTest {
    private static final List<String> FINE = List.of("docs/read me.txt", "docs/a+b.txt", "docs/semi;colon.txt",
            "docs/\u00fcn\u00efc\u00f6de \u65e5\u672c.txt");
    private static final List<String> MISREAD = List.of("docs/a#b.txt", "docs/what?.txt", "docs/100%41.bin");

    @TempDir
    Path work;
    private final Map<String, byte[]> content = new LinkedHashMap<>();
    private ServedRepository served;
    private StaticHttpServer server;

    @BeforeEach
    void publishTargets() {
        Instant now = Instant.now();
        SigningKey key = SigningKey.generate();
        RepositoryConfig config = new RepositoryConfig(RoleKeySet.of(key), RoleKeySet.of(key), RoleKeySet.of(key),
                RoleKeySet.of(key), RoleKeySet.of(key), Delegation.hashBins("bins"), Expiries.defaults());
        served = new ServedRepository(work.resolve("repository"));
        Publication created = Publisher.create(config, now);
        served.store(created);
        List<TargetChange> adds = new ArrayList<>();
        for (String path : concat(FINE, MISREAD)) {
            byte[] bytes = ("content of " + path).getBytes(StandardCharsets.UTF_8);
            content.put(path, bytes);
            TargetFile file = TargetFile.describing(Bytes.of(bytes), Optional.empty());
            served.storeTarget(path, file, bytes);
            adds.add(TargetChange.add(path, file));
        }
        served.store(Publisher.publish(created.state(), adds, config.keyring(), config.expiries(), now));
        server = StaticHttpServer.serve(served.dir());
    }

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void bothClientsDownloadTargetsWithSpacesPlusSemicolonAndNonAsciiInTheirNames() throws IOException {
        TufJsClient.Run run = tufJs().run(FINE);

        for (String path : FINE) {
            TufJsClient.Outcome o = run.target(path);
            assertTrue(o.found(), () -> path + ": " + o.error());
            assertArrayEquals(content.get(path), Files.readAllBytes(o.file().orElseThrow()), path);
        }
        assertTufCoreDownloads(FINE);
    }

    @Test
    void tufJsAsksForAnotherFileWhenTargetNameHoldsHashQuestionMarkOrPercent() throws IOException {
        TufJsClient.Run run = tufJs().run(MISREAD);

        for (String path : MISREAD) {
            TufJsClient.Outcome o = run.target(path);
            assertFalse(o.found(), path);
            assertEquals("DownloadHTTPError", o.error().map(TufJsClient.Failure::name).orElse("no error"), path);
        }
        // What the mirror saw: the name cut at '#' and '?', and "%41" decoded to "A".
        List<String> asked = server.requests();
        String a = sha256(content.get("docs/a#b.txt"));
        String what = sha256(content.get("docs/what?.txt"));
        String percent = sha256(content.get("docs/100%41.bin"));
        assertTrue(asked.contains("targets/docs/" + a + ".a"), asked::toString);
        assertTrue(asked.contains("targets/docs/" + what + ".what"), asked::toString);
        assertTrue(asked.contains("targets/docs/" + percent + ".100A.bin"), asked::toString);
        // tuf-core percent-encodes each segment and gets the listed bytes.
        assertTufCoreDownloads(MISREAD);
    }

    private TufJsClient tufJs() throws IOException {
        Path metadata = Files.createDirectories(work.resolve("tufjs/metadata"));
        Files.copy(served.metadataDir().resolve("1.root.json"), metadata.resolve("root.json"));
        return new TufJsClient(server.url("metadata"), server.url("targets"), metadata, work.resolve("tufjs/targets"));
    }

    private void assertTufCoreDownloads(List<String> paths) throws IOException {
        Path metadata = Files.createDirectories(work.resolve("tuf-core/metadata"));
        Files.copy(served.metadataDir().resolve("1.root.json"), metadata.resolve("root.json"));
        Path targets = Files.createDirectories(work.resolve("tuf-core/targets"));
        Updater updater = new Updater(server.url("metadata"), metadata, new HttpFetcher(), Clock.systemUTC(),
                UpdaterConfig.defaults());
        updater.refresh();
        for (String path : paths) {
            Path file = updater.downloadTarget(path, updater.findTarget(path), server.url("targets"), targets);
            assertArrayEquals(content.get(path), Files.readAllBytes(file), path);
        }
    }

    private static String sha256(byte[] bytes) {
        return Bytes.of(bytes).sha256Hex();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
