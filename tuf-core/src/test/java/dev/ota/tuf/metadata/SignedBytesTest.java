package dev.ota.tuf.metadata;

import dev.ota.tuf.json.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SignedBytesTest {
    private static Signed<Root> rootWithPemKey() {
        Key pem = new Key("ecdsa", "ecdsa-sha2-nistp256", "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n");
        String id = pem.keyId();
        Root root = new Root("1.0.31", 1, Instant.parse("2030-01-01T00:00:00Z"), true, Map.of(id, pem),
                Map.of("root", new Role(List.of(id), 1), "timestamp", new Role(List.of(id), 1),
                        "snapshot", new Role(List.of(id), 1), "targets", new Role(List.of(id), 1)), Map.of());
        return Signed.of(root, List.of(new Signature(id, "00")));
    }

    @Test
    void servedBytesOfPemKeysParseBackToTheSignedBytes() {
        Signed<Root> signed = rootWithPemKey();

        Signed<Root> reread = Signed.parse(signed.toBytes().toArray(), Root.class, "1.root.json");

        assertEquals(signed.signedBytes(), reread.signedBytes());
        assertEquals(signed.signed(), reread.signed());
    }

    @Test
    void servedBytesAreTheCanonicalEnvelopeWhenNoControlCharacters() {
        Signed<Root> signed = rootWithPemKey();

        byte[] canonical = CanonicalJson.encode(signed.toJson());

        assertArrayEquals(CanonicalJson.toParsableJson(canonical), signed.toBytes().toArray());
    }
}
