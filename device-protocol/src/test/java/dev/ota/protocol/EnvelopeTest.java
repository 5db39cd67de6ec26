package dev.ota.protocol;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.crypto.VerificationResult;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signing and verifying a device document with the device key, over canonical bytes as TUF does. */
class EnvelopeTest {
    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    static final SigningKey DEVICE = SigningKey.generate();

    static Checkin checkin(long counter) {
        return new Checkin("lock-0042", counter, T, Checkin.DeviceState.IDLE, Optional.empty(),
                Map.of("lock-0042", new Checkin.Ecu("lock-v2", Optional.empty(), "")), OptionalLong.empty(), List.of(), Optional.empty());
    }

    @Test
    void aSignedCheckinVerifiesWithTheDeviceKeyAfterTheWire() {
        byte[] wire = Envelope.sign(checkin(5), DEVICE).toBytes();

        Envelope received = Envelope.parse(wire);

        assertTrue(received.verify(DEVICE.publicKey()).thresholdMet());
        assertEquals("checkin", received.type());
        assertEquals(checkin(5), Checkin.fromJson(received.signed()));
    }

    @Test
    void signaturesAreOverTheCanonicalBytesAsReceivedNotAReserialisation() {
        // The same document laid out differently on the wire (spaces, member order) still verifies.
        byte[] canonical = Envelope.sign(checkin(5), DEVICE).toBytes();
        String spaced = new String(canonical, StandardCharsets.UTF_8).replace(",\"", ", \"").replace("\":", "\": ");

        assertTrue(Envelope.parse(spaced.getBytes(StandardCharsets.UTF_8)).verify(DEVICE.publicKey()).thresholdMet());
    }

    @Test
    void rejectsADocumentChangedAfterSigning() {
        Envelope signed = Envelope.sign(checkin(5), DEVICE);
        JsonObject changed = checkin(6).toJson();
        Envelope tampered = new Envelope(changed, signed.signatures(), dev.ota.tuf.metadata.Bytes.of(CanonicalJson.encode(changed)));

        VerificationResult r = Envelope.parse(tampered.toBytes()).verify(DEVICE.publicKey());

        assertFalse(r.thresholdMet());
        assertEquals(Set.of(DEVICE.keyId()), r.missingKeyIds());
    }

    @Test
    void rejectsADocumentSignedByAnotherKey() {
        Envelope byStranger = Envelope.sign(checkin(5), SigningKey.generate());

        assertFalse(byStranger.verify(DEVICE.publicKey()).thresholdMet());
    }

    @Test
    void aKeyRotationNeedsBothTheOldAndTheNewKey() {
        SigningKey next = SigningKey.generate(KeyType.ECDSA_P256);
        KeyRotation rotation = new KeyRotation("lock-0042", 9, next.publicKey(), T);

        assertTrue(Envelope.sign(rotation, DEVICE, next).verify(DEVICE.publicKey(), next.publicKey()).thresholdMet());
        VerificationResult oldOnly = Envelope.sign(rotation, DEVICE).verify(DEVICE.publicKey(), next.publicKey());
        assertFalse(oldOnly.thresholdMet());
        assertEquals(Set.of(next.keyId()), oldOnly.missingKeyIds());
    }

    @Test
    void refusesAnEnvelopeNamingAKeyIdTwice() {
        String one = new String(Envelope.sign(checkin(5), DEVICE).toBytes(), StandardCharsets.UTF_8);
        int start = one.indexOf("[{") + 1;
        int end = one.indexOf("}]") + 1;
        String sig = one.substring(start, end);
        byte[] twice = (one.substring(0, end) + "," + sig + one.substring(end)).getBytes(StandardCharsets.UTF_8);

        MalformedDocumentException e = assertThrows(MalformedDocumentException.class, () -> Envelope.parse(twice));

        assertEquals("envelope.signatures[1].keyid", e.field());
    }

    @Test
    void refusesTheCharacterU0000InAnyStringOrMemberNameOfTheSignedDocument() {
        String wire = new String(Envelope.sign(checkin(5), DEVICE).toBytes(), StandardCharsets.UTF_8);
        String inValue = wire.replace("\"idle\"", "\"idle\",\"stateReason\":\"x\\u0000y\"");
        String inName = wire.replace("\"idle\"", "\"idle\",\"a\\u0000\":1");

        assertEquals("signed.stateReason", assertThrows(MalformedDocumentException.class,
                () -> Envelope.parse(inValue.getBytes(StandardCharsets.UTF_8))).field());
        assertEquals("signed", assertThrows(MalformedDocumentException.class,
                () -> Envelope.parse(inName.getBytes(StandardCharsets.UTF_8))).field());
    }

    @Test
    void refusesBytesThatAreNotAnEnvelope() {
        assertEquals("envelope", assertThrows(MalformedDocumentException.class,
                () -> Envelope.parse("not json".getBytes(StandardCharsets.UTF_8))).field());
        assertEquals("envelope.signed", assertThrows(MalformedDocumentException.class,
                () -> Envelope.parse("{\"signatures\": []}".getBytes(StandardCharsets.UTF_8))).field());
    }

    @Test
    void encodesCanonically() {
        Envelope e = Envelope.sign(checkin(5), DEVICE);

        assertArrayEquals(CanonicalJson.encode(Json.parse(e.toBytes(), "x")), e.toBytes());
    }
}
