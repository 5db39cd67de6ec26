package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Key;

import java.time.Instant;

/**
 * {@code POST /devices/v1/{deviceId}/keys}: the device replaces its key. Signed by the old key and by the new
 * one ({@code envelope.verify(oldKey, newKey)} must find both), so neither a thief of the old key alone nor a
 * stranger with a fresh key can take the device over.
 */
public record KeyRotation(String deviceId, long counter, Key newKey, Instant time) implements DeviceDocument {
    public static final String TYPE = "key-rotation";

    public KeyRotation {
        Read.checkDeviceId(deviceId, "key-rotation.deviceId");
        Write.checkTime(time, "key-rotation.time");
    }

    public static KeyRotation fromJson(JsonValue signed) {
        Read r = Read.document(signed, TYPE);
        return new KeyRotation(r.deviceId("deviceId"), r.nonNegative("counter"), r.key("newKey"), r.time("time"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        return Write.document(TYPE).put("deviceId", deviceId).put("counter", counter).put("newKey", newKey.toJson())
                .put("time", time).json();
    }
}
