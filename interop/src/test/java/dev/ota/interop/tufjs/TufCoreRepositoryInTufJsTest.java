package dev.ota.interop.tufjs;

import dev.ota.interop.StaticHttpServer;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.Delegation;
import dev.ota.tuf.repository.Expiries;
import dev.ota.tuf.repository.Keyring;
import dev.ota.tuf.repository.Publication;
import dev.ota.tuf.repository.Publisher;
import dev.ota.tuf.repository.RepositoryConfig;
import dev.ota.tuf.repository.RepositoryState;
import dev.ota.tuf.repository.RoleKeySet;
import dev.ota.tuf.repository.RootRotation;
import dev.ota.tuf.repository.TargetChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direction tuf-core -> tuf-js: a repository built with {@code dev.ota.tuf.repository} (256 succinct hash bins,
 * consistent snapshots, keys of all three types) and served over HTTP is read by the tuf-js updater with only
 * version 1 of root as trust anchor. Each test builds its own repository, server and tuf-js client folder.
 */
class TufCoreRepositoryInTufJsTest {
    private static final String README = "readme.txt";
    private static final String FIRMWARE_V1 = "firmware/v1/device.bin";
    private static final String IMAGE = "images/app.bin";
    private static final String FIRMWARE_V2 = "firmware/v2/device.bin";

    @TempDir
    Path work;
    private final Instant now = Instant.now(); // tuf-js checks expiry against its own clock
    private final Expiries expiries = Expiries.defaults();
    private final SigningKey rootEd = SigningKey.generate(KeyType.ED25519);
    private final SigningKey rootEc = SigningKey.generate(KeyType.ECDSA_P256);
    private final SigningKey targetsRsa = SigningKey.generate(KeyType.RSA_PSS);
    private final SigningKey snapshotEc = SigningKey.generate(KeyType.ECDSA_P256);
    private final SigningKey timestampEd = SigningKey.generate(KeyType.ED25519);
    private final SigningKey binsEc = SigningKey.generate(KeyType.ECDSA_P256);
    private final Map<String, byte[]> content = new LinkedHashMap<>();
    private ServedRepository served;
    private StaticHttpServer server;
    private RepositoryState state;
    private TufJsClient tufJs;

    @BeforeEach
    void publishFirstVersion() throws IOException {
        RepositoryConfig config = new RepositoryConfig(new RoleKeySet(List.of(rootEd, rootEc), 2),
                RoleKeySet.of(targetsRsa), RoleKeySet.of(snapshotEc), RoleKeySet.of(timestampEd), RoleKeySet.of(binsEc),
                Delegation.hashBins("bins"), expiries);
        served = new ServedRepository(work.resolve("repository"));
        Publication created = Publisher.create(config, now);
        served.store(created);
        state = created.state();
        state = publish(List.of(
                add(README, "tuf-core built this repository\n".getBytes(StandardCharsets.UTF_8), Optional.empty()),
                add(FIRMWARE_V1, randomBytes(1, 4096), Optional.of(JsonValue.obj("hardware", JsonValue.of("rev-b")))),
                add(IMAGE, randomBytes(2, 10_000), Optional.empty())));
        server = StaticHttpServer.serve(served.dir());

        Path clientMetadata = Files.createDirectories(work.resolve("tufjs-client/metadata"));
        Files.copy(served.metadataDir().resolve("1.root.json"), clientMetadata.resolve("root.json"));
        tufJs = new TufJsClient(server.url("metadata"), server.url("targets"), clientMetadata,
                work.resolve("tufjs-client/targets"));
    }

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void tufJsRefreshesFromVersionOneRootAndDownloadsTargetsFromHashBins() throws IOException {
        TufJsClient.Run run = tufJs.run(List.of(README, FIRMWARE_V1, IMAGE, "not/listed.bin"));

        assertTrue(run.refreshed(), () -> run.refreshError().toString());
        assertEquals(1, run.rootVersion());
        for (String path : List.of(README, FIRMWARE_V1, IMAGE)) assertDownloaded(run, path);
        assertEquals(Optional.of(JsonValue.obj("hardware", JsonValue.of("rev-b"))), run.target(FIRMWARE_V1).custom());
        TufJsClient.Outcome missing = run.target("not/listed.bin");
        assertFalse(missing.found());
        assertEquals(Optional.empty(), missing.error(), "an unlisted target is not an error, just absent");
        // tuf-js asked for the bins by their consistent-snapshot names, and for the target in its subfolder by hash.
        String binOfFirmware = state.roleFor(FIRMWARE_V1);
        assertTrue(server.requests().contains("metadata/2." + binOfFirmware + ".json"), server.requests()::toString);
        assertTrue(server.requests().contains("targets/firmware/v1/" + sha256(content.get(FIRMWARE_V1)) + ".device.bin"));
    }

