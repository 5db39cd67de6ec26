package dev.ota.release;

import java.time.Instant;
import java.util.List;

/**
 * A release as the API and portal show it. {@code customJson} is the canonical JSON of the
 * free-form fields (the signed target's custom also holds version, hardware ids and release counter);
 * {@code releaseCounter} is null only on a release made before counters existed without one;
 * {@code removedAt} is null while the target is listed.
 */
public record ReleaseView(long id, String targetPath, String sha256, long length, String version,
                          List<String> hardwareIds, Long releaseCounter, String customJson, String uploadedBy, Instant uploadedAt,
                          int publishedInSnapshot, String removedBy, Instant removedAt) {
    public ReleaseView {
        hardwareIds = List.copyOf(hardwareIds);
    }
}
