package dev.ota.protocol;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every document of device-api.md: the example as the page writes it parses into the record, and the record
 * encodes to canonical JSON that parses back to an equal record (so server and agent agree on signed bytes).
 */
class RoundTripTest {
    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final SigningKey DEVICE_KEY = SigningKey.generate();

    static JsonObject json(String text) {
        return (JsonObject) Json.parse(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8), "test");
    }

    /** Canonical bytes of the record's JSON, parsed again, give the same record and the same bytes. */
    static <T> void roundTrips(T record, java.util.function.Function<T, JsonObject> write, java.util.function.Function<JsonValue, T> read) {
        byte[] canonical = CanonicalJson.encode(write.apply(record));
        T again = read.apply(Json.parse(canonical, "round trip"));
        assertEquals(record, again);
        assertEquals(new String(canonical, StandardCharsets.UTF_8), CanonicalJson.encodeToString(write.apply(again)));
    }

    @Test
    void enrollmentAsDeviceApiWritesIt() {
        String key = CanonicalJson.encodeToString(DEVICE_KEY.publicKey().toJson()).replace('"', '\'');
        Enrollment e = Enrollment.fromJson(json("{'_type': 'enrollment', 'token': 'tok-1', 'deviceId': 'lock-0042',"
                + " 'hardwareId': 'lock-v2', 'publicKey': " + key + ", 'agentVersion': '1.4.0', 'time': '2026-11-25T10:00:00Z'}"));

        assertEquals(new Enrollment("tok-1", "lock-0042", "lock-v2", DEVICE_KEY.publicKey(), "1.4.0", T), e);
        roundTrips(e, Enrollment::toJson, Enrollment::fromJson);
    }

    @Test
    void checkinAsDeviceApiWritesIt() {
        Checkin c = Checkin.fromJson(json("{'_type': 'checkin', 'deviceId': 'lock-0042', 'counter': 1187, 'time': '2026-11-25T10:00:00Z',"
                + " 'state': 'busy', 'stateReason': 'door in use',"
                + " 'ecus': {'lock-0042': {'hardwareId': 'lock-v2', 'installed': {'filepath': 'lock-fw/1.4.0.bin', 'length': 8388608,"
                + "     'hashes': {'sha256': '" + SHA + "'}, 'releaseCounter': 41}, 'attacksDetected': ''}},"
                + " 'director': {'timestampVersion': 33},"
                + " 'reports': [{'actionId': 'a-9', 'seq': 4, 'state': 'DOWNLOADED', 'at': '2026-11-25T09:58:10Z', 'detail': ''},"
                + "             {'actionId': 'a-8', 'seq': 2, 'state': 'FAILED', 'at': '2026-11-25T09:00:00Z', 'detail': 'health: no network'}],"
                + " 'config': {'version': 3, 'sha256': '" + SHA + "'}}"));

        assertEquals(1187, c.counter());
        assertEquals(Checkin.DeviceState.BUSY, c.state());
        assertEquals(OptionalLong.of(41), c.ecus().get("lock-0042").installed().orElseThrow().releaseCounter());
        assertEquals(OptionalLong.of(33), c.directorTimestampVersion());
        assertEquals(Report.State.FAILED, c.reports().get(1).state());
        assertEquals(new Checkin.ConfigReport(3, SHA), c.config().orElseThrow());
        roundTrips(c, Checkin::toJson, Checkin::fromJson);
    }

    @Test
    void minimalCheckinOfANewDevice() {
        Checkin c = new Checkin("lock-0042", 1, T, Checkin.DeviceState.IDLE, Optional.empty(),
                Map.of("lock-0042", new Checkin.Ecu("lock-v2", Optional.empty(), "")), OptionalLong.empty(), List.of(), Optional.empty());

        roundTrips(c, Checkin::toJson, Checkin::fromJson);
    }

    @Test
    void checkinResponseAsDeviceApiWritesIt() {
        CheckinResponse r = CheckinResponse.fromJson(json("{'pollAfterSeconds': 287, 'director': {'timestampVersion': 34},"
                + " 'ackedReports': {'a-9': 4}, 'config': {'version': 3, 'upload': false}, 'token': 'bearer-x',"
                + " 'tokenExpires': '2026-11-25T11:00:00Z'}"));

        assertEquals(new CheckinResponse(287, OptionalLong.of(34), Map.of("a-9", 4L),
                Optional.of(new CheckinResponse.ConfigRequest(3, false)), Optional.of("bearer-x"),
                Optional.of(Instant.parse("2026-11-25T11:00:00Z"))), r);
        roundTrips(r, CheckinResponse::toJson, CheckinResponse::fromJson);
    }

    @Test
    void enrollmentResponse() {
        EnrollmentResponse r = EnrollmentResponse.fromJson(json("{'status': 'PENDING', 'pollAfterSeconds': 60}"));

        assertEquals(new EnrollmentResponse(EnrollmentResponse.Status.PENDING, 60), r);
        roundTrips(r, EnrollmentResponse::toJson, EnrollmentResponse::fromJson);
    }

    @Test
    void configBackupKeepsThePropertiesAsSent() {
        ConfigBackup c = ConfigBackup.fromJson(json("{'_type': 'config', 'deviceId': 'lock-0042', 'version': 3,"
                + " 'properties': {'name': 'front door', 'network': {'wifi': 'iot'}, 'features': ['nfc']}}"));

        assertEquals(3, c.version());
        assertEquals(JsonValue.of("front door"), c.properties().get("name"));
        roundTrips(c, ConfigBackup::toJson, ConfigBackup::fromJson);
    }

    @Test
    void keyRotation() {
        KeyRotation k = new KeyRotation("lock-0042", 1200, SigningKey.generate().publicKey(), T);

        roundTrips(k, KeyRotation::toJson, KeyRotation::fromJson);
    }

    @Test
    void directorTargetCustomAsDeviceApiWritesIt() {
        DirectorTarget d = DirectorTarget.fromCustom(json("{'ecuIdentifiers': {'lock-0042': {'hardwareId': 'lock-v2'}},"
                + " 'hardwareIds': ['lock-v2'], 'releaseCounter': 42, 'actionId': 'a-9', 'attempt': 1,"
                + " 'installWindows': [['2026-11-25T22:00:00Z', '2026-11-26T04:00:00Z']],"
                + " 'installPolicy': 'force-after:2026-11-30T00:00:00Z'}"));

        assertEquals(Map.of("lock-0042", "lock-v2"), d.ecuHardwareIds());
        assertEquals(42, d.releaseCounter());
        assertEquals(Optional.of(Instant.parse("2026-11-30T00:00:00Z")), d.installPolicy().forceAfter());
        assertEquals(new ReleaseFields(List.of("lock-v2"), OptionalLong.of(42), Optional.empty()), d.releaseFields());
        roundTrips(d, DirectorTarget::toJson, DirectorTarget::fromCustom);
    }

    @Test
    void directorTargetWithoutWindowsRespectsBusy() {
        DirectorTarget d = DirectorTarget.fromCustom(json("{'ecuIdentifiers': {'lock-0042': {'hardwareId': 'lock-v2'}},"
                + " 'hardwareIds': ['lock-v2'], 'releaseCounter': 42, 'actionId': 'a-9', 'attempt': 2}"));

        assertEquals(List.of(), d.installWindows());
        assertEquals(DirectorTarget.InstallPolicy.RESPECT_BUSY, d.installPolicy());
        roundTrips(d, DirectorTarget::toJson, DirectorTarget::fromCustom);
    }

    @Test
    void releaseFieldsWithAndWithoutCounter() {
        ReleaseFields withCounter = ReleaseFields.fromCustom(Optional.of(json(
                "{'hardwareIds': ['gw-a', 'gw-b'], 'releaseCounter': 7, 'version': '1.2.0', 'channel': 'beta'}")));
        ReleaseFields without = ReleaseFields.fromCustom(Optional.of(json("{'hardwareIds': ['gw-a'], 'version': '1.0'}")));

        assertEquals(new ReleaseFields(List.of("gw-a", "gw-b"), OptionalLong.of(7), Optional.of("1.2.0")), withCounter);
        assertEquals(OptionalLong.empty(), without.releaseCounter());
        roundTrips(withCounter, ReleaseFields::toJson, j -> ReleaseFields.fromCustom(Optional.of(j)));
        roundTrips(without, ReleaseFields::toJson, j -> ReleaseFields.fromCustom(Optional.of(j)));
    }
}
