package dev.ota.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.portal.RolloutProgress.Command;
import dev.ota.rollouts.RolloutView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutProgressTest {
    @Test
    void aWavesBarSplitsItsMembersIntoSucceededFailedAndInProgress() {
        RolloutProgress.Wave w = RolloutProgress.wave(new RolloutView.WaveView(1, "ACTIVE", null, null, 3, 1, 1));

        assertEquals("Wave 1", w.label());
        assertEquals(1, w.inProgress());
        assertEquals("width: 33.3%", w.succeededStyle());
        assertEquals("width: 33.3%", w.failedStyle());
        assertEquals("width: 33.3%", w.inProgressStyle());
    }

    @Test
    void anEmptyCanaryHasAnEmptyBar() {
        RolloutProgress.Wave w = RolloutProgress.wave(new RolloutView.WaveView(0, "PENDING", null, null, 0, 0, 0));

        assertEquals("Canary", w.label());
        assertEquals("width: 0%", w.succeededStyle());
        assertEquals("width: 0%", w.inProgressStyle());
    }

    @Test
    void widthsAreWholeOrOneDecimalPercent() {
        assertEquals("100%", RolloutProgress.width(5, 5));
        assertEquals("50%", RolloutProgress.width(1, 2));
        assertEquals("66.7%", RolloutProgress.width(2, 3));
        assertEquals("0%", RolloutProgress.width(0, 3));
    }

    @Test
    void eachStateAdmitsTheCommandsOfFleetMdsMachine() {
        assertEquals(List.of(Command.SUBMIT, Command.CANCEL), RolloutProgress.admitted("DRAFT"));
        assertEquals(List.of(Command.APPROVE, Command.CANCEL), RolloutProgress.admitted("AWAITING_APPROVAL"));
        assertEquals(List.of(Command.START, Command.CANCEL), RolloutProgress.admitted("SCHEDULED"));
        assertEquals(List.of(Command.PAUSE, Command.CANCEL), RolloutProgress.admitted("RUNNING"));
        assertEquals(List.of(Command.RESUME, Command.CANCEL), RolloutProgress.admitted("PAUSED"));
        for (String ended : List.of("COMPLETED", "CANCELED", "HALTED")) {
            assertEquals(List.of(), RolloutProgress.admitted(ended), ended);
        }
    }

    @Test
    void failuresAreListedByClassInTheOrderGiven() {
        assertEquals(List.of(new RolloutProgress.Failures("download:", 2), new RolloutProgress.Failures("install:", 1)),
                RolloutProgress.failures(new java.util.TreeMap<>(Map.of("install:", 1, "download:", 2))));
    }
}
