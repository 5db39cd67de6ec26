package dev.ota.fleet;

import dev.ota.protocol.Envelope;
import dev.ota.protocol.MalformedDocumentException;
import dev.ota.tuf.TufException;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.metadata.Key;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A signed document as a device sent it: the parsed envelope, the document read strictly by device-protocol and
 * the raw bytes. Every way the bytes can be wrong is a 400 {@code <document>.malformed} naming the field, never
 * a 500; a {@code deviceId} that differs from the path's is malformed too.
 */
record SignedRequest<T>(Envelope envelope, T document, byte[] body) {
    static <T> SignedRequest<T> read(byte[] body, String document, Function<dev.ota.tuf.json.JsonValue, T> reader) {
        try {
            Envelope envelope = Envelope.parse(body);
            return new SignedRequest<>(envelope, reader.apply(envelope.signed()), body);
        } catch (MalformedDocumentException e) {
            throw FleetFailure.malformed(document, e.getMessage());
        } catch (IllegalArgumentException | TufException e) {
            throw FleetFailure.malformed(document, "the " + document + " is not as device-api.md describes it: "
                    + e.getMessage());
        }
    }

    static void requireSameDevice(String pathDeviceId, String bodyDeviceId, String document) {
        if (!pathDeviceId.equals(bodyDeviceId)) {
            throw FleetFailure.malformed(document, document + ".deviceId '" + bodyDeviceId
                    + "' is not the device of the address '" + pathDeviceId + "'");
        }
    }

    boolean signedBy(Key... keys) {
        return envelope.verify(keys).validKeyIds().size() == keys.length;
    }

    static String keyJson(Key key) {
        return new String(CanonicalJson.toParsableJson(CanonicalJson.encode(key.toJson())), StandardCharsets.UTF_8);
    }

    static Key storedKey(Device device) {
        return Key.fromJson(Json.parse(device.publicKey().getBytes(StandardCharsets.UTF_8), "device.public_key"),
                "device.public_key");
    }
}
