package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

/** The server's answer to an enrollment: 201/200 {@code {"status", "pollAfterSeconds"}}. */
public record EnrollmentResponse(Status status, long pollAfterSeconds) {
    /** ACCEPTED: enrolled; PENDING: an administrator must accept the device first. */
    public enum Status { ACCEPTED, PENDING }

    public EnrollmentResponse {
        if (pollAfterSeconds < 0) throw new IllegalArgumentException("pollAfterSeconds must not be negative");
    }

    public static EnrollmentResponse fromJson(JsonValue json) {
        Read r = Read.object(json, "enrollmentResponse");
        return new EnrollmentResponse(r.constant("status", Status.class, Status::name), r.nonNegative("pollAfterSeconds"));
    }

    public JsonObject toJson() {
        return Write.object().put("status", status.name()).put("pollAfterSeconds", pollAfterSeconds).json();
    }
}
