package dev.ota.fleet;

/** An enrollment's answer: {@code created} (201) or the same request again (200), and the JSON body. */
public record EnrollmentResult(boolean created, byte[] body) {
}
