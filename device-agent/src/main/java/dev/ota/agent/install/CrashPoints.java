package dev.ota.agent.install;

import java.util.Optional;

/**
 * Power-loss simulation for tests: when the environment variable {@code OTA_AGENT_POWER_LOSS_AFTER} names a
 * journal step, the process halts (no shutdown hooks, no flushing) right after that step is recorded, the
 * closest a JVM gets to pulling the plug. Unset in production.
 */
public final class CrashPoints {
    private final Optional<Step> haltAfter;

    private CrashPoints(Optional<Step> haltAfter) {
        this.haltAfter = haltAfter;
    }

    public static CrashPoints fromEnvironment() {
        String v = System.getenv("OTA_AGENT_POWER_LOSS_AFTER");
        return new CrashPoints(v == null || v.isBlank() ? Optional.empty() : Optional.of(Step.valueOf(v.trim())));
    }

    public static CrashPoints none() {
        return new CrashPoints(Optional.empty());
    }

    void after(Step step) {
        if (haltAfter.isPresent() && haltAfter.get() == step) Runtime.getRuntime().halt(137);
    }
}
