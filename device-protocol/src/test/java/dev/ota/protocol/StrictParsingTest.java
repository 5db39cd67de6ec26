package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.ota.protocol.RoundTripTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Wrong types and values are refused with a typed exception that names the field; tests check the field. */
class StrictParsingTest {
    static final String CHECKIN = "{'_type': 'checkin', 'deviceId': 'lock-0042', 'counter': 1, 'time': '2026-11-25T10:00:00Z',"
            + " 'state': 'idle', 'ecus': {'lock-0042': {'hardwareId': 'lock-v2', 'installed': {'filepath': 'f.bin', 'length': 1,"
            + " 'hashes': {'sha256': 'ab'}}}}}";

    private static String refusedField(Runnable parse) {
        return assertThrows(MalformedDocumentException.class, parse::run).field();
    }

    private static String checkinWith(String from, String to) {
        String s = CHECKIN.replace(from, to);
        if (s.equals(CHECKIN)) throw new IllegalArgumentException("test edit did not apply: " + from);
        return s;
    }

    @Test
    void refusesAReleaseCounterThatIsNotANonNegativeInteger() {
        assertEquals("custom.releaseCounter", refusedField(() -> ReleaseFields.fromCustom(Optional.of(json("{'hardwareIds': ['a'], 'releaseCounter': '7'}")))));
        assertEquals("custom.releaseCounter", refusedField(() -> ReleaseFields.fromCustom(Optional.of(json("{'hardwareIds': ['a'], 'releaseCounter': -1}")))));
        assertEquals("custom.releaseCounter", refusedField(() -> ReleaseFields.fromCustom(Optional.of(json("{'hardwareIds': ['a'], 'releaseCounter': 99999999999999999999}")))));
    }

    @Test
    void refusesHardwareIdsThatAreNotANonEmptyListOfStrings() {
        assertEquals("custom.hardwareIds", refusedField(() -> ReleaseFields.fromCustom(Optional.of(json("{'hardwareIds': 'gw-a'}")))));
        assertEquals("custom.hardwareIds[1]", refusedField(() -> ReleaseFields.fromCustom(Optional.of(json("{'hardwareIds': ['gw-a', 3]}")))));
        assertEquals("custom.hardwareIds", refusedField(() -> ReleaseFields.fromCustom(Optional.of(json("{'hardwareIds': []}")))));
        assertEquals("custom.hardwareIds", refusedField(() -> ReleaseFields.fromCustom(Optional.of(json("{'version': '1.0'}")))));
        assertEquals("custom", refusedField(() -> ReleaseFields.fromCustom(Optional.empty())));
        assertEquals("custom", refusedField(() -> ReleaseFields.fromCustom(Optional.of(JsonValue.of("x")))));
    }

    @Test
    void refusesAVersionThatIsNotAString() {
        assertEquals("custom.version", refusedField(() -> ReleaseFields.fromCustom(Optional.of(json("{'hardwareIds': ['a'], 'version': 1}")))));
    }

    @Test
    void refusesCheckinFieldsOfTheWrongType() {
        assertEquals("checkin.counter", refusedField(() -> Checkin.fromJson(json(checkinWith("'counter': 1", "'counter': '1'")))));
        assertEquals("checkin.state", refusedField(() -> Checkin.fromJson(json(checkinWith("'idle'", "'asleep'")))));
        assertEquals("checkin.time", refusedField(() -> Checkin.fromJson(json(checkinWith("10:00:00Z", "10:00:00.5Z")))));
        // Instant.parse reads 23:59:60 as 23:59:59: a leap second would be read as another time than was signed.
        assertEquals("checkin.time", refusedField(() -> Checkin.fromJson(json(checkinWith("2026-11-25T10:00:00Z",
                "2026-12-31T23:59:60Z")))));
        assertEquals("checkin.deviceId", refusedField(() -> Checkin.fromJson(json(checkinWith("'deviceId': 'lock-0042'", "'deviceId': '.hidden'")))));
        assertEquals("checkin.ecus.lock-0042.installed.length",
                refusedField(() -> Checkin.fromJson(json(checkinWith("'length': 1", "'length': true")))));
        assertEquals("checkin.ecus.lock-0042.installed.hashes.sha256",
                refusedField(() -> Checkin.fromJson(json(checkinWith("'ab'", "'not hex'")))));
        assertEquals("checkin._type", refusedField(() -> Checkin.fromJson(json(checkinWith("'checkin'", "'enrollment'")))));
        assertEquals("checkin.ecus", refusedField(() -> Checkin.fromJson(json(checkinWith("'ecus': {", "'ecuz': {")))));
    }

