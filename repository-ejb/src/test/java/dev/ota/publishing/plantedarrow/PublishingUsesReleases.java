package dev.ota.publishing.plantedarrow;

import dev.ota.release.ReleaseView;

/**
 * Test-only, never part of the module: an arrow planted the wrong way round (publishing using the release
 * catalogue), so that {@code ServiceLayeringTest} can show its rule on the repository's domains reports it.
 */
public final class PublishingUsesReleases {
    private PublishingUsesReleases() {
    }

    public static String pathOf(ReleaseView release) {
        return release.targetPath();
    }
}
