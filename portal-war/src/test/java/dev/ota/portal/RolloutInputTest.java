package dev.ota.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.rollout.InvalidRollout;
import dev.ota.rollout.OnTrip;
import dev.ota.rollout.RolloutDefinition;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutInputTest {
    private static final JsonObject FILTER = new JsonObject(Map.of("hardwareId", JsonValue.of("lock-v2")));

    private static RolloutInput input(String canary, String waves, String onTrip, String rule) {
        return new RolloutInput("fw 1.5", "lock-fw/1.5.bin", FILTER, canary, waves, "90", "30", "5", "20", "3",
                onTrip, "lock-fw/1.4-rb1.bin", rule, "02:00", "120", "Europe/Berlin");
    }

    private static RolloutDefinition read(RolloutInput input) {
        return RolloutDefinition.fromJson(Json.parse(input.body(), "rollout"));
    }

    @Test
    void wizardFieldsBecomeTheCreateBodyTheRolloutRulesReadBack() {
        RolloutDefinition d = read(input("2", "10, 50,100", "PAUSE", "FREQ=WEEKLY;BYDAY=SA,SU"));

        assertEquals("fw 1.5", d.name());
        assertEquals("lock-fw/1.5.bin", d.targetPath());
        assertEquals(FILTER, d.filter());
        assertEquals(2, d.canary());
        assertEquals(List.of(10, 50, 100), d.waves());
        assertEquals(90, d.successPct());
        assertEquals(Duration.ofMinutes(30), d.soak());
        assertEquals(5, d.errorBudget().minSample());
        assertEquals(20, d.errorBudget().errorPct());
        assertEquals(3, d.errorBudget().maxFailed());
        assertEquals(OnTrip.PAUSE, d.onTrip());
        assertEquals(1, d.windows().size());
        assertEquals(Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), d.windows().get(0).days());
        assertEquals(LocalTime.of(2, 0), d.windows().get(0).start());
        assertEquals(Duration.ofMinutes(120), d.windows().get(0).duration());
        assertEquals("Europe/Berlin", d.windows().get(0).timeZone());
    }

    @Test
    void rollbackOnTripNamesTheChosenRollbackRelease() {
        assertEquals(OnTrip.rollback("lock-fw/1.4-rb1.bin"), read(input("2", "100", "ROLLBACK", "")).onTrip());
    }

    @Test
    void anEmptyRuleMeansNoMaintenanceWindow() {
        RolloutDefinition d = read(input("2", "100", "CANCEL", "  "));

        assertTrue(d.windows().isEmpty());
        assertFalse(input("2", "100", "CANCEL", null).toJson().has("windows"));
    }

    @Test
    void textThatIsNoWholeNumberIsLeftForTheRolloutRulesToRefuseByField() {
        InvalidRollout canary = assertThrows(InvalidRollout.class, () -> read(input("two", "100", "PAUSE", "")));
        InvalidRollout waves = assertThrows(InvalidRollout.class, () -> read(input("2", "10, half, 100", "PAUSE", "")));

        assertEquals("canary", canary.field());
        assertEquals("waves", waves.field());
    }

    @Test
    void wavesThatDoNotReachEveryDeviceAreRefusedAsTheApiRefusesThem() {
        InvalidRollout e = assertThrows(InvalidRollout.class, () -> read(input("2", "10, 50", "PAUSE", "")));

        assertEquals("waves", e.field());
    }
}
