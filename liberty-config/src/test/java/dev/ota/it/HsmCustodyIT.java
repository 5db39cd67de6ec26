package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.ECPrivateKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Online keys in a PKCS#11 token (issue 15): a server of its own (driven through {@code wlp/bin/server}, as
 * {@link CrashRecoveryIT}) with {@code OTA_KEY_CUSTODY=pkcs11} on a fresh SoftHSM2 token that this test initialises
 * with generated PINs in its data directory ({@code SOFTHSM2_CONF}, set for this JVM and the server by the it-hsm
 * execution, names the configuration file this test writes). Without SoftHSM2 the test fails: CI installs it;
 * {@code -Dota.it.hsm.skip=true} skips the execution.
 */
class HsmCustodyIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Path SOFTHSM_UTIL = Path.of("/usr/bin/softhsm2-util");
    private static final Path MODULE = Path.of("/usr/lib/softhsm/libsofthsm2.so");

    private final SecureRandom random = new SecureRandom();
    private ClusterServer server;
    private final Thread killOnExit = new Thread(() -> server.kill(), "hsm-it-kill");
    private Path dataDir;
    private String label;
    private String pin;
    private String soPin;
    private long slot;
    private Provider token;
    private KeyStore tokenKeys;

    @BeforeEach
    void startServerOnAFreshToken() throws Exception {
        // -Dit.test=HsmCustodyIT selects it in every failsafe execution; it runs in it-hsm only.
        assumeTrue(System.getProperty("ota.it.hsm.server") != null, "runs in the it-hsm execution");
        if (!Files.isExecutable(SOFTHSM_UTIL) || !Files.isRegularFile(MODULE)) {
            fail("SoftHSM2 is not installed (" + SOFTHSM_UTIL + ", " + MODULE + "): apt-get install softhsm2, as .ci/run"
                    + " does; or skip this execution with -Dota.it.hsm.skip=true");
        }
        dataDir = Path.of(System.getProperty("ota.data.dir"));
        ClusterServer.deleteRecursively(dataDir);
        Path tokens = Files.createDirectories(dataDir.resolve("softhsm-tokens"));
        Path conf = Path.of(System.getenv("SOFTHSM2_CONF"));
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        label = "ota-it-" + HexFormat.of().formatHex(bytes(4));
        pin = HexFormat.of().formatHex(bytes(12));
        soPin = HexFormat.of().formatHex(bytes(12));
        String init = run(List.of(SOFTHSM_UTIL.toString(), "--init-token", "--free", "--label", label, "--pin", pin,
                "--so-pin", soPin));
        Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(init);
        assertTrue(m.find(), "softhsm2-util names the new token's slot: " + init);
        slot = Long.parseLong(m.group(1));

        Map<String, String> env = new HashMap<>();
        env.put("OTA_DATA_DIR", dataDir.toString());
        env.put("OTA_HASH_BINS", "16");
        env.put("OTA_KEY_CUSTODY", "pkcs11");
        env.put("OTA_PKCS11_LIBRARY", MODULE.toString());
        env.put("OTA_PKCS11_SLOT", Long.toString(slot));
        env.put("OTA_PKCS11_TOKEN_LABEL", label);
        env.put("OTA_PKCS11_PIN", pin);
        env.put("SOFTHSM2_CONF", conf.toString());
        server = ClusterServer.create(Path.of(System.getProperty("wlp.home")), "ota-hsm",
                Integer.parseInt(System.getProperty("ota.it.http.port")),
                Integer.parseInt(System.getProperty("ota.it.hsm.https.port")),
                Path.of(System.getProperty("ota.liberty.config.dir")), Path.of(System.getProperty("ota.it.jdbc.dir")),
                Path.of(System.getProperty("ota.ear.file")), env);
        Runtime.getRuntime().addShutdownHook(killOnExit);
        server.start();
        server.awaitReady(START_TIMEOUT);

        // This test reads the same token as the server does: through SunPKCS11, logged in with the user PIN.
        token = Security.getProvider("SunPKCS11").configure("--name = ota-it-token\nlibrary = " + MODULE + "\nslot = "
                + slot + "\n");
        tokenKeys = KeyStore.getInstance("PKCS11", token);
        tokenKeys.load(null, pin.toCharArray());
    }

    @AfterEach
    void stopServer() {
        ClusterServer.stop(server, killOnExit);
    }

    @Test
    void onlineKeysAreGeneratedInTheTokenSignWhatTufJsVerifiesAndARotatedTimestampKeyIsFollowed() throws Exception {
        // Arrange: a release published, signed by the token's keys; tuf-js trusts root version 1.
        String[] admin = ItAccounts.admin(server.http);
        String[] officer = Http.basic("hsm-officer", ItAccounts.createWithPassword(server.http, "hsm-officer",
                "security-officer"));
        assertEquals(201, ItFleet.upload(server.http, admin, "firmware/hsm/one.bin", "hsm-hw", 1,
                "image one".getBytes(StandardCharsets.UTF_8)).statusCode());
        Path tufJs = Files.createDirectories(dataDir.resolve("tufjs").resolve("metadata")).getParent();
        Files.write(tufJs.resolve("metadata").resolve("root.json"), server.http.get("/metadata/1.root.json").body());

        // Assert: the online roles' keys are ECDSA P-256 in the token, the offline ones in the keystore file.
        List<JsonValue.JsonObject> keys = keys(admin);
        for (String role : List.of("timestamp", "snapshot", "releases")) {
            JsonValue.JsonObject k = active(keys, "image", role);
            assertEquals(JsonValue.of("ecdsa"), k.get("keyType"), k.toString());
            assertEquals(JsonValue.of("ecdsa-sha2-nistp256"), k.get("scheme"), k.toString());
            assertEquals(JsonValue.of("pkcs11 token " + label), k.get("custody"), k.toString());
            assertInToken("image." + role + ".", string(k, "keyId"));
        }
        for (String role : List.of("root", "targets")) {
            assertEquals(JsonValue.of("pkcs12"), active(keys, "image", role).get("custody"));
        }
        for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
            JsonValue.JsonObject k = active(keys, "director", role);
            assertEquals(JsonValue.of("pkcs11 token " + label), k.get("custody"), k.toString());
            assertInToken("director." + role + ".", string(k, "keyId"));
        }
        Root root1 = Signed.parse(server.http.get("/metadata/1.root.json").body(), Root.class, "1.root.json").signed();
        assertEquals("ecdsa", root1.keys().get(root1.role("timestamp").keyIds().get(0)).keyType());
        assertEquals(List.of("root.", "targets."), keystoreFileAliasPrefixes(),
                "the keystore file holds no key of a role the token holds");
        assertFalse(Files.exists(dataDir.resolve("keys").resolve("director-keys.p12")), "no director keystore file");
        for (String alias : Collections.list(tokenKeys.aliases())) {
            PrivateKey handle = (PrivateKey) tokenKeys.getKey(alias, null);
            assertNull(handle.getEncoded(), alias + ": the token does not let the private key out");
            assertThrows(Exception.class, () -> KeyFactory.getInstance("EC", token).getKeySpec(handle, ECPrivateKeySpec.class),
                    alias + ": not even its private value");
        }
        JsonValue.JsonObject before = ItTufJs.client(tufJs, "/metadata/", null, List.of("firmware/hsm/one.bin"), true,
                new ServerClock());
        assertEquals(JsonValue.of(true), before.get("refreshed"), before.toString());
        assertFound(before, "firmware/hsm/one.bin");

        // Act: an officer rotates the timestamp key; another release is published.
        String oldKey = string(active(keys, "image", "timestamp"), "keyId");
        HttpResponse<byte[]> rotated = server.http.send("POST", "/portal/api/v1/keys/image/timestamp/" + oldKey
                + "/rotate", officer);
        assertEquals(200, rotated.statusCode(), Http.text(rotated));
        String newKey = string((JsonValue.JsonObject) Json.parse(rotated.body(), "change"), "newKeyId");
        assertEquals(201, ItFleet.upload(server.http, admin, "firmware/hsm/two.bin", "hsm-hw", 2,
                "image two".getBytes(StandardCharsets.UTF_8)).statusCode());

        // Assert: the new key was generated in the token, the old one deleted from it once root 2 was published;
        // tuf-js, holding metadata the old key signed, walks to root 2 and finds the new release.
        tokenKeys.load(null, pin.toCharArray());
        assertInToken("image.timestamp.", newKey);
        assertFalse(aliases("image.timestamp.").stream().anyMatch(a -> a.endsWith(oldKey.substring(0, 16))),
                "the retired key is gone from the token");
        assertEquals(List.of("image.timestamp." + newKey.substring(0, 16)), aliases("image.timestamp."));
        Root root2 = Signed.parse(server.http.get("/metadata/2.root.json").body(), Root.class, "2.root.json").signed();
        assertEquals(List.of(newKey), root2.role("timestamp").keyIds());
        assertEquals(JsonValue.of("pkcs11 token " + label), active(keys(admin), "image", "timestamp").get("custody"));
        JsonValue.JsonObject after = ItTufJs.client(tufJs, "/metadata/", null,
                List.of("firmware/hsm/one.bin", "firmware/hsm/two.bin"), true, new ServerClock());
        assertEquals(JsonValue.of(true), after.get("refreshed"), after.toString());
        assertEquals(JsonValue.of(2), after.get("rootVersion"), after.toString());
        assertFound(after, "firmware/hsm/one.bin");
        assertFound(after, "firmware/hsm/two.bin");
        assertEquals(List.of("root.", "targets."), keystoreFileAliasPrefixes());

        // Act: the snapshot key revoked, the director's timestamp key rotated.
        String oldSnapshot = string(active(keys(admin), "image", "snapshot"), "keyId");
        HttpResponse<byte[]> revoked = server.http.postJson("/portal/api/v1/keys/image/snapshot/" + oldSnapshot
                + "/revoke", "{\"reason\":\"token test\"}", officer);
        assertEquals(200, revoked.statusCode(), Http.text(revoked));
        String newSnapshot = string((JsonValue.JsonObject) Json.parse(revoked.body(), "change"), "newKeyId");
        String oldDirector = string(active(keys(admin), "director", "timestamp"), "keyId");
        HttpResponse<byte[]> directorRotated = server.http.send("POST", "/portal/api/v1/keys/director/timestamp/"
                + oldDirector + "/rotate", officer);
        assertEquals(200, directorRotated.statusCode(), Http.text(directorRotated));
        String newDirector = string((JsonValue.JsonObject) Json.parse(directorRotated.body(), "change"), "newKeyId");

        // Assert: each old key deleted from the token once its replacement's root was published; tuf-js follows.
        tokenKeys.load(null, pin.toCharArray());
        assertEquals(List.of("image.snapshot." + newSnapshot.substring(0, 16)), aliases("image.snapshot."));
        assertEquals(List.of("director.timestamp." + newDirector.substring(0, 16)), aliases("director.timestamp."));
        assertEquals(JsonValue.of("REVOKED"), keys(admin).stream()
                .filter(k -> JsonValue.of(oldSnapshot).equals(k.get("keyId"))).findFirst().orElseThrow().get("status"));
        JsonValue.JsonObject revokedFollowed = ItTufJs.client(tufJs, "/metadata/", null, List.of("firmware/hsm/two.bin"),
                true, new ServerClock());
        assertEquals(JsonValue.of(3), revokedFollowed.get("rootVersion"), revokedFollowed.toString());
        assertFound(revokedFollowed, "firmware/hsm/two.bin");

        // No PIN and no private key material in anything the server logged.
        for (Path log : logs()) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(pin), log + " quotes the token's PIN");
            assertFalse(text.contains(soPin), log + " quotes the token's SO PIN");
            assertFalse(text.contains("PRIVATE KEY"), log + " holds a PEM private key");
        }
        assertTrue(server.messages().contains("online keys in PKCS#11 token '" + label + "'"),
                "the server says where its online keys are");
    }

    private static void assertFound(JsonValue.JsonObject report, String target) {
        JsonValue.JsonObject t = (JsonValue.JsonObject) ((JsonValue.JsonObject) report.get("targets")).get(target);
        assertEquals(JsonValue.of(true), t == null ? null : t.get("found"), target + ": " + report);
    }

    private void assertInToken(String prefix, String keyId) throws Exception {
        String alias = prefix + keyId.substring(0, 16);
        assertTrue(tokenKeys.isKeyEntry(alias), alias + " is a private key in the token: " + aliases(""));
    }

    private List<String> aliases(String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        for (String alias : Collections.list(tokenKeys.aliases())) {
            if (alias.startsWith(prefix)) {
                out.add(alias);
            }
        }
        Collections.sort(out);
        return out;
    }

    /** The role prefixes of the private keys in the server's PKCS#12 keystore file, opened with its password file. */
    private List<String> keystoreFileAliasPrefixes() throws Exception {
        Path keys = dataDir.resolve("keys");
        char[] password = Files.readString(keys.resolve("keystore-password")).strip().toCharArray();
        KeyStore file = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve("online-keys.p12"))) {
            file.load(in, password);
        }
        List<String> prefixes = new ArrayList<>();
        for (String alias : Collections.list(file.aliases())) {
            if (file.isKeyEntry(alias)) {
                prefixes.add(alias.substring(0, alias.indexOf('.') + 1));
            }
        }
        Collections.sort(prefixes);
        return prefixes;
    }

    private List<JsonValue.JsonObject> keys(String[] credentials) {
        HttpResponse<byte[]> r = server.http.get("/portal/api/v1/keys", credentials);
        assertEquals(200, r.statusCode(), Http.text(r));
        assertFalse(Http.text(r).contains("PRIVATE"), "no key material in the list");
        return ((JsonValue.JsonArray) ((JsonValue.JsonObject) Json.parse(r.body(), "keys")).get("keys")).elements()
                .stream().map(v -> (JsonValue.JsonObject) v).toList();
    }

    private static JsonValue.JsonObject active(List<JsonValue.JsonObject> keys, String repository, String role) {
        return keys.stream().filter(k -> JsonValue.of(repository).equals(k.get("repository"))
                        && JsonValue.of(role).equals(k.get("role")) && JsonValue.of("ACTIVE").equals(k.get("status")))
                .findFirst().orElseThrow(() -> new AssertionError("no active " + repository + " " + role + " key"));
    }

    private static String string(JsonValue.JsonObject o, String field) {
        return ((JsonValue.JsonString) o.get(field)).value();
    }

    private List<Path> logs() throws IOException {
        try (Stream<Path> files = Files.walk(server.logs())) {
            List<Path> logs = files.filter(Files::isRegularFile).toList();
            assertNotEquals(List.of(), logs);
            return logs;
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command.get(0) + " did not finish");
        assertEquals(0, p.exitValue(), command.get(0) + " " + command.get(1) + " failed: " + out);
        return out;
    }
}
