package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Key;

import java.time.Instant;

/** {@code POST /devices/v1/enrollments}, signed by the new key {@code publicKey} (device-api.md, "Enrollment"). */
public record Enrollment(String token, String deviceId, String hardwareId, Key publicKey, String agentVersion,
                         Instant time) implements DeviceDocument {
    public static final String TYPE = "enrollment";

    public Enrollment {
        Read.checkDeviceId(deviceId, "enrollment.deviceId");
        Write.checkTime(time, "enrollment.time");
    }

    /** @throws MalformedDocumentException naming the field that is missing or of the wrong type */
    public static Enrollment fromJson(JsonValue signed) {
        Read r = Read.document(signed, TYPE);
        return new Enrollment(r.text("token", 256), r.deviceId("deviceId"), r.text("hardwareId", 100), r.key("publicKey"),
                r.text("agentVersion", 100), r.time("time"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        return Write.document(TYPE).put("token", token).put("deviceId", deviceId).put("hardwareId", hardwareId)
                .put("publicKey", publicKey.toJson()).put("agentVersion", agentVersion).put("time", time).json();
    }
}
