package dev.ota.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.protocol.DirectorTarget;
import dev.ota.protocol.DirectorTarget.InstallPolicy;
import dev.ota.protocol.DirectorTarget.InstallWindow;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.trust.TrustedMetadataSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DirectorMetadataTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final DirectorKeys KEYS = DirectorKeys.generate();
    private static final ListedImage IMAGE = new ListedImage("lock-fw/1.5.0.bin", 8388608,
            Map.of("sha256", "ab".repeat(32)), List.of("lock-v2"), OptionalLong.of(42));
    private static final Assignment ORDER = Assignment.whenReady("lock-0042", "lock-0042", "lock-v2", IMAGE, "a-9", 1);

    @Test
    void aDeviceChainVerifiesFromTheDirectorRootToItsTargets() {
        Targets targets = verifiedTargets("lock-0042", Optional.of(ORDER));

        assertEquals(JsonValue.obj("deviceId", JsonValue.of("lock-0042")), targets.unrecognized().get("custom"));
        assertTrue(targets.delegations().isEmpty(), "the director's targets never delegates");
        TargetFile listed = targets.targets().get("lock-fw/1.5.0.bin");
        assertEquals(8388608, listed.length());
        assertEquals(Map.of("sha256", "ab".repeat(32)), listed.hashes());
        assertEquals(JsonValue.obj(
                "ecuIdentifiers", JsonValue.obj("lock-0042", JsonValue.obj("hardwareId", JsonValue.of("lock-v2"))),
                "hardwareIds", JsonValue.arr(List.of(JsonValue.of("lock-v2"))),
                "releaseCounter", JsonValue.of(42),
                "actionId", JsonValue.of("a-9"),
                "attempt", JsonValue.of(1),
                "installPolicy", JsonValue.of("respect-busy")), listed.custom().orElseThrow());
    }

    @Test
    void aRolloutOrderCarriesItsConcreteWindowsAndForceAfterAsTheDeviceReadsThem() {
        List<InstallWindow> windows = List.of(
                new InstallWindow(Instant.parse("2026-11-25T01:00:00Z"), Instant.parse("2026-11-25T03:00:00Z")),
                new InstallWindow(Instant.parse("2026-11-26T01:00:00Z"), Instant.parse("2026-11-26T03:00:00Z")));
        InstallPolicy force = new InstallPolicy(Optional.of(Instant.parse("2026-11-27T10:00:00Z")));
        Assignment order = new Assignment("lock-0042", "lock-0042", "lock-v2", IMAGE, "a-9", 2, windows, force);

        JsonValue custom = verifiedTargets("lock-0042", Optional.of(order)).targets().get("lock-fw/1.5.0.bin").custom()
                .orElseThrow();

        assertEquals(JsonValue.arr(List.of(
                JsonValue.arr(List.of(JsonValue.of("2026-11-25T01:00:00Z"), JsonValue.of("2026-11-25T03:00:00Z"))),
                JsonValue.arr(List.of(JsonValue.of("2026-11-26T01:00:00Z"), JsonValue.of("2026-11-26T03:00:00Z"))))),
                ((JsonValue.JsonObject) custom).get("installWindows"));
        assertEquals(JsonValue.of("force-after:2026-11-27T10:00:00Z"), ((JsonValue.JsonObject) custom).get("installPolicy"));
        DirectorTarget read = DirectorTarget.fromCustom(custom);
        assertEquals(windows, read.installWindows());
        assertEquals(force, read.installPolicy());
        assertEquals(2, read.attempt());
    }

    @Test
    void theDirectorsTargetsNeverDelegateWithOrWithoutAnOrder() {
        // device-api.md: "targets never delegates", so no other role can add images to a device's orders.
        assertTrue(verifiedTargets("lock-0042", Optional.of(ORDER)).delegations().isEmpty());
        assertTrue(verifiedTargets("lock-0042", Optional.empty()).delegations().isEmpty());
    }

    @Test
    void anEmptyOrderStillNamesTheDevice() {
        Targets targets = verifiedTargets("lock-0042", Optional.empty());

        assertTrue(targets.targets().isEmpty());
        assertEquals(JsonValue.obj("deviceId", JsonValue.of("lock-0042")), targets.unrecognized().get("custom"));
    }

    @Test
    void anOrderIsNeverSignedForAnotherDevice() {
        assertThrows(IllegalArgumentException.class,
                () -> DirectorMetadata.targets("lock-0043", Optional.of(ORDER), Optional.empty(), 1, NOW.plus(DirectorMetadata.EXPIRY)));
    }

    @Test
    void filesExpireAfterADayAndAreDueForSigningAgainAfterTwelveHours() {
        List<DirectorMetadata.SignedFile> files = DirectorMetadata.deviceFiles(KEYS, "d", Optional.empty(), Optional.empty(), 1, 1, 1, NOW);
        files.forEach(f -> assertEquals(NOW.plus(Duration.ofDays(1)), f.expires(), f.role()));
        Instant expires = NOW.plus(DirectorMetadata.EXPIRY);

        assertFalse(DirectorMetadata.dueForResigning(expires, NOW.plus(Duration.ofHours(12)).minusSeconds(1)));
        assertTrue(DirectorMetadata.dueForResigning(expires, NOW.plus(Duration.ofHours(12))));
        assertTrue(DirectorMetadata.dueForResigning(expires, NOW.plus(Duration.ofDays(2))));
    }

    @Test
    void aTimestampSignedWithAnotherDirectorsKeyIsRefused() {
        byte[] root = DirectorMetadata.root(KEYS, NOW).bytes();
        List<DirectorMetadata.SignedFile> foreign = DirectorMetadata.deviceFiles(DirectorKeys.generate(), "d",
                Optional.empty(), Optional.empty(), 1, 1, 1, NOW);
        TrustedMetadataSet trusted = new TrustedMetadataSet(root, NOW.plusSeconds(60));

        assertThrows(RuntimeException.class, () -> trusted.updateTimestamp(foreign.get(2).bytes()));
    }

    @Test
    void aDesiredConfigurationIsListedNextToTheOrderByItsLengthAndHashesWithoutCustom() {
        ConfigTarget config = ConfigTarget.of("lock-0042", JsonValue.obj("wifi.ssid", JsonValue.of("door")));

        Targets targets = verifiedTargets("lock-0042", Optional.of(ORDER), Optional.of(config));

        assertEquals(java.util.Set.of("lock-fw/1.5.0.bin", "config/lock-0042.json"), targets.targets().keySet());
        TargetFile listed = targets.targets().get("config/lock-0042.json");
        assertEquals(config.bytes().length, listed.length());
        assertEquals(Map.of("sha256", config.sha256()), listed.hashes());
        assertTrue(listed.custom().isEmpty(), "versioned by its hashes alone");
    }

    @Test
    void aConfigurationIsNeverSignedForAnotherDevice() {
        ConfigTarget other = ConfigTarget.of("lock-0043", JsonValue.obj("a", JsonValue.of("b")));
        assertThrows(IllegalArgumentException.class, () -> DirectorMetadata.targets("lock-0042", Optional.empty(),
                Optional.of(other), 1, NOW.plus(DirectorMetadata.EXPIRY)));
    }

    private static Targets verifiedTargets(String deviceId, Optional<Assignment> order) {
        return verifiedTargets(deviceId, order, Optional.empty());
    }

    private static Targets verifiedTargets(String deviceId, Optional<Assignment> order, Optional<ConfigTarget> config) {
        byte[] root = DirectorMetadata.root(KEYS, NOW).bytes();
        List<DirectorMetadata.SignedFile> files = DirectorMetadata.deviceFiles(KEYS, deviceId, order, config, 3, 4, 5, NOW);
        assertEquals(List.of("targets", "snapshot", "timestamp"), files.stream().map(DirectorMetadata.SignedFile::role).toList());
        TrustedMetadataSet trusted = new TrustedMetadataSet(root, NOW.plusSeconds(60));
        trusted.updateTimestamp(files.get(2).bytes());
        trusted.updateSnapshot(files.get(1).bytes(), false);
        Signed<Targets> targets = trusted.updateTargets(files.get(0).bytes());
        assertEquals(3, targets.signed().version());
        return targets.signed();
    }
}
