package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue.JsonObject;

/** A document a device signs and sends in an {@link Envelope}: it knows its {@code _type} and its JSON. */
public sealed interface DeviceDocument permits Enrollment, Checkin, ConfigBackup, KeyRotation {
    String type();

    JsonObject toJson();
}
