package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;
import dev.ota.tuf.signer.DetachedSigner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** What the ceremony ITs (root and top-level targets) share: officers' keys as the API takes them, and its answers. */
final class ItCeremonies {
    private ItCeremonies() {
    }

    /** {@code {"publicKey", "holder"}}: a new key for a proposal, held by {@code holder}. */
    static String newKey(SigningKey key, String holder) {
        return "{\"publicKey\":\"" + pem(key) + "\",\"holder\":\"" + holder + "\"}";
    }

    /** The officer's public key as {@code openssl pkey -pubout} writes it, JSON-escaped. */
    static String pem(SigningKey k) {
        return "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(k.jcaPublicKey().getEncoded())
                + "\\n-----END PUBLIC KEY-----\\n";
    }

    static String pkcs8Pem(SigningKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /** The bytes to sign of the proposal at {@code proposalPath}, checked against the SHA-256 shown beside them. */
    static byte[] canonicalBytes(Http http, String proposalPath, String[] credentials) {
        JsonObject answer = json(ok(http.get(proposalPath + "/signed", credentials)));
        byte[] bytes = Base64.getDecoder().decode(string(answer, "canonicalBase64"));
        assertEquals(dev.ota.tuf.metadata.Bytes.of(bytes).sha256Hex(), string(answer, "sha256"));
        return bytes;
    }

    /** The command-line signer run on the API's answer saved to a file, as an officer does: its output. */
    static String signOffline(Http http, String proposalPath, String[] credentials, SigningKey key) throws Exception {
        Path work = Files.createTempDirectory("ceremony-signer-");
        Path keyFile = work.resolve("officer.pem");
        Files.writeString(keyFile, pkcs8Pem(key));
        Path bytesFile = work.resolve("signed.json");
        Files.write(bytesFile, ok(http.get(proposalPath + "/signed", credentials)).body());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, DetachedSigner.run(new String[] {"--key", keyFile.toString(), "--bytes-json", bytesFile.toString()},
                new PrintStream(out), new PrintStream(err)), err.toString());
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    static String signature(SigningKey key, byte[] data) {
        return DetachedSigner.signatureJson(key, data);
    }

    static List<String> strings(JsonArray array, String field) {
        return array.elements().stream().map(v -> ((JsonString) ((JsonObject) v).get(field)).value()).toList();
    }

    static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static HttpResponse<byte[]> ok(HttpResponse<byte[]> r) {
        return expect(200, r);
    }

    static HttpResponse<byte[]> expect(int status, HttpResponse<byte[]> r) {
        assertEquals(status, r.statusCode(), Http.text(r));
        return r;
    }

    static void assertRefused(int status, String code, HttpResponse<byte[]> r) {
        assertEquals(status, r.statusCode(), Http.text(r));
        assertEquals(code, string(json(r), "code"), Http.text(r));
        assertFalse(Http.text(r).contains("PRIVATE KEY"));
    }

    static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }

    static String string(JsonObject o, String name) {
        return ((JsonString) o.get(name)).value();
    }

    static int number(JsonObject o, String name) {
        return ((JsonValue.JsonNumber) o.get(name)).value().intValueExact();
    }
}
