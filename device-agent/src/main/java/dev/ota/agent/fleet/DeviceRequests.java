package dev.ota.agent.fleet;

import dev.ota.protocol.Checkin;
import dev.ota.protocol.ConfigBackup;
import dev.ota.protocol.Enrollment;
import dev.ota.tuf.metadata.Bytes;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Builds the signed requests of device-api.md for one device. Pure: same inputs, same bytes. */
public final class DeviceRequests {
    private DeviceRequests() {
    }

    /** {@code POST /devices/v1/enrollments}, signed by the new key it carries. */
    public static DeviceRequest enrollment(DeviceIdentity id, String token, String agentVersion, Instant time) {
        Enrollment e = new Enrollment(token, id.deviceId(), id.hardwareId(), id.publicKey(), agentVersion, seconds(time));
        return new DeviceRequest("POST", "/devices/v1/enrollments", Optional.of(Bytes.of(id.sign(e).toBytes())), Optional.empty());
    }

    /** {@code POST /devices/v1/{deviceId}/checkins}, signed. */
    public static DeviceRequest checkin(DeviceIdentity id, Checkin checkin) {
        return new DeviceRequest("POST", "/devices/v1/" + id.deviceId() + "/checkins", Optional.of(Bytes.of(id.sign(checkin).toBytes())),
                Optional.empty());
    }

    /** {@code PUT /devices/v1/{deviceId}/config}, signed. */
    public static DeviceRequest configUpload(DeviceIdentity id, ConfigBackup config) {
        return new DeviceRequest("PUT", "/devices/v1/" + id.deviceId() + "/config", Optional.of(Bytes.of(id.sign(config).toBytes())),
                Optional.empty());
    }

    /** {@code GET /devices/v1/{deviceId}/config} with the bearer token of the last check-in. */
    public static DeviceRequest configDownload(DeviceIdentity id, String token) {
        return new DeviceRequest("GET", "/devices/v1/" + id.deviceId() + "/config", Optional.empty(), Optional.of(token));
    }

    /** The protocol's times have no fractions of a second. */
    public static Instant seconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS);
    }
}
