package dev.ota.tuf.crypto;

import dev.ota.tuf.ThresholdNotMetException;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Timestamp;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threshold counting over signatures made by {@link Signing}, one key type of each kind. */
class SignatureCheckTest {
    private static final Timestamp TIMESTAMP = new Timestamp("1.0.31", 3, Instant.parse("2030-01-01T00:00:00Z"),
            new MetaFile(5), Map.of());

    private final SigningKey ed = TestKeys.key(KeyType.ED25519);
    private final SigningKey ec = TestKeys.key(KeyType.ECDSA_P256);
    private final SigningKey rsa = TestKeys.key(KeyType.RSA_PSS);
    private final SigningKey outsider = TestKeys.other(KeyType.ED25519);

    private static RoleKeys roleKeys(int threshold, SigningKey... keys) {
        Map<String, Key> byId = new LinkedHashMap<>();
        for (SigningKey k : keys) byId.put(k.keyId(), k.publicKey());
        return new RoleKeys(List.copyOf(byId.keySet()), byId, threshold);
    }

    @Test
    void thresholdIsMetWhenEnoughAuthorisedKeysSigned() {
        Signed<Timestamp> signed = Signing.sign(TIMESTAMP, List.of(ed, ec, rsa));
        VerificationResult result = SignatureCheck.verify("timestamp", signed, roleKeys(3, ed, ec, rsa));
        assertTrue(result.thresholdMet());
        assertEquals(Set.of(ed.keyId(), ec.keyId(), rsa.keyId()), result.validKeyIds());
        assertEquals(Set.of(), result.missingKeyIds());
    }

    @Test
    void signatureByUnauthorisedKeyDoesNotCount() {
        Signed<Timestamp> signed = Signing.sign(TIMESTAMP, List.of(ed, outsider));
        VerificationResult result = SignatureCheck.verify("timestamp", signed, roleKeys(2, ed, ec));
        assertFalse(result.thresholdMet());
        assertEquals(Set.of(ed.keyId()), result.validKeyIds());
        assertEquals(Set.of(ec.keyId()), result.missingKeyIds());
        ThresholdNotMetException e = assertThrows(ThresholdNotMetException.class, result::requireThreshold);
        assertEquals("timestamp", e.role());
        assertEquals(2, e.threshold());
        assertEquals(Set.of(ed.keyId()), e.validKeyIds());
        assertEquals(Set.of(ec.keyId()), e.missingKeyIds());
    }

    @Test
    void signatureLabelledWithAuthorisedKeyIdButMadeByAnotherKeyDoesNotCount() {
        Signed<Timestamp> unsigned = Signing.sign(TIMESTAMP, List.of());
        Signature forged = new Signature(ec.keyId(), outsider.sign(unsigned.signedBytes().toArray()).sig());
        Signed<Timestamp> signed = unsigned.withSignatures(List.of(ed.sign(unsigned.signedBytes().toArray()), forged));
        VerificationResult result = SignatureCheck.verify("timestamp", signed, roleKeys(2, ed, ec));
        assertEquals(Set.of(ed.keyId()), result.validKeyIds());
        assertFalse(result.thresholdMet());
    }

    @Test
    void duplicatedSignatureBySameKeyCountsOnce() {
        Signed<Timestamp> once = Signing.sign(TIMESTAMP, List.of(ed));
        Signature sig = once.signatures().get(0);
        // Built directly: Signed.parse already refuses a repeated key id, the count must not rely on that.
        Signed<Timestamp> twice = new Signed<>(TIMESTAMP, List.of(sig, sig), once.signedBytes(), Map.of());
        VerificationResult result = SignatureCheck.verify("timestamp", twice, roleKeys(2, ed, ec));
        assertEquals(Set.of(ed.keyId()), result.validKeyIds());
        assertFalse(result.thresholdMet());
    }

    @Test
    void signaturesAreCheckedOverTheSignedBytesNotTheRecord() {
        Signed<Timestamp> signed = Signing.sign(TIMESTAMP, List.of(ed));
        Timestamp other = new Timestamp("1.0.31", 4, TIMESTAMP.expires(), new MetaFile(6), Map.of());
        Signed<Timestamp> swapped = new Signed<>(other, signed.signatures(),
                Signed.of(other, List.of()).signedBytes(), Map.of());
        assertFalse(SignatureCheck.verify("timestamp", swapped, roleKeys(1, ed)).thresholdMet());
    }

    @Test
    void thresholdCeremonyCompletesOneSignatureAtATime() {
        RoleKeys keys = roleKeys(2, ed, ec, rsa);
        Signed<Timestamp> unsigned = Signing.sign(TIMESTAMP, List.of());
        assertEquals(List.of(), unsigned.signatures());

        Signed<Timestamp> first = Signing.addSignature(unsigned, ec);
        assertFalse(SignatureCheck.verify("timestamp", first, keys).thresholdMet());
        Signed<Timestamp> second = Signing.addSignature(first, rsa);
        VerificationResult result = SignatureCheck.verify("timestamp", second, keys);
        assertTrue(result.thresholdMet());
        assertEquals(Set.of(ed.keyId()), result.missingKeyIds());
        assertEquals(unsigned.signedBytes(), second.signedBytes());
    }

    @Test
    void addingASignatureAgainReplacesTheKeysEarlierSignature() {
        Signed<Timestamp> signed = Signing.sign(TIMESTAMP, List.of(ed, rsa));
        Signed<Timestamp> resigned = Signing.addSignature(signed, rsa);
        assertEquals(List.of(ed.keyId(), rsa.keyId()), resigned.signatures().stream().map(Signature::keyId).toList());
        assertTrue(SignatureCheck.verify("timestamp", resigned, roleKeys(2, ed, rsa)).thresholdMet());
    }

    @Test
    void signingWithTheSameKeyTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Signing.sign(TIMESTAMP, List.of(ed, ec, ed)));
    }

    @Test
    void signedEnvelopeSurvivesSerialisationAndParsing() {
        Signed<Timestamp> signed = Signing.sign(TIMESTAMP, List.of(ed, ec, rsa));
        Signed<Timestamp> parsed = Signed.parse(signed.toBytes().toArray(), Timestamp.class, "timestamp.json");
        assertTrue(SignatureCheck.verify("timestamp", parsed, roleKeys(3, ed, ec, rsa)).thresholdMet());
    }
}
