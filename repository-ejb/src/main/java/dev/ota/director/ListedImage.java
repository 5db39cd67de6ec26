package dev.ota.director;

import dev.ota.error.ErrorKind;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A target as the image repository lists it, with what the director must repeat exactly: path, length,
 * hashes, hardware ids and release counter (empty when the release carries none).
 */
public record ListedImage(String path, long length, Map<String, String> hashes, List<String> hardwareIds,
                          OptionalLong releaseCounter) {
    public ListedImage {
        hashes = Map.copyOf(hashes);
        hardwareIds = List.copyOf(hardwareIds);
    }

    /** Reads {@code releaseCounter} from a release's stored custom JSON; empty when absent. */
    public static OptionalLong releaseCounterOf(String customJson) {
        if (customJson == null || customJson.isBlank()) return OptionalLong.empty();
        JsonValue v = Json.parse(customJson.getBytes(StandardCharsets.UTF_8), "custom");
        if (v instanceof JsonValue.JsonObject o && o.get("releaseCounter") instanceof JsonValue.JsonNumber n) {
            try {
                return OptionalLong.of(n.value().longValueExact());
            } catch (ArithmeticException e) {
                throw new DirectorFailure("assignment.release-counter-invalid", ErrorKind.CONFLICT,
                        "the release's releaseCounter does not fit a 64-bit number");
            }
        }
        return OptionalLong.empty();
    }
}