    @Test
    void tufJsFollowsSecondPublishAndRootRotation() throws IOException {
        TufJsClient.Run first = tufJs.run(List.of(README, IMAGE));
        assertTrue(first.refreshed(), () -> first.refreshError().toString());
        assertDownloaded(first, IMAGE);

        // Second publish: one target added, one removed.
        state = publish(List.of(add(FIRMWARE_V2, randomBytes(3, 2048), Optional.empty()), TargetChange.remove(IMAGE)));
        // Root rotation: root 2 replaces the ECDSA root key by an RSA one and the timestamp key by a new one,
        // signed by the old root keys and the new ones (TUF 5.3.4); timestamp re-signed under its new key.
        SigningKey rootRsa = SigningKey.generate(KeyType.RSA_PSS);
        SigningKey newTimestamp = SigningKey.generate(KeyType.ECDSA_P256);
        Publication rotated = RootRotation.rotate(state,
                root -> RootRotation.withRoleKeys(
                        RootRotation.withRoleKeys(root, "root", List.of(rootEd.publicKey(), rootRsa.publicKey()), 2),
                        "timestamp", List.of(newTimestamp.publicKey()), 1),
                List.of(rootEd, rootEc), List.of(rootEd, rootRsa), expiries, now);
        Keyring afterRotation = Keyring.online(List.of(binsEc), List.of(snapshotEc), List.of(newTimestamp));
        Publication rotation = rotated.followedBy(Publisher.refreshTimestamp(rotated.state(), afterRotation, expiries, now));
        served.store(rotation);
        state = rotation.state();
        assertEquals(2, state.root().version());
        assertFalse(state.root().metadata().keys().containsKey(rootEc.keyId()));

        TufJsClient.Run second = tufJs.run(List.of(README, FIRMWARE_V2, IMAGE));

        assertTrue(second.refreshed(), () -> second.refreshError().toString());
        assertEquals(2, second.rootVersion(), "tuf-js now trusts root 2");
        assertDownloaded(second, README);
        assertDownloaded(second, FIRMWARE_V2);
        assertFalse(second.target(IMAGE).found(), "removed target is no longer listed");
        assertEquals(Optional.empty(), second.target(IMAGE).error());
        assertTrue(server.requests().contains("metadata/2.root.json"));
    }

    @Test
    void tufJsRefusesTamperedTargets() throws IOException {
        // Same length, other bytes: only the hash can catch it.
        byte[] forged = content.get(FIRMWARE_V1).clone();
        forged[forged.length / 2] ^= 0x01;
        Files.write(servedFile(FIRMWARE_V1), forged);
        // The right bytes and more: the length cap must stop it.
        byte[] longer = java.util.Arrays.copyOf(content.get(IMAGE), content.get(IMAGE).length + 1);
        Files.write(servedFile(IMAGE), longer);

        TufJsClient.Run run = tufJs.run(List.of(FIRMWARE_V1, IMAGE, README));

        assertTrue(run.refreshed(), () -> run.refreshError().toString());
        assertRefused(run, FIRMWARE_V1, "LengthOrHashMismatchError");
        assertRefused(run, IMAGE, "DownloadLengthMismatchError");
        assertDownloaded(run, README);
    }

    private void assertDownloaded(TufJsClient.Run run, String path) throws IOException {
        TufJsClient.Outcome o = run.target(path);
        assertTrue(o.found(), () -> path + ": " + o.error());
        assertArrayEquals(content.get(path), Files.readAllBytes(o.file().orElseThrow()), path);
    }

    private void assertRefused(TufJsClient.Run run, String path, String tufJsError) {
        TufJsClient.Outcome o = run.target(path);
        assertFalse(o.found(), path);
        assertEquals(tufJsError, o.error().map(TufJsClient.Failure::name).orElse("no error"), path);
        // Nothing reaches tuf-js's target folder before its checks pass.
        assertFalse(Files.exists(work.resolve("tufjs-client/targets").resolve(
                java.net.URLEncoder.encode(path, StandardCharsets.UTF_8))), path);
    }

    private TargetChange add(String path, byte[] bytes, Optional<JsonValue> custom) {
        content.put(path, bytes);
        TargetFile file = TargetFile.describing(Bytes.of(bytes), custom);
        served.storeTarget(path, file, bytes);
        return TargetChange.add(path, file);
    }

    private RepositoryState publish(List<TargetChange> changes) {
        Keyring online = Keyring.online(List.of(binsEc), List.of(snapshotEc), List.of(timestampEd));
        Publication p = Publisher.publish(state, new ArrayList<>(changes), online, expiries, now);
        served.store(p);
        return p.state();
    }

    private Path servedFile(String path) {
        int slash = path.lastIndexOf('/');
        return served.dir().resolve("targets").resolve(path.substring(0, slash + 1) + sha256(content.get(path)) + "."
                + path.substring(slash + 1));
    }

    private static String sha256(byte[] bytes) {
        return Bytes.of(bytes).sha256Hex();
    }

    private static byte[] randomBytes(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}
