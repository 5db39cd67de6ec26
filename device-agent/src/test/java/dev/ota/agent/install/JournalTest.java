package dev.ota.agent.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JournalTest {
    @TempDir
    Path state;

    @Test
    void ignoresALineTornByPowerLoss() throws Exception {
        Journal journal = new Journal(state, CrashPoints.none());
        journal.record(Step.STARTED, Map.of("target", "fw/lock.bin"));
        journal.record(Step.DOWNLOADED, Map.of("target", "fw/lock.bin", "version", "2.0"));
        Files.writeString(state.resolve("journal"), "WRITTEN target=fw%2Flock.b", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        Journal.Entry last = journal.last().orElseThrow();

        assertEquals(Step.DOWNLOADED, last.step());
        assertEquals("2.0", last.get("version"));
    }

    @Test
    void keepsAttributesWithSpacesAndNewlines() {
        Journal journal = new Journal(state, CrashPoints.none());
        journal.record(Step.ABANDONED, Map.of("reason", "no space left\nin slot B"));

        assertEquals("no space left\nin slot B", journal.last().orElseThrow().get("reason"));
    }

    @Test
    void currentInstallStartsAtItsLastStartedEntry() {
        Journal journal = new Journal(state, CrashPoints.none());
        journal.record(Step.STARTED, Map.of("target", "a"));
        journal.record(Step.ABANDONED, Map.of("target", "a"));
        journal.record(Step.STARTED, Map.of("target", "b"));
        journal.record(Step.DOWNLOADED, Map.of("target", "b"));

        assertEquals(2, journal.current().size());
        assertEquals("b", journal.current().get(0).get("target"));
    }
}
