package dev.ota.tuf.metadata;

import dev.ota.tuf.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The bytes a repository serves for metadata whose strings hold control characters: every PEM public key
 * (ECDSA, RSA) has newlines, which canonical JSON leaves raw and JSON parsers refuse.
 */
class SignedBytesTest {
    private static final String PEM = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";

    private static Signed<Root> rootWithPemKey() {
        Key key = new Key("ecdsa", "ecdsa-sha2-nistp256", PEM);
        String id = key.keyId();
        Role role = new Role(List.of(id), 1);
        Root root = new Root("1.0.31", 1, Instant.parse("2030-01-01T00:00:00Z"), true, Map.of(id, key),
                Map.of("root", role, "targets", role, "snapshot", role, "timestamp", role), Map.of());
        return Signed.of(root, List.of(new Signature(id, "3045")));
    }

    @Test
    void servedBytesOfMetadataWithPemKeyAreJsonEveryParserReads() {
        byte[] served = rootWithPemKey().toBytes().toArray();

        for (byte b : served) assertFalse(b >= 0 && b < 0x20, "raw control character in served bytes");
        Json.parse(served, "served root"); // strict RFC 8259 parser: throws on raw control characters
    }

    @Test
    void servedBytesParseBackToTheSignedBytesAndRecord() {
        Signed<Root> original = rootWithPemKey();

        Signed<Root> reread = Signed.parse(original.toBytes().toArray(), Root.class, "root.json");

        assertArrayEquals(original.signedBytes().toArray(), reread.signedBytes().toArray());
        assertEquals(original.signed(), reread.signed());
        assertEquals(PEM, reread.signed().keys().values().iterator().next().publicValue());
    }

    @Test
    void envelopeOfReceivedMetadataKeepsItsSignedBytes() {
        Signed<Root> original = rootWithPemKey();

        Signed<Root> rebuilt = Signed.parse(original.toBytes().toArray(), Root.class, "root.json").withSignatures(List.of());

        assertArrayEquals(original.signedBytes().toArray(), rebuilt.signedBytes().toArray());
        assertArrayEquals(original.signedBytes().toArray(),
                Signed.parse(rebuilt.toBytes().toArray(), Root.class, "root.json").signedBytes().toArray());
    }
}
