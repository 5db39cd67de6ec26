package dev.ota.fleet;

import java.time.Instant;
import java.util.Optional;

/** Pure rules of enrollment (device-api.md, "Enrollment"). */
public final class EnrollmentRules {
    private EnrollmentRules() {
    }

    /** What an enrollment request is, given what is stored under its device id. */
    public enum Kind {
        /** No device has that id: the token decides. */
        NEW,
        /** The same device (same id, same key) again: 200 with its current status, the token is not used again. */
        REPEAT,
        /** The id is enrolled with another key: 409; only an administrator or a rotation replaces a key. */
        OTHER_KEY
    }

    public static Kind kind(Optional<String> storedKeyId, String requestKeyId) {
        if (storedKeyId.isEmpty()) return Kind.NEW;
        return storedKeyId.get().equals(requestKeyId) ? Kind.REPEAT : Kind.OTHER_KEY;
    }

    /**
     * Why {@code token} may not enroll a device of {@code hardwareId} at {@code now}, or empty when it may.
     * An empty allowed set allows every hardware id.
     */
    public static Optional<String> tokenRefusal(EnrollmentTokenView token, String hardwareId, Instant now) {
        return switch (token.stateAt(now)) {
            case REVOKED -> Optional.of("the enrollment token was revoked");
            case EXPIRED -> Optional.of("the enrollment token expired at " + token.expiresAt());
            case USED_UP -> Optional.of("the enrollment token was used its " + token.maxUses() + " times");
            case ACTIVE -> token.hardwareIds().isEmpty() || token.hardwareIds().contains(hardwareId) ? Optional.empty()
                    : Optional.of("the enrollment token is not valid for hardware id '" + hardwareId + "'");
        };
    }

    public static DeviceStatus initialStatus(EnrollmentTokenView token) {
        return token.autoAccept() ? DeviceStatus.ACCEPTED : DeviceStatus.PENDING;
    }
}
