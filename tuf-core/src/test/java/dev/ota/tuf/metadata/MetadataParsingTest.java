package dev.ota.tuf.metadata;

import dev.ota.tuf.DuplicateKeyIdException;
import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataParsingTest {
    private static final String TIMESTAMP = """
            {"signed":{"_type":"timestamp","spec_version":"1.0.31","version":%s,"expires":"%s",
             "meta":{"snapshot.json":{"version":3,"length":120,"hashes":{"sha256":"ab12"}}}%s},
             "signatures":[%s]}""";

    private static byte[] timestamp(String version, String expires, String extra, String sigs) {
        return String.format(TIMESTAMP, version, expires, extra, sigs).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesTimestampFields() {
        Signed<Timestamp> t = Signed.parse(timestamp("7", "2030-01-02T03:04:05Z", "", ""), Timestamp.class, "timestamp.json");

        assertEquals(7, t.signed().version());
        assertEquals(Instant.parse("2030-01-02T03:04:05Z"), t.signed().expires());
        assertEquals(3, t.signed().snapshotMeta().version());
        assertEquals(120, t.signed().snapshotMeta().length().getAsLong());
    }

    @Test
    void keepsUnknownFieldsSoSignedBytesRoundTrip() {
        byte[] bytes = timestamp("7", "2030-01-02T03:04:05Z", ",\"x-vendor\":{\"z\":[1,2,{\"q\":null}]}", "");
        Signed<Timestamp> t = Signed.parse(bytes, Timestamp.class, "timestamp.json");

        byte[] reEmitted = CanonicalJson.encode(t.signed().toJson());

        assertArrayEquals(t.signedBytes().toArray(), reEmitted);
        assertTrue(t.signed().unrecognized().containsKey("x-vendor"));
    }

    @Test
    void namesTheFieldOfAWrongType() {
        MalformedMetadataException e = assertThrows(MalformedMetadataException.class,
                () -> Signed.parse(timestamp("\"7\"", "2030-01-02T03:04:05Z", "", ""), Timestamp.class, "timestamp.json"));

        assertEquals("timestamp.json.signed.version", e.where());
    }

    @Test
    void rejectsVersionZeroNegativeAndHuge() {
        for (String v : new String[] {"0", "-1", "99999999999999999999999"}) {
            assertThrows(MalformedMetadataException.class,
                    () -> Signed.parse(timestamp(v, "2030-01-02T03:04:05Z", "", ""), Timestamp.class, "t"), v);
        }
    }

    @Test
    void rejectsExpiryThatIsNotADate() {
        assertThrows(MalformedMetadataException.class,
                () -> Signed.parse(timestamp("1", "tomorrow", "", ""), Timestamp.class, "t"));
        assertThrows(MalformedMetadataException.class,
                () -> Signed.parse(timestamp("1", "2030-02-30T00:00:00Z", "", ""), Timestamp.class, "t"));
    }

    @Test
    void rejectsWrongRoleType() {
        MalformedMetadataException e = assertThrows(MalformedMetadataException.class,
                () -> Signed.parse(timestamp("1", "2030-01-02T03:04:05Z", "", ""), Snapshot.class, "snapshot.json"));

        assertEquals("snapshot.json.signed._type", e.where());
    }

    @Test
    void rejectsAnotherMajorSpecificationVersion() {
        byte[] bytes = new String(timestamp("1", "2030-01-02T03:04:05Z", "", ""), StandardCharsets.UTF_8)
                .replace("1.0.31", "2.0.0").getBytes(StandardCharsets.UTF_8);

        assertThrows(MalformedMetadataException.class, () -> Signed.parse(bytes, Timestamp.class, "t"));
    }

    @Test
    void rejectsTwoSignaturesFromTheSameKeyId() {
        String sig = "{\"keyid\":\"aa\",\"sig\":\"00\"}";

        DuplicateKeyIdException e = assertThrows(DuplicateKeyIdException.class,
                () -> Signed.parse(timestamp("1", "2030-01-02T03:04:05Z", "", sig + "," + sig), Timestamp.class, "t"));

        assertEquals("aa", e.keyId());
    }

    @Test
    void rejectsTimestampListingMoreThanSnapshot() {
        byte[] bytes = new String(timestamp("1", "2030-01-02T03:04:05Z", "", ""), StandardCharsets.UTF_8)
                .replace("\"meta\":{", "\"meta\":{\"targets.json\":{\"version\":1},").getBytes(StandardCharsets.UTF_8);

        assertThrows(MalformedMetadataException.class, () -> Signed.parse(bytes, Timestamp.class, "t"));
    }

    @Test
    void readsLegacyRfc3339ExpiryConservatively() {
        Instant i = Common.parseExpires("2021-12-18T13:28:12.99008-06:00", "root.expires");

        assertEquals(Instant.parse("2021-12-18T19:28:12.99008Z"), i);
    }

    @Test
    void keyIdIsSha256OfCanonicalKey() {
        Key key = new Key("ed25519", "ed25519", "a".repeat(64));

        String expected = Bytes.of(CanonicalJson.encode(Json.parse(
                ("{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"" + "a".repeat(64) + "\"},\"scheme\":\"ed25519\"}")
                        .getBytes(StandardCharsets.UTF_8), "key"))).sha256Hex();

        assertEquals(expected, key.keyId());
    }

    @Test
    void delegationNeedsExactlyOneOfPathsAndHashPrefixes() {
        String targets = """
                {"signed":{"_type":"targets","spec_version":"1.0","version":1,"expires":"2030-01-01T00:00:00Z","targets":{},
                 "delegations":{"keys":{},"roles":[{"name":"r","keyids":[],"threshold":1,"terminating":false,
                 "paths":["*"],"path_hash_prefixes":["ab"]}]}},"signatures":[]}""";

        assertThrows(MalformedMetadataException.class,
                () -> Signed.parse(targets.getBytes(StandardCharsets.UTF_8), Targets.class, "targets.json"));
    }
}