    @Test
    void acceptsHardwareIdsAsLongAsTheReleaseCatalogueAllowsAndNoLonger() {
        String hundred = "h".repeat(100);

        assertEquals(hundred, Checkin.fromJson(json(checkinWith("'hardwareId': 'lock-v2'", "'hardwareId': '" + hundred + "'")))
                .ecus().get("lock-0042").hardwareId());
        assertEquals("checkin.ecus.lock-0042.hardwareId",
                refusedField(() -> Checkin.fromJson(json(checkinWith("'hardwareId': 'lock-v2'", "'hardwareId': '" + hundred + "h'")))));
    }

    @Test
    void refusesAFailureReportWithoutItsClass() {
        String report = checkinWith("'state': 'idle',", "'state': 'idle', 'reports': [{'actionId': 'a-1', 'seq': 1, 'state': 'FAILED',"
                + " 'at': '2026-11-25T10:00:00Z', 'detail': 'it broke'}],");

        assertEquals("checkin.reports[0].detail", refusedField(() -> Checkin.fromJson(json(report))));
    }

    @Test
    void refusesDirectorTargetFieldsOfTheWrongType() {
        String ok = "{'ecuIdentifiers': {'e': {'hardwareId': 'h'}}, 'hardwareIds': ['h'], 'releaseCounter': 4, 'actionId': 'a', 'attempt': 1";
        assertEquals("custom.releaseCounter", refusedField(() -> DirectorTarget.fromCustom(json(ok.replace("4,", "'4',") + "}"))));
        assertEquals("custom.installWindows[0]", refusedField(() -> DirectorTarget.fromCustom(json(ok + ", 'installWindows': [['2026-11-25T10:00:00Z']]}"))));
        assertEquals("custom.installWindows[0]", refusedField(() -> DirectorTarget.fromCustom(json(ok
                + ", 'installWindows': [['2026-11-25T10:00:00Z', '2026-11-25T09:00:00Z']]}"))));
        assertEquals("custom.installPolicy", refusedField(() -> DirectorTarget.fromCustom(json(ok + ", 'installPolicy': 'whenever'}"))));
        assertEquals("custom.attempt", refusedField(() -> DirectorTarget.fromCustom(json(ok.replace("'attempt': 1", "'attempt': 0") + "}"))));
    }

    @Test
    void refusesAnEnrollmentWhoseKeyIsNotATufKey() {
        String e = "{'_type': 'enrollment', 'token': 't', 'deviceId': 'd', 'hardwareId': 'h', 'publicKey': {'keytype': 'ed25519'},"
                + " 'agentVersion': '1', 'time': '2026-11-25T10:00:00Z'}";

        assertEquals("enrollment.publicKey", refusedField(() -> Enrollment.fromJson(json(e))));
    }

    @Test
    void refusesACheckinResponseWithANegativePollInterval() {
        assertEquals("checkinResponse.pollAfterSeconds", refusedField(() -> CheckinResponse.fromJson(json("{'pollAfterSeconds': -5}"))));
        assertEquals("checkinResponse.ackedReports.a-9", refusedField(() -> CheckinResponse.fromJson(json("{'pollAfterSeconds': 5, 'ackedReports': {'a-9': 'four'}}"))));
    }

    @Test
    void deviceIdIsOneToSixtyFourOfLettersDigitsDotUnderscoreHyphenNotStartingWithADot() {
        String sixtyFour = "a".repeat(64);
        assertEquals(sixtyFour, Checkin.fromJson(json(checkinWith("'deviceId': 'lock-0042'",
                "'deviceId': '" + sixtyFour + "'"))).deviceId());
        assertEquals("lock_0.42-a", Checkin.fromJson(json(checkinWith("'deviceId': 'lock-0042'",
                "'deviceId': 'lock_0.42-a'"))).deviceId());
        for (String bad : new String[] {"", "a".repeat(65), ".hidden", "lock/0042", "lock 0042", "lock\u00e9"}) {
            assertEquals("checkin.deviceId", refusedField(() -> Checkin.fromJson(json(checkinWith(
                    "'deviceId': 'lock-0042'", "'deviceId': '" + bad + "'")))), bad);
        }
    }

    @Test
    void timesAreUtcToTheSecondWithAZAndNothingElse() {
        for (String bad : new String[] {"2026-11-25T10:00:00+00:00", "2026-11-25 10:00:00Z", "2026-11-25T10:00Z",
                "2026-11-25T23:59:60Z", "2026-02-30T10:00:00Z", "2026-11-25T10:00:00z"}) {
            assertEquals("checkin.time", refusedField(() -> Checkin.fromJson(json(checkinWith(
                    "2026-11-25T10:00:00Z", bad)))), bad);
        }
    }
}
