package dev.ota.interop.json;

import dev.ota.interop.NodeScript;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The known gap of interop/KNOWN-GAPS.md, pinned down: {@code @tufjs/canonical-json} sorts keys with
 * JavaScript's {@code sort()} (UTF-16 units), tuf-core sorts by code point like securesystemslib. They
 * disagree exactly when sibling keys hold, at the first differing position, a character above U+FFFF
 * and one in U+E000..U+FFFF. If tuf-js ever switches to code points these tests fail and the gap closes.
 */
class TufJsKeyOrderDivergenceTest {
    private static final String FULLWIDTH_A = "\uff21";          // U+FF21
    private static final String GRINNING = "\ud83d\ude00";       // U+1F600, UTF-16 units D83D DE00
    private static final NodeScript CANONICALIZE = new NodeScript("canonicalize.js", Duration.ofSeconds(30));
    private static final NodeScript SIGN_TARGETS = new NodeScript("sign-targets.js", Duration.ofSeconds(30));

    @Test
    void tufJsOrdersNonBmpKeyBeforeE000ToFfffKeyWhereWeOrderByCodePoint() {
        String json = "{\"" + FULLWIDTH_A + "\":1,\"" + GRINNING + "\":2}";
        JsonValue document = Json.parse(json.getBytes(StandardCharsets.UTF_8), "divergence");

        byte[] theirs = CanonicalJsonInteropTest.decodeLines(CANONICALIZE.run(("[" + json + "]").getBytes(StandardCharsets.UTF_8))).get(0);
        byte[] ours = CanonicalJson.encode(document);

        assertEquals("{\"" + GRINNING + "\":2,\"" + FULLWIDTH_A + "\":1}", new String(theirs, StandardCharsets.UTF_8),
                "tuf-js: UTF-16 order, D83D < FF21");
        assertEquals("{\"" + FULLWIDTH_A + "\":1,\"" + GRINNING + "\":2}", new String(ours, StandardCharsets.UTF_8),
                "tuf-core: code point order, U+FF21 < U+1F600");
    }

    @Test
    void tufJsSignatureOnTargetsCoversOurCanonicalBytesUnlessTargetNamesDiverge() throws Exception {
        // Ordinary target names: tuf-js signs exactly the bytes we would sign and verify.
        assertTrue(signatureFromTufJsVerifiesOverOurCanonicalBytes(List.of("a.bin", "\u00e9.bin", GRINNING + ".bin")));
        // Target paths are object keys in targets metadata, so two such names make the signatures disagree.
        assertFalse(signatureFromTufJsVerifiesOverOurCanonicalBytes(List.of(FULLWIDTH_A + ".bin", GRINNING + ".bin")));
    }

    private static boolean signatureFromTufJsVerifiesOverOurCanonicalBytes(List<String> targetNames)
            throws GeneralSecurityException {
        StringBuilder targets = new StringBuilder();
        for (String name : targetNames) {
            targets.append(targets.length() == 0 ? "" : ",")
                    .append("\"").append(name).append("\":{\"length\":1,\"hashes\":{\"sha256\":")
                    .append("\"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d\"}}");
        }
        String signed = "{\"_type\":\"targets\",\"spec_version\":\"1.0.31\",\"version\":1,"
                + "\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{" + targets + "}}";

        JsonValue.JsonObject out = (JsonValue.JsonObject) Json.parse(SIGN_TARGETS.run(signed.getBytes(StandardCharsets.UTF_8)), "sign-targets output");
        JsonValue.JsonObject metadata = (JsonValue.JsonObject) out.get("metadata");
        JsonValue.JsonArray signatures = (JsonValue.JsonArray) metadata.get("signatures");
        assertEquals(1, signatures.elements().size());
        String sigHex = ((JsonValue.JsonString) ((JsonValue.JsonObject) signatures.elements().get(0)).get("sig")).value();
        String publicHex = ((JsonValue.JsonString) out.get("public")).value();

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(ed25519PublicKey(HexFormat.of().parseHex(publicHex)));
        verifier.update(CanonicalJson.encode(metadata.get("signed")));
        return verifier.verify(HexFormat.of().parseHex(sigHex));
    }

    /** Wraps a raw 32-byte Ed25519 key (TUF's "public" hex) in the X.509 structure the JDK reads. */
    private static PublicKey ed25519PublicKey(byte[] raw) throws GeneralSecurityException {
        byte[] spkiPrefix = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] spki = new byte[spkiPrefix.length + raw.length];
        System.arraycopy(spkiPrefix, 0, spki, 0, spkiPrefix.length);
        System.arraycopy(raw, 0, spki, spkiPrefix.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }
}
