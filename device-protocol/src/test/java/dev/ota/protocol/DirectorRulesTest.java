package dev.ota.protocol;

import dev.ota.protocol.DirectorRules.Device;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.TargetFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per rule of device-api.md, "Director metadata", each named after the rule. */
class DirectorRulesTest {
    private static final String PATH = "lock-fw/2.0.bin";
    private static final String SHA = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";
    private static final String OTHER_SHA = "cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34";
    private static final Device DEVICE = new Device("lock-0042", "lock-v2", OptionalLong.of(41));

    private static JsonValue directorCustom(String ecu, String ecuHardware, List<String> hardwareIds, long counter) {
        return JsonValue.obj("ecuIdentifiers", JsonValue.obj(ecu, JsonValue.obj("hardwareId", JsonValue.of(ecuHardware))),
                "hardwareIds", JsonValue.arr(hardwareIds.stream().map(JsonValue::of).toList()),
                "releaseCounter", JsonValue.of(counter), "actionId", JsonValue.of("a-9"), "attempt", JsonValue.of(1));
    }

    private static TargetFile director(JsonValue custom) {
        return new TargetFile(1024, Map.of("sha256", SHA), Optional.of(custom), Map.of());
    }

    private static TargetFile image(long length, String sha, List<String> hardwareIds, long counter) {
        return new TargetFile(length, Map.of("sha256", sha), Optional.of(JsonValue.obj("version", JsonValue.of("2.0"),
                "hardwareIds", JsonValue.arr(hardwareIds.stream().map(JsonValue::of).toList()),
                "releaseCounter", JsonValue.of(counter))), Map.of());
    }

    private static final TargetFile GOOD_DIRECTOR = director(directorCustom("lock-0042", "lock-v2", List.of("lock-v2"), 42));
    private static final TargetFile GOOD_IMAGE = image(1024, SHA, List.of("lock-v2"), 42);

    private static String only(List<String> violations) {
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).startsWith("attack: "), violations.get(0));
        return violations.get(0);
    }

    @Test
    void aTargetBothRepositoriesListEquallyForThisDeviceIsInstallable() {
        assertEquals(List.of(), DirectorRules.targetViolations(DEVICE, PATH, GOOD_DIRECTOR, Optional.of(GOOD_IMAGE)));
        assertEquals(Optional.empty(), DirectorRules.targetsDeviceViolation("lock-0042",
                Optional.of(JsonValue.obj("deviceId", JsonValue.of("lock-0042")))));
    }

    @Test
    void directorTargetsSignedForAnotherDeviceAreRefused() {
        String v = DirectorRules.targetsDeviceViolation("lock-0042", Optional.of(JsonValue.obj("deviceId", JsonValue.of("lock-0043"))))
                .orElseThrow();
        assertEquals("attack: director targets are signed for 'lock-0043', not for this device lock-0042", v);
        assertTrue(DirectorRules.targetsDeviceViolation("lock-0042", Optional.empty()).orElseThrow().contains("no device id"));
    }

    @Test
    void theTargetMustNameThisDevicesEcu() {
        TargetFile d = director(directorCustom("lock-0043", "lock-v2", List.of("lock-v2"), 42));
        String v = only(DirectorRules.targetViolations(DEVICE, PATH, d, Optional.of(GOOD_IMAGE)));
        assertTrue(v.contains("for ECUs [lock-0043], not for this device's ECU lock-0042"), v);
    }

    @Test
    void theTargetMustNameThisDevicesEcuWithItsOwnHardwareId() {
        TargetFile d = director(directorCustom("lock-0042", "lock-v9", List.of("lock-v2"), 42));
        String v = only(DirectorRules.targetViolations(DEVICE, PATH, d, Optional.of(GOOD_IMAGE)));
        assertTrue(v.contains("with hardware lock-v9, but this device is lock-v2"), v);
    }

    @Test
    void theImageRepositoryMustListTheSamePath() {
        String v = only(DirectorRules.targetViolations(DEVICE, PATH, GOOD_DIRECTOR, Optional.empty()));
        assertEquals("attack: director lists lock-fw/2.0.bin but the image repository does not", v);
    }

    @Test
    void theImageRepositoryMustListAnEqualLength() {
        String v = only(DirectorRules.targetViolations(DEVICE, PATH, GOOD_DIRECTOR, Optional.of(image(2048, SHA, List.of("lock-v2"), 42))));
        assertEquals("attack: director lists lock-fw/2.0.bin with length 1024 but the image repository lists 2048", v);
    }

    @Test
    void theImageRepositoryMustListEqualHashes() {
        String v = only(DirectorRules.targetViolations(DEVICE, PATH, GOOD_DIRECTOR, Optional.of(image(1024, OTHER_SHA, List.of("lock-v2"), 42))));
        assertEquals("attack: director lists lock-fw/2.0.bin with sha256 ab12ab12ab12.. but the image repository lists sha256 cd34cd34cd34..", v);
    }

    @Test
    void theImageRepositoryMustListEqualHardwareIds() {
        TargetFile d = director(directorCustom("lock-0042", "lock-v2", List.of("lock-v2", "lock-v3"), 42));
        String v = only(DirectorRules.targetViolations(DEVICE, PATH, d, Optional.of(GOOD_IMAGE)));
        assertTrue(v.contains("for hardware [lock-v2, lock-v3] but the image repository for [lock-v2]"), v);
    }

    @Test
    void theImageRepositoryMustListAnEqualReleaseCounter() {
        String v = only(DirectorRules.targetViolations(DEVICE, PATH, GOOD_DIRECTOR, Optional.of(image(1024, SHA, List.of("lock-v2"), 43))));
        assertEquals("attack: director lists lock-fw/2.0.bin with release counter 42 but the image repository with 43", v);
    }

    @Test
    void theHardwareIdMustBeTheDevicesOwn() {
        TargetFile d = director(directorCustom("lock-0042", "lock-v2", List.of("lock-v9"), 42));
        List<String> v = DirectorRules.targetViolations(DEVICE, PATH, d, Optional.of(image(1024, SHA, List.of("lock-v9"), 42)));
        assertEquals(List.of("attack: director lists lock-fw/2.0.bin for hardware [lock-v9], not for this device's lock-v2"), v);
    }

    @Test
    void theReleaseCounterMustNotBeBelowTheRunningOne() {
        TargetFile d = director(directorCustom("lock-0042", "lock-v2", List.of("lock-v2"), 40));
        String v = only(DirectorRules.targetViolations(DEVICE, PATH, d, Optional.of(image(1024, SHA, List.of("lock-v2"), 40))));
        assertEquals("attack: director lists lock-fw/2.0.bin with release counter 40, below the running release's 41", v);
        TargetFile same = director(directorCustom("lock-0042", "lock-v2", List.of("lock-v2"), 41));
        assertEquals(List.of(), DirectorRules.targetViolations(DEVICE, PATH, same, Optional.of(image(1024, SHA, List.of("lock-v2"), 41))),
                "the running counter itself is not below");
    }

    @Test
    void aDirectorTargetWithUnreadableOrdersIsRefused() {
        TargetFile d = director(JsonValue.obj("hardwareIds", JsonValue.arr(List.of(JsonValue.of("lock-v2")))));
        List<String> v = DirectorRules.targetViolations(DEVICE, PATH, d, Optional.of(GOOD_IMAGE));
        assertTrue(v.get(0).startsWith("attack: director lists lock-fw/2.0.bin with an unreadable custom: "), v.toString());
    }
}
