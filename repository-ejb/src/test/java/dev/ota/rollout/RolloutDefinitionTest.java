package dev.ota.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutDefinitionTest {
    /** device-api.md's "Management calls" body, as written there. */
    static final String EXAMPLE = """
            {"name": "fw 1.5", "targetPath": "lock-fw/1.5.0.bin", "filter": {"hardwareId": "lock-v2"}, "canary": 20,
             "waves": [10, 100], "successPct": 95, "soakMinutes": 60,
             "errorBudget": {"minSample": 10, "errorPct": 10, "maxFailed": 25},
             "onTrip": {"rollback": "lock-fw/1.4.0-rb1.bin"}}""";

    static RolloutDefinition read(String json) {
        return RolloutDefinition.fromJson(Json.parse(json.getBytes(StandardCharsets.UTF_8), "test"));
    }

    static InvalidRollout refused(String json) {
        return assertThrows(InvalidRollout.class, () -> read(json));
    }

    @Test
    void onlyNameTargetPathAndFilterGivenTakesFleetMdsDefaults() {
        RolloutDefinition d = read("{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}}");
        assertEquals(20, d.canary());
        assertEquals(List.of(10, 100), d.waves());
        assertEquals(95, d.successPct());
        assertEquals(Duration.ofHours(1), d.soak());
        assertEquals(new ErrorBudget(10, 10, 25), d.errorBudget());
        assertEquals(OnTrip.PAUSE, d.onTrip());
        assertEquals(new RetryPolicy(3, Duration.ofMinutes(10), Duration.ofHours(6), Duration.ofDays(1)), d.retry());
        assertEquals(0, d.weight());
        assertEquals(List.of(), d.windows());
        assertEquals(new InstallRule(Optional.empty(), Duration.ofDays(7)), d.installRule());
        assertNull(d.rollbackOf());
        assertEquals(RolloutDefinition.withDefaults("fw", "a.bin", new JsonValue.JsonObject(java.util.Map.of())), d);
    }

    @Test
    void readsDeviceApisExampleBodyAsWritten() {
        RolloutDefinition d = read(EXAMPLE);
        assertEquals("fw 1.5", d.name());
        assertEquals("lock-fw/1.5.0.bin", d.targetPath());
        assertEquals(JsonValue.of("lock-v2"), d.filter().get("hardwareId"));
        assertEquals(OnTrip.rollback("lock-fw/1.4.0-rb1.bin"), d.onTrip());
        assertEquals(read("{\"name\": \"fw 1.5\", \"targetPath\": \"lock-fw/1.5.0.bin\", \"filter\": {\"hardwareId\":"
                + " \"lock-v2\"}, \"onTrip\": {\"rollback\": \"lock-fw/1.4.0-rb1.bin\"}}"), d, "every value given is a default");
    }

    @Test
    void everyFieldWrittenOutReadsBackEqual() {
        RolloutDefinition d = read("""
                {"name": "fw", "targetPath": "a.bin", "filter": {"tags": ["eu"]}, "canary": 5, "waves": [1, 50, 100],
                 "successPct": 90, "soakMinutes": 0, "errorBudget": {"minSample": 3, "errorPct": 20, "maxFailed": 4},
                 "onTrip": "CANCEL", "retry": {"maxAttempts": 5, "backoffMinutes": 1, "maxBackoffMinutes": 30,
                 "timeoutMinutes": 120}, "weight": 7, "windows": [{"rule": "FREQ=WEEKLY;BYDAY=SU,SA", "start": "02:00",
                 "durationMinutes": 120, "timeZone": "device"}], "installPolicy": {"forceAfterMinutes": 1440},
                 "maxDeferralDays": 3}""");
        assertEquals(new WindowRule(Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(2, 0),
                Duration.ofHours(2), "device"), d.windows().get(0));
        assertEquals("FREQ=WEEKLY;BYDAY=SA,SU", d.windows().get(0).rule());
        assertEquals(Optional.of(Duration.ofDays(1)), d.installRule().forceAfter());
        assertEquals(d, RolloutDefinition.fromJson(d.toJson()));
        assertEquals(d.hash(), RolloutDefinition.fromJson(d.toJson()).hash());
    }

    @Test
    void hashIgnoresMemberOrderAndAnOmittedDefault() {
        RolloutDefinition a = read("{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {\"hardwareId\": \"x\","
                + " \"tags\": [\"eu\"]}, \"soakMinutes\": 60}");
        RolloutDefinition b = read("{\"filter\": {\"tags\": [\"eu\"], \"hardwareId\": \"x\"}, \"targetPath\": \"a.bin\","
                + " \"name\": \"fw\"}");
        assertEquals(a.hash(), b.hash());
        assertTrue(a.hash().matches("sha256:[0-9a-f]{64}"), a.hash());
    }

    @Test
    void aChangeOfAnyFieldChangesTheHash() {
        String base = "\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}";
        List<String> variants = List.of("", ", \"canary\": 21", ", \"waves\": [20, 100]", ", \"successPct\": 94",
                ", \"soakMinutes\": 61", ", \"errorBudget\": {\"minSample\": 11}", ", \"errorBudget\": {\"errorPct\": 11}",
                ", \"errorBudget\": {\"maxFailed\": 26}", ", \"onTrip\": \"CANCEL\"", ", \"onTrip\": {\"rollback\": \"r.bin\"}",
                ", \"onTrip\": {\"rollback\": \"r2.bin\"}", ", \"retry\": {\"maxAttempts\": 4}",
                ", \"retry\": {\"backoffMinutes\": 11}", ", \"retry\": {\"maxBackoffMinutes\": 361}",
                ", \"retry\": {\"timeoutMinutes\": 1441}", ", \"weight\": 1",
                ", \"windows\": [{\"rule\": \"FREQ=DAILY\", \"start\": \"02:00\", \"durationMinutes\": 60, \"timeZone\": \"UTC\"}]",
                ", \"windows\": [{\"rule\": \"FREQ=DAILY\", \"start\": \"02:01\", \"durationMinutes\": 60, \"timeZone\": \"UTC\"}]",
                ", \"windows\": [{\"rule\": \"FREQ=DAILY\", \"start\": \"02:00\", \"durationMinutes\": 61, \"timeZone\": \"UTC\"}]",
                ", \"windows\": [{\"rule\": \"FREQ=DAILY\", \"start\": \"02:00\", \"durationMinutes\": 60, \"timeZone\": \"device\"}]",
                ", \"windows\": [{\"rule\": \"FREQ=WEEKLY;BYDAY=MO\", \"start\": \"02:00\", \"durationMinutes\": 60, \"timeZone\": \"UTC\"}]",
                ", \"installPolicy\": {\"forceAfterMinutes\": 60}", ", \"maxDeferralDays\": 8", ", \"rollbackOf\": \"r-1\"");
        Set<String> hashes = new HashSet<>();
        for (String v : variants) {
            hashes.add(read("{" + base + v + "}").hash());
        }
        hashes.add(read("{\"name\": \"fw2\", \"targetPath\": \"a.bin\", \"filter\": {}}").hash());
        hashes.add(read("{\"name\": \"fw\", \"targetPath\": \"b.bin\", \"filter\": {}}").hash());
        hashes.add(read("{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {\"hardwareId\": \"x\"}}").hash());
        assertEquals(variants.size() + 3, hashes.size(), "each variant has a hash of its own");
    }

    @Test
    void unknownFieldIsRefusedByName() {
        InvalidRollout e = refused("{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}, \"errorBuget\": {}}");
        assertEquals("errorBuget", e.field());
        assertEquals("errorBudget.minSampel", refused("{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {},"
                + " \"errorBudget\": {\"minSampel\": 3}}").field());
    }

    @Test
    void nameTargetPathAndFilterAreRequired() {
        assertEquals("name, targetPath and filter", refused("{\"name\": \"fw\", \"targetPath\": \"a.bin\"}").field());
        assertEquals("filter", refused("{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": \"all\"}").field());
        assertEquals("name", refused("{\"name\": \" \", \"targetPath\": \"a.bin\", \"filter\": {}}").field());
        assertEquals("targetPath", refused("{\"name\": \"fw\", \"targetPath\": \"\", \"filter\": {}}").field());
    }

    @Test
    void wavesMustRiseAndEndAtAHundredPercent() {
        String base = "{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}, \"waves\": ";
        for (String bad : List.of("[]", "[50]", "[50, 50, 100]", "[60, 40, 100]", "[0, 100]", "[10, 101]", "[\"10\"]")) {
            assertEquals("waves", refused(base + bad + "}").field(), bad);
        }
        assertEquals(List.of(100), read(base + "[100]}").waves());
    }

    @Test
    void percentagesAndBudgetOutOfRangeAreRefused() {
        String base = "{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}, ";
        assertEquals("successPct", refused(base + "\"successPct\": 0}").field());
        assertEquals("successPct", refused(base + "\"successPct\": 101}").field());
        assertEquals("errorBudget.errorPct", refused(base + "\"errorBudget\": {\"errorPct\": 0}}").field());
        assertEquals("errorBudget.minSample", refused(base + "\"errorBudget\": {\"minSample\": 0}}").field());
        assertEquals("errorBudget.maxFailed", refused(base + "\"errorBudget\": {\"maxFailed\": -1}}").field());
        assertEquals("retry.maxBackoffMinutes", refused(base + "\"retry\": {\"backoffMinutes\": 30, \"maxBackoffMinutes\": 20}}").field());
        assertEquals("soakMinutes", refused(base + "\"soakMinutes\": \"60\"}").field());
        assertEquals("weight", refused(base + "\"weight\": 1001}").field());
    }

    @Test
    void aForwardRolloutNeedsACanary() {
        InvalidRollout e = refused("{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}, \"canary\": 0}");
        assertEquals("canary", e.field());
        assertEquals(0, read("{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}, \"canary\": 0,"
                + " \"rollbackOf\": \"r-1\"}").canary());
    }

    @Test
    void onTripIsPauseCancelOrARollbackPath() {
        String base = "{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}, \"onTrip\": ";
        for (String bad : List.of("\"pause\"", "\"ROLLBACK\"", "{\"rollback\": 3}", "{\"rollback\": \"\"}",
                "{\"rollback\": \"r.bin\", \"x\": 1}", "null")) {
            InvalidRollout e = refused(base + bad + "}");
            assertTrue(e.field().startsWith("onTrip"), bad + ": " + e.field());
        }
    }

    @Test
    void aRollbackCampaignNeverTriggersAnotherRollback() {
        InvalidRollout e = refused("{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}, \"rollbackOf\": \"r-1\","
                + " \"onTrip\": {\"rollback\": \"b.bin\"}}");
        assertEquals("onTrip", e.field());
        assertTrue(e.getMessage().contains("never triggers another rollback"), e.getMessage());
    }

    @Test
    void rollbackCampaignAssignsTheRollbackReleaseAtOnceAndPausesOnItsOwnTrip() {
        RolloutDefinition campaign = read(EXAMPLE).rollbackCampaign("r-17");
        assertEquals("lock-fw/1.4.0-rb1.bin", campaign.targetPath());
        assertEquals("r-17", campaign.rollbackOf());
        assertEquals(0, campaign.canary());
        assertEquals(List.of(100), campaign.waves());
        assertEquals(OnTrip.PAUSE, campaign.onTrip());
        assertTrue(campaign.isRollbackCampaign());
        assertThrows(IllegalStateException.class, () -> read("{\"name\": \"fw\", \"targetPath\": \"a.bin\","
                + " \"filter\": {}}").rollbackCampaign("r-1"));
    }

    @Test
    void windowRulesAreReadStrictlyAndNamedByIndex() {
        String base = "{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}, \"windows\": [{\"rule\": \"FREQ=DAILY\","
                + " \"start\": \"02:00\", \"durationMinutes\": 60, \"timeZone\": \"UTC\"}, ";
        assertEquals("windows[1].rule", refused(base + "{\"rule\": \"FREQ=HOURLY\", \"start\": \"02:00\","
                + " \"durationMinutes\": 60, \"timeZone\": \"UTC\"}]}").field());
        assertEquals("windows[1].rule", refused(base + "{\"rule\": \"FREQ=WEEKLY;BYDAY=SA;BYHOUR=3\", \"start\": \"02:00\","
                + " \"durationMinutes\": 60, \"timeZone\": \"UTC\"}]}").field());
        assertEquals("windows[1].rule", refused(base + "{\"rule\": \"FREQ=WEEKLY;BYDAY=SA,SA\", \"start\": \"02:00\","
                + " \"durationMinutes\": 60, \"timeZone\": \"UTC\"}]}").field());
        assertEquals("windows[1].start", refused(base + "{\"rule\": \"FREQ=DAILY\", \"start\": \"25:00\","
                + " \"durationMinutes\": 60, \"timeZone\": \"UTC\"}]}").field());
        assertEquals("windows[1].timeZone", refused(base + "{\"rule\": \"FREQ=DAILY\", \"start\": \"02:00\","
                + " \"durationMinutes\": 60, \"timeZone\": \"Mars/Olympus\"}]}").field());
        assertEquals("windows[1].durationMinutes", refused(base + "{\"rule\": \"FREQ=DAILY\", \"start\": \"02:00\","
                + " \"durationMinutes\": 0, \"timeZone\": \"UTC\"}]}").field());
        assertEquals("windows[1]", refused(base + "{\"rule\": \"FREQ=DAILY\"}]}").field());
    }

    @Test
    void anEqualDefinitionBuiltInCodeHashesAlikeAndADifferentOneDoesNot() {
        RolloutDefinition d = RolloutDefinition.withDefaults("fw", "a.bin", new JsonValue.JsonObject(java.util.Map.of()));
        assertEquals(read("{\"name\": \"fw\", \"targetPath\": \"a.bin\", \"filter\": {}}").hash(), d.hash());
        assertNotEquals(d.hash(), RolloutDefinition.withDefaults("fw", "a.bin",
                new JsonValue.JsonObject(java.util.Map.of("hardwareId", JsonValue.of("lock-v2")))).hash());
    }
}
