package dev.ota.serving.plantedarrow;

import dev.ota.publishing.PublishResult;

/**
 * Test-only, never part of the module: an arrow planted the wrong way round (serving using publishing),
 * so that {@code ServiceLayeringTest} can show its rule on the repository's domains reports it.
 */
public final class ServingUsesPublishing {
    private ServingUsesPublishing() {
    }

    public static long snapshotOf(PublishResult result) {
        return result.snapshotVersion();
    }
}
