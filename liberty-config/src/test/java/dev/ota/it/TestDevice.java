package dev.ota.it;

import dev.ota.protocol.Checkin;
import dev.ota.protocol.ConfigBackup;
import dev.ota.protocol.Enrollment;
import dev.ota.protocol.Envelope;
import dev.ota.protocol.KeyRotation;
import dev.ota.protocol.Report;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.JsonValue;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A device made in the test from device-protocol and tuf-core alone, as a device maker's own client would be:
 * its key, its counter, envelopes it signs and sends over real HTTP (device-api.md).
 */
final class TestDevice {
    static final Instant TIME = Instant.parse("2026-11-25T10:00:00Z");

    final String id;
    final String hardwareId;
    SigningKey key = SigningKey.generate();
    long counter;

    TestDevice(String id, String hardwareId) {
        this.id = id;
        this.hardwareId = hardwareId;
    }

    byte[] enrollment(String token) {
        return Envelope.sign(new Enrollment(token, id, hardwareId, key.publicKey(), "1.4.0", TIME), key).toBytes();
    }

    HttpResponse<byte[]> enroll(Http http, String token) {
        return post(http, "/devices/v1/enrollments", enrollment(token));
    }

    Checkin checkinDocument(long counter, List<Report> reports, Long configVersion) {
        Checkin.InstalledImage image = new Checkin.InstalledImage("lock-fw/1.4.0.bin", 8388608,
                Map.of("sha256", "ab".repeat(32)), OptionalLong.of(41));
        return new Checkin(id, counter, TIME, Checkin.DeviceState.IDLE, Optional.of("door closed"),
                Map.of(id, new Checkin.Ecu(hardwareId, Optional.of(image), "")), OptionalLong.of(0), reports,
                configVersion == null ? Optional.empty() : Optional.of(new Checkin.ConfigReport(configVersion, "cd".repeat(32))));
    }

    /** The next check-in's bytes, with a counter one above the last this device used. */
    byte[] nextCheckin(List<Report> reports, Long configVersion) {
        counter++;
        return Envelope.sign(checkinDocument(counter, reports, configVersion), key).toBytes();
    }

    HttpResponse<byte[]> checkin(Http http, byte[] body) {
        return post(http, "/devices/v1/" + id + "/checkins", body);
    }

    HttpResponse<byte[]> checkin(Http http) {
        return checkin(http, nextCheckin(List.of(), null));
    }

    byte[] config(long version, String name) {
        return Envelope.sign(new ConfigBackup(id, version, JsonValue.obj("name", JsonValue.of(name))), key).toBytes();
    }

    byte[] rotation(SigningKey next, long counter, SigningKey... signers) {
        return Envelope.sign(new KeyRotation(id, counter, next.publicKey(), TIME), signers).toBytes();
    }

    static HttpResponse<byte[]> post(Http http, String path, byte[] body) {
        return http.sendBytes("POST", path, "application/json", body, new String[0]);
    }

    static Report report(String actionId, long seq, Report.State state) {
        return new Report(actionId, seq, state, TIME, "");
    }
}
