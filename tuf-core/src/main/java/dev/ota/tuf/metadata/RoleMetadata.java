package dev.ota.tuf.metadata;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.time.Instant;
import java.util.Map;

/** The {@code signed} part of any TUF metadata file: the fields every role shares. */
public sealed interface RoleMetadata permits Root, Timestamp, Snapshot, Targets {
    /** The specification version this implementation writes. */
    String SPEC_VERSION = "1.0.31";

    String type();

    String specVersion();

    long version();

    Instant expires();

    Map<String, JsonValue> unrecognized();

    JsonObject toJson();

    default boolean isExpired(Instant referenceTime) {
        return !referenceTime.isBefore(expires());
    }
}
