package dev.ota.release;

import java.time.Instant;
import java.util.List;

/**
 * A release as the API and portal show it. {@code customJson} is the canonical JSON of the
 * free-form fields; {@code removedAt} is null while the target is listed.
 */
public record ReleaseView(long id, String targetPath, String sha256, long length, String version,
                          List<String> hardwareIds, String customJson, String uploadedBy, Instant uploadedAt,
                          int publishedInSnapshot, String removedBy, Instant removedAt) {
    public ReleaseView {
        hardwareIds = List.copyOf(hardwareIds);
    }
}
