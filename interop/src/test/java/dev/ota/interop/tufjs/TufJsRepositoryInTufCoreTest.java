package dev.ota.interop.tufjs;

import dev.ota.interop.StaticHttpServer;
import dev.ota.tuf.client.HttpFetcher;
import dev.ota.tuf.client.TargetNotFoundException;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.crypto.SignatureCheck;
import dev.ota.tuf.crypto.VerificationResult;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.DelegatedRole;
import dev.ota.tuf.metadata.Delegations;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direction tuf-js -> tuf-core: a repository written by {@code @tufjs/models} (ed25519, ECDSA P-256 and RSA-PSS
 * keys, a root rotation, delegations by {@code paths} and by {@code path_hash_prefixes}, consistent snapshots,
 * {@code custom} and unknown fields) is read by the tuf-core updater over HTTP, and every file round-trips
 * through our records to the exact bytes tuf-js signed.
 * <p>
 * One repository per class (generating its RSA key is the slow part); no test changes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TufJsRepositoryInTufCoreTest {
    private Path work;
    private TufJsRepository repo;
    private StaticHttpServer server;

    @BeforeAll
    void writeAndServeRepository(@TempDir Path work) {
        this.work = work;
        repo = TufJsRepository.write(work.resolve("repository"));
        server = StaticHttpServer.serve(repo.dir());
    }

    @AfterAll
    void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void updaterRefreshesFromVersionOneRootAndDownloadsEveryTarget() throws IOException {
        Path clientDir = trustOnlyVersionOneRoot(work.resolve("tuf-core-client"));
        Updater updater = new Updater(server.url("metadata"), clientDir, new HttpFetcher(), Clock.systemUTC(),
                UpdaterConfig.defaults());

        updater.refresh();

        assertEquals(2, updater.trusted().root().signed().version(), "followed tuf-js's root rotation to version 2");
        Path downloads = Files.createDirectories(work.resolve("tuf-core-downloads"));
        for (Map.Entry<String, byte[]> t : repo.targets().entrySet()) {
            TargetFile found = updater.findTarget(t.getKey());
            Path file = updater.downloadTarget(t.getKey(), found, server.url("targets"), downloads);
            assertArrayEquals(t.getValue(), Files.readAllBytes(file), t.getKey());
        }
        // Consistent snapshots: versioned metadata names and HASH.NAME targets, in subfolders too.
        List<String> asked = server.requests();
        assertTrue(asked.containsAll(List.of("metadata/2.root.json", "metadata/1.snapshot.json",
                "metadata/1.targets.json", "metadata/1.firmware.json", "metadata/1.hashed.json")), asked::toString);
        assertTrue(asked.stream().anyMatch(p -> p.matches("targets/images/v1/[0-9a-f]{64}\\.app\\.bin")), asked::toString);
        // A path the delegations cover but no role lists is not there, whatever the search visits.
        assertThrows(TargetNotFoundException.class, () -> updater.findTarget("firmware/missing.bin"));
    }

    @Test
    void updaterReadsCustomAndUnknownFieldsAsTufJsWroteThem() {
        Path clientDir = trustOnlyVersionOneRoot(work.resolve("fields-client"));
        Updater updater = new Updater(server.url("metadata"), clientDir, new HttpFetcher(), Clock.systemUTC(),
                UpdaterConfig.defaults());
        updater.refresh();

        TargetFile readme = updater.findTarget("readme.txt");
        assertEquals(Optional.of(JsonValue.obj("release", JsonValue.of("1.0"),
                "flags", JsonValue.obj("beta", JsonValue.of(false)), "size", JsonValue.of(29))), readme.custom());
        TargetFile app = updater.findTarget("images/v1/app.bin");
        assertEquals(Set.of("sha256", "sha512"), app.hashes().keySet());
        assertTrue(app.unrecognized().containsKey("x-unknown-in-target"));
        Targets top = updater.trusted().targets("targets").orElseThrow().signed();
        assertTrue(top.unrecognized().containsKey("x-build"));
        DelegatedRole firmware = top.delegations().orElseThrow().roles().orElseThrow().get(0);
        assertEquals("device team", ((JsonValue.JsonString) firmware.unrecognized().get("x-owner")).value());
        assertTrue(updater.trusted().snapshot().orElseThrow().signed().metaFor("firmware").unrecognized()
                .containsKey("x-meta-note"));
        assertTrue(updater.trusted().root().signed().unrecognized().containsKey("x-repository"));
    }

    @Test
    void reEmittedSignedIsByteIdenticalToWhatTufJsSigned() throws IOException {
        for (String name : repo.metadataFiles()) {
            Signed<? extends RoleMetadata> parsed = parse(name);

            byte[] reEmitted = CanonicalJson.encode(parsed.signed().toJson());

            assertArrayEquals(repo.signedCanonical().get(name), reEmitted, name + ": our records re-emit tuf-js's bytes");
            assertArrayEquals(parsed.signedBytes().toArray(), reEmitted, name);
        }
    }

    @Test
    void signaturesVerifyOverReEmittedRecordsWithEveryKeyType() throws IOException {
        Root root = parse("2.root.json", Root.class).signed();
        Targets top = parse("1.targets.json", Targets.class).signed();
        Delegations delegations = top.delegations().orElseThrow();
        Map<String, RoleKeys> authorisedFor = Map.of(
                "1.root.json", RoleKeys.ofTopLevel(parse("1.root.json", Root.class).signed(), "root"),
                "2.root.json", RoleKeys.ofTopLevel(root, "root"),
                "1.targets.json", RoleKeys.ofTopLevel(root, "targets"),
                "1.snapshot.json", RoleKeys.ofTopLevel(root, "snapshot"),
                "timestamp.json", RoleKeys.ofTopLevel(root, "timestamp"),
                "1.firmware.json", delegations.keysFor("firmware").orElseThrow(),
                "1.hashed.json", delegations.keysFor("hashed").orElseThrow());
        assertEquals(Set.copyOf(repo.metadataFiles()), authorisedFor.keySet());

        for (String name : repo.metadataFiles()) {
            Signed<? extends RoleMetadata> parsed = parse(name);
            // Signed.of signs nothing: it wraps our re-serialised record, so these are its canonical bytes.
            Signed<? extends RoleMetadata> reEmitted = Signed.of(parsed.signed(), parsed.signatures());

            VerificationResult result = SignatureCheck.verify(name, reEmitted, authorisedFor.get(name));

            Set<String> signers = parsed.signatures().stream().map(Signature::keyId).collect(Collectors.toSet());
            assertEquals(signers, result.validKeyIds(), name + ": every tuf-js signature verifies");
            assertTrue(result.thresholdMet(), name);
        }
        Set<String> rootKeyTypes = root.keys().values().stream().map(Key::scheme).collect(Collectors.toSet());
        assertEquals(Set.of("ed25519", "ecdsa-sha2-nistp256", "rsassa-pss-sha256"), rootKeyTypes);
    }

    @Test
    void keyIdsAreComputedAsTufJsComputesThem() throws IOException {
        Root root = parse("2.root.json", Root.class).signed();
        Delegations delegations = parse("1.targets.json", Targets.class).signed().delegations().orElseThrow();

        root.keys().forEach((id, key) -> assertEquals(id, key.keyId(), key.scheme()));
        delegations.keys().forEach((id, key) -> assertEquals(id, key.keyId(), key.scheme()));
        assertEquals(Set.copyOf(repo.keyIds().values()),
                union(root.keys().keySet(), delegations.keys().keySet()));
    }

    @Test
    void tufJsItselfAcceptsTheRepository() {
        // Control: the test data is a valid repository for its own implementation, so a failure above is ours.
        Path clientDir = trustOnlyVersionOneRoot(work.resolve("tufjs-client"));
        TufJsClient tufJs = new TufJsClient(server.url("metadata"), server.url("targets"), clientDir,
                work.resolve("tufjs-downloads"));

        TufJsClient.Run run = tufJs.run(List.copyOf(repo.targets().keySet()));

        assertTrue(run.refreshed(), () -> run.refreshError().toString());
        assertEquals(2, run.rootVersion());
        repo.targets().keySet().forEach(p -> assertTrue(run.target(p).found(), p));
    }

    private Path trustOnlyVersionOneRoot(Path clientDir) {
        try {
            Files.createDirectories(clientDir);
            Files.copy(repo.metadataDir().resolve("1.root.json"), clientDir.resolve("root.json"));
            return clientDir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Signed<? extends RoleMetadata> parse(String name) throws IOException {
        if (name.endsWith(".root.json")) return parse(name, Root.class);
        if (name.equals("timestamp.json")) return parse(name, Timestamp.class);
        if (name.endsWith(".snapshot.json")) return parse(name, Snapshot.class);
        return parse(name, Targets.class);
    }

    private <T extends RoleMetadata> Signed<T> parse(String name, Class<T> type) throws IOException {
        return Signed.parse(Files.readAllBytes(repo.metadataDir().resolve(name)), type, name);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
    }
}
