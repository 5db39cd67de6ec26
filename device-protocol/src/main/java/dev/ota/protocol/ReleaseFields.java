package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a device checks in a release's {@code custom} in the image repository before it installs it
 * (device-api.md, "Director metadata"): the hardware it is for, its release counter (strictly increasing per
 * product line; a device refuses a lower one than it runs) and its version text. Other members of {@code custom}
 * (a channel, notes) are not the device's business and are not read.
 *
 * @param hardwareIds    at least one
 * @param releaseCounter absent on releases made before counters existed
 * @param version        shown to people and compared when there is no counter
 */
public record ReleaseFields(List<String> hardwareIds, OptionalLong releaseCounter, Optional<String> version) {
    public ReleaseFields {
        hardwareIds = List.copyOf(hardwareIds);
        if (hardwareIds.isEmpty()) throw new IllegalArgumentException("a release names at least one hardware id");
        if (releaseCounter.isPresent() && releaseCounter.getAsLong() < 0) throw new IllegalArgumentException("releaseCounter must not be negative");
    }

    /**
     * Reads the release fields of a target's {@code custom}.
     *
     * @param custom the target's {@code custom}, absent when the target has none
     * @throws MalformedDocumentException if {@code custom} is missing or not an object, {@code hardwareIds} is
     *         missing, empty or not an array of strings, {@code releaseCounter} is not a non-negative integer, or
     *         {@code version} is not a string; the exception names the field ({@code custom.releaseCounter})
     */
    public static ReleaseFields fromCustom(Optional<JsonValue> custom) {
        Read r = Read.object(custom.orElseThrow(() -> new MalformedDocumentException("custom", "is required (hardwareIds, releaseCounter, version)")), "custom");
        List<String> hw = r.strings("hardwareIds");
        if (hw.isEmpty()) throw new MalformedDocumentException("custom.hardwareIds", "must name at least one hardware id");
        return new ReleaseFields(hw, r.optionalNonNegative("releaseCounter"), r.optionalString("version"));
    }

    /** These fields as members of a target's {@code custom}. */
    public JsonObject toJson() {
        return Write.object().strings("hardwareIds", hardwareIds).put("releaseCounter", releaseCounter)
                .put("version", version).json();
    }

    public boolean isFor(String hardwareId) {
        return hardwareIds.contains(hardwareId);
    }
}
