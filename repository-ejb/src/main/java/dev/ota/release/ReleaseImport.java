package dev.ota.release;

import java.util.List;

/**
 * The defaults of a bulk import: the version, hardware ids and custom fields (a JSON object text,
 * may be null) of every file in the archive that its manifest does not describe otherwise. Release counters
 * have no default: a manifest line may give one per file, the others get the next of their product line.
 */
public record ReleaseImport(String version, List<String> hardwareIds, String customJson) {
    public ReleaseImport {
        hardwareIds = hardwareIds == null ? List.of() : List.copyOf(hardwareIds);
    }
}
