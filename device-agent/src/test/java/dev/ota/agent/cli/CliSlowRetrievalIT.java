package dev.ota.agent.cli;

import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.metadataFile;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow retrieval attack (tuf-checklist.md) through the real script: the server trickles the timestamp so slowly
 * that it would take about three minutes; the agent must give up on its own limit (120 s per download, fixed in
 * TufCli), exit 1 and keep its trusted state. That takes two minutes, more than the budget of a normal build,
 * so it runs only with {@code -Dota.slow-tests=true}; tuf-core's SlowRetrievalAttackTest proves the same abort
 * for the CLI's fetcher with a short limit on every build.
 */
@EnabledIfSystemProperty(named = "ota.slow-tests", matches = "true")
class CliSlowRetrievalIT {
    static final Duration PER_BYTE = Duration.ofMillis(400);

    @TempDir
    Path work;
    RepositorySimulator repo;

    @AfterEach
    void stopServer() {
        if (repo != null) repo.close();
    }

    @Test
    void abortsSlowRetrieval() {
        repo = RepositorySimulator.create();
        repo.publishTimestamp();
        CliDevice device = CliDevice.initialised(repo, work);
        device.succeeds(device.refresh());
        repo.publishTimestamp();
        repo.trickle(metadataFile(TIMESTAMP), PER_BYTE);
        Duration wholeFile = PER_BYTE.multipliedBy(repo.served(metadataFile(TIMESTAMP)).length);

        CliDevice.Run run = device.rejects(device::refresh);

        assertTrue(run.took().compareTo(wholeFile.minus(Duration.ofSeconds(30))) < 0,
                "gave up after " + run.took() + " instead of waiting " + wholeFile + " for the whole file");
    }
}
