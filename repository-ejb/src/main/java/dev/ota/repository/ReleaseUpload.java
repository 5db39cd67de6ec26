package dev.ota.repository;

import java.util.List;

/**
 * What describes an uploaded file: its target path, release version, the hardware ids it may be
 * installed on, and free-form {@code custom} fields as a JSON object text (may be null).
 */
public record ReleaseUpload(String targetPath, String version, List<String> hardwareIds, String customJson,
                            long declaredLength) {
    public ReleaseUpload {
        hardwareIds = hardwareIds == null ? List.of() : List.copyOf(hardwareIds);
    }
}
