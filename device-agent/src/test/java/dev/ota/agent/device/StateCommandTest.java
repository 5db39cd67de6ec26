package dev.ota.agent.device;

import dev.ota.protocol.Checkin.DeviceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateCommandTest {
    @TempDir
    Path scratch;

    private StateCommand.Reading read(String command, Duration timeout) {
        return new StateCommand(Optional.ofNullable(command), timeout, scratch).read();
    }

    @Test
    void readsTheStateAndTheReasonTheCommandPrints() {
        StateCommand.Reading r = read("echo 'busy door in use'; echo ignored", Duration.ofSeconds(10));
        assertEquals(new StateCommand.Reading(DeviceState.BUSY, Optional.of("door in use")), r);
        assertEquals(new StateCommand.Reading(DeviceState.IDLE, Optional.empty()), read("echo idle", Duration.ofSeconds(10)));
    }

    @Test
    void isCriticalWhenNoCommandIsConfigured() {
        assertEquals(DeviceState.CRITICAL, read(null, Duration.ofSeconds(10)).state());
    }

    @Test
    void isCriticalWhenTheCommandDoesNotExist() {
        StateCommand.Reading r = read(scratch.resolve("no-such-state-command") + "", Duration.ofSeconds(10));
        assertEquals(DeviceState.CRITICAL, r.state());
        assertTrue(r.reason().orElseThrow().contains("status 127"), r.toString());
    }

    @Test
    void isCriticalWhenTheCommandFailsEvenIfItPrintedIdle() {
        StateCommand.Reading r = read("echo idle; exit 3", Duration.ofSeconds(10));
        assertEquals(DeviceState.CRITICAL, r.state());
        assertTrue(r.reason().orElseThrow().contains("status 3"), r.toString());
    }

    @Test
    void isCriticalWhenTheCommandPrintsSomethingElse() {
        assertEquals(DeviceState.CRITICAL, read("echo relaxed", Duration.ofSeconds(10)).state());
        assertEquals(DeviceState.CRITICAL, read("true", Duration.ofSeconds(10)).state());
    }

    @Test
    void isCriticalWhenTheCommandHangsAndKillsIt() {
        long start = System.nanoTime();
        StateCommand.Reading r = read("echo idle; sleep 30", Duration.ofMillis(300));
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(DeviceState.CRITICAL, r.state());
        assertTrue(r.reason().orElseThrow().contains("did not answer"), r.toString());
        assertTrue(tookMs < 10_000, "stopped waiting at the timeout, took " + tookMs + " ms");
    }
}
