package dev.ota.tuf.signer;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.crypto.Verifier;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetachedSignerTest {
    @TempDir
    Path dir;

    static String pkcs8Pem(SigningKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void signsTheProposalBytesWithAnEd25519OrP256Pkcs8KeyAndPrintsTheSignatureToUpload() throws Exception {
        byte[] proposal = "{\"_type\":\"root\",\"version\":2}".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("proposal.bin"), proposal);
        for (KeyType type : new KeyType[] {KeyType.ED25519, KeyType.ECDSA_P256}) {
            SigningKey key = SigningKey.generate(type);
            Path pem = dir.resolve(type + ".pem");
            Files.writeString(pem, pkcs8Pem(key));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = DetachedSigner.run(new String[] {"--key", pem.toString(), "--bytes", dir.resolve("proposal.bin").toString(),
                    "--out", dir.resolve(type + ".sig.json").toString()}, new PrintStream(out), new PrintStream(err));

            assertEquals(0, status, err.toString());
            JsonValue.JsonObject sig = (JsonValue.JsonObject) Json.parse(out.toByteArray(), "out");
            assertEquals(JsonValue.of(key.keyId()), sig.get("keyid"));
            assertTrue(Verifier.verify(key.publicKey(), proposal, ((JsonValue.JsonString) sig.get("sig")).value()), type.toString());
            assertEquals(out.toString().strip(), Files.readString(dir.resolve(type + ".sig.json")).strip());
        }
    }

    @Test
    void refusesAKeyFileThatIsNotPkcs8WithoutQuotingIt() throws Exception {
        Path pem = dir.resolve("bad.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXNlY3JldA==\n-----END PRIVATE KEY-----\n");
        Files.write(dir.resolve("p.bin"), new byte[] {1});
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = DetachedSigner.run(new String[] {"--key", pem.toString(), "--bytes", dir.resolve("p.bin").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));

        assertEquals(2, status);
        assertFalse(err.toString().contains("c2VjcmV0"), err.toString());
    }
}
