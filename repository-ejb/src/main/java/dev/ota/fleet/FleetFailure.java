package dev.ota.fleet;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

/** A fleet request refused on purpose; its code is part of device-api.md's error vocabulary. */
public final class FleetFailure extends OtaException {
    private static final long serialVersionUID = 1L;

    public FleetFailure(String code, ErrorKind kind, String message) {
        super(code, kind, message);
    }

    static FleetFailure malformed(String document, String message) {
        return new FleetFailure(document + ".malformed", ErrorKind.INVALID_INPUT, message);
    }

    static FleetFailure unknownDevice(String deviceId) {
        return new FleetFailure("device.unknown", ErrorKind.UNAUTHENTICATED, "no device '" + deviceId + "' is enrolled");
    }

    static FleetFailure badSignature(String what) {
        return new FleetFailure("device.bad-signature", ErrorKind.UNAUTHENTICATED,
                "the " + what + " is not signed by the device's key");
    }

    /** 403 for a device that may not talk to the server now (pending, rejected, decommissioned). */
    static FleetFailure notAccepted(String deviceId, DeviceStatus status) {
        String why = switch (status) {
            case PENDING -> "is waiting for an administrator to accept it";
            case REJECTED -> "was rejected by an administrator";
            case DECOMMISSIONED -> "is decommissioned";
            case ACCEPTED -> "is accepted";
        };
        return new FleetFailure("device." + status.name().toLowerCase(java.util.Locale.ROOT), ErrorKind.FORBIDDEN,
                "device '" + deviceId + "' " + why);
    }

    static FleetFailure noSuchDevice(String deviceId) {
        return new FleetFailure("device.not-found", ErrorKind.NOT_FOUND, "no device '" + deviceId + "'");
    }
}
