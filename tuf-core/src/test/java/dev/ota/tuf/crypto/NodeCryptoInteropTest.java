package dev.ota.tuf.crypto;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonBoolean;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;
import dev.ota.tuf.metadata.Key;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Signatures cross-checked with Node's crypto (OpenSSL), a second implementation, both ways. Runs
 * {@code src/test/node/crypto-interop.mjs}; skipped only when {@code node} is not on the PATH.
 */
class NodeCryptoInteropTest {
    private static final Path SCRIPT = Path.of("src/test/node/crypto-interop.mjs");
    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll
    static void requireNode() {
        boolean nodeRuns;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            nodeRuns = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            nodeRuns = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            nodeRuns = false;
        }
        assumeTrue(nodeRuns, "node is not on the PATH");
        assertTrue(Files.isRegularFile(SCRIPT), SCRIPT.toAbsolutePath().toString());
    }

    @Test
    void javaVerifiesSignaturesMadeByNode() throws Exception {
        JsonObject out = (JsonObject) Json.parse(node("sign", new byte[0]), "node sign output");
        byte[] data = HEX.parseHex(string(out, "data"));
        byte[] other = "not what was signed".getBytes(StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        for (JsonValue v : ((JsonArray) out.get("cases")).elements()) {
            JsonObject c = (JsonObject) v;
            Key key = new Key(string(c, "keytype"), string(c, "scheme"), string(c, "public"));
            String name = string(c, "name");
            names.add(name);
            assertTrue(Verifier.verify(key, data, string(c, "sig")), name);
            assertFalse(Verifier.verify(key, other, string(c, "sig")), name + " over other data");
        }
        assertEquals(List.of("ed25519", "ecdsa-p256", "rsa-pss-salt-32", "rsa-pss-salt-max"), names);
    }

    @Test
    void nodeVerifiesSignaturesMadeByJava() throws Exception {
        byte[] data = "{\"signed\":\"made by tuf-core\",\"\u00e9\":\"\ud83d\udd11\"}".getBytes(StandardCharsets.UTF_8);
        byte[] other = "not what was signed".getBytes(StandardCharsets.UTF_8);
        List<JsonValue> cases = new ArrayList<>();
        List<JsonValue> expected = new ArrayList<>();
        for (KeyType type : KeyType.values()) {
            SigningKey key = TestKeys.key(type);
            String sig = key.sign(data).sig();
            cases.add(nodeCase(key.publicKey(), data, sig));
            expected.add(JsonValue.of(true));
            // Control: Node must also say no, or a "true" above proves nothing.
            cases.add(nodeCase(key.publicKey(), other, sig));
            expected.add(JsonValue.of(false));
        }
        byte[] request = CanonicalJson.encode(JsonValue.obj("cases", new JsonArray(cases)));
        JsonObject out = (JsonObject) Json.parse(node("verify", request), "node verify output");
        List<Boolean> results = ((JsonArray) out.get("results")).elements().stream()
                .map(v -> ((JsonBoolean) v).value()).toList();
        assertEquals(expected.stream().map(v -> ((JsonBoolean) v).value()).toList(), results);
    }

    /** The request goes out as canonical JSON, which writes PEM line breaks raw; hex keeps it plain JSON. */
    private static JsonObject nodeCase(Key key, byte[] data, String sig) {
        return JsonValue.obj("keytype", JsonValue.of(key.keyType()), "scheme", JsonValue.of(key.scheme()),
                "public_hex", JsonValue.of(HEX.formatHex(key.publicValue().getBytes(StandardCharsets.UTF_8))), "data", JsonValue.of(HEX.formatHex(data)),
                "sig", JsonValue.of(sig));
    }

    private static String string(JsonObject o, String name) {
        return ((JsonString) o.get(name)).value();
    }

    private static byte[] node(String mode, byte[] stdin) throws Exception {
        Process p = new ProcessBuilder("node", SCRIPT.toString(), mode).start();
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(p, false));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(p, true));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node " + mode + " did not finish in 120 s");
        }
        assertEquals(0, p.exitValue(), () -> "node " + mode + ": " + new String(stderr.join(), StandardCharsets.UTF_8));
        return stdout.get();
    }

    private static byte[] readAll(Process p, boolean error) {
        try {
            return (error ? p.getErrorStream() : p.getInputStream()).readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
