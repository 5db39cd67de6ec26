package dev.ota.interop.tufjs;

import dev.ota.interop.NodeScript;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonBoolean;
import dev.ota.tuf.json.JsonValue.JsonNumber;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tuf-js updater ({@code tuf-js@5.0.1}, through {@code interop/node/tufjs-client.js}) as a client of a
 * repository served over HTTP: one call is one tuf-js process doing refresh, then getTargetInfo and
 * downloadTarget for each path. Its local metadata folder persists between calls, as a device's would.
 */
final class TufJsClient {
    private static final NodeScript CLIENT = new NodeScript("tufjs-client.js", Duration.ofSeconds(120));

    private final URI metadataBase;
    private final URI targetBase;
    private final Path metadataDir;
    private final Path targetDir;

    /** @param metadataDir must already hold the trust anchor as {@code root.json} */
    TufJsClient(URI metadataBase, URI targetBase, Path metadataDir, Path targetDir) {
        this.metadataBase = metadataBase;
        this.targetBase = targetBase;
        this.metadataDir = metadataDir;
        this.targetDir = targetDir;
    }

    Run run(List<String> targetPaths) {
        JsonObject input = JsonValue.obj(
                "metadataBaseUrl", JsonValue.of(metadataBase.toString()),
                "targetBaseUrl", JsonValue.of(targetBase.toString()),
                "metadataDir", JsonValue.of(metadataDir.toAbsolutePath().toString()),
                "targetDir", JsonValue.of(targetDir.toAbsolutePath().toString()),
                "targets", JsonValue.arr(targetPaths.stream().map(JsonValue::of).toList()));
        JsonObject out = (JsonObject) Json.parse(CLIENT.run(CanonicalJson.encode(input)), "tufjs-client.js output");
        if (!((JsonBoolean) out.get("refreshed")).value()) {
            return new Run(false, 0, Optional.of(Failure.of(out.get("error"))), Map.of());
        }
        Map<String, Outcome> targets = new LinkedHashMap<>();
        ((JsonObject) out.get("targets")).members().forEach((path, v) -> {
            JsonObject o = (JsonObject) v;
            targets.put(path, new Outcome(((JsonBoolean) o.get("found")).value(),
                    o.has("file") ? Optional.of(Path.of(((JsonString) o.get("file")).value())) : Optional.empty(),
                    Optional.ofNullable(o.get("custom")),
                    o.has("error") ? Optional.of(Failure.of(o.get("error"))) : Optional.empty()));
        });
        return new Run(true, ((JsonNumber) out.get("rootVersion")).value().longValueExact(), Optional.empty(), targets);
    }

    /** What one tuf-js run did: whether refresh succeeded (else why not), the root it trusts, each target. */
    record Run(boolean refreshed, long rootVersion, Optional<Failure> refreshError, Map<String, Outcome> targets) {
        Outcome target(String path) {
            Outcome o = targets.get(path);
            if (o == null) throw new IllegalArgumentException("tuf-js was not asked for " + path);
            return o;
        }
    }

    /**
     * @param found  tuf-js trusted metadata listing the target and downloaded it
     * @param file   where tuf-js wrote it (only after its own length and hash checks)
     * @param custom the target's {@code custom} as tuf-js read it
     * @param error  why tuf-js refused, if it did
     */
    record Outcome(boolean found, Optional<Path> file, Optional<JsonValue> custom, Optional<Failure> error) {
    }

    /** A tuf-js error: its class name (e.g. {@code LengthOrHashMismatchError}) and message. */
    record Failure(String name, String message) {
        static Failure of(JsonValue v) {
            JsonObject o = (JsonObject) v;
            return new Failure(((JsonString) o.get("name")).value(), ((JsonString) o.get("message")).value());
        }
    }
}
