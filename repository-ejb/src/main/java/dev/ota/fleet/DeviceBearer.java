package dev.ota.fleet;

import dev.ota.error.ErrorKind;

import java.time.Instant;
import java.util.List;

/**
 * The decision on a device's GET (configuration, director metadata): the bearer token of one of its check-ins,
 * not expired, minted at the device's current token generation, and the device still accepted. The caller reads
 * status and generation in a statement it runs anyway; no token is looked up in the database.
 */
public final class DeviceBearer {
    private DeviceBearer() {
    }

    /**
     * 401 unless {@code bearer} opens {@code deviceId}'s GETs at {@code now}; {@code status} null when there is no
     * such device. A decommissioned device is refused whatever its token says (its generation moved as well).
     */
    public static void require(String deviceId, String bearer, DeviceStatus status, long generation, Instant now,
                               List<DeviceTokens.Key> keys) {
        requirePresent(bearer);
        if (status != DeviceStatus.ACCEPTED || !DeviceTokens.check(bearer, deviceId, generation, now, keys)) {
            throw new FleetFailure("device.token-invalid", ErrorKind.UNAUTHENTICATED,
                    "the bearer token is unknown, expired or not this device's; check in for a new one");
        }
    }

    public static void requirePresent(String bearer) {
        if (bearer == null || bearer.isEmpty()) {
            throw new FleetFailure("device.token-missing", ErrorKind.UNAUTHENTICATED,
                    "send the token of the last check-in as 'Authorization: Bearer <token>'");
        }
    }
}
