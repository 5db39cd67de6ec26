package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

/**
 * {@code PUT /devices/v1/{deviceId}/config}, signed: the device's basic properties (name, network, features) at
 * {@code version}, so a device whose local copy is lost restores its own last good one. {@code properties} is
 * kept as the JSON object the device sent; what it holds is the device's business.
 */
public record ConfigBackup(String deviceId, long version, JsonObject properties) implements DeviceDocument {
    public static final String TYPE = "config";

    public ConfigBackup {
        Read.checkDeviceId(deviceId, "config.deviceId");
        if (version < 1) throw new IllegalArgumentException("config.version must be at least 1");
    }

    public static ConfigBackup fromJson(JsonValue signed) {
        Read r = Read.document(signed, TYPE);
        return new ConfigBackup(r.deviceId("deviceId"), r.positive("version"), r.child("properties").json());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        return Write.document(TYPE).put("deviceId", deviceId).put("version", version).put("properties", properties).json();
    }
}
