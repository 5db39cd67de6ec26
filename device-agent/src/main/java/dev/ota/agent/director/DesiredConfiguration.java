package dev.ota.agent.director;

import dev.ota.agent.device.DeviceProperties;
import dev.ota.agent.fleet.DeviceJournal;
import dev.ota.tuf.DownloadException;
import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.RepositoryException;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.TargetFile;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The desired configuration the director lists for this device (device-api.md: the target {@code
 * config/{deviceId}.json} of the director repository, versioned by its hashes; fleet.md, "Config twin"). A version
 * not applied yet is fetched, its bytes checked against the director-signed length and hashes, and its properties
 * set in the device's properties file (written atomically and synced); properties it does not name are kept. The
 * applied version is journaled, so the same hashes are applied once while they stay listed. The run loop then backs
 * the changed file up as a new configuration version. A cleared configuration (no target listed) changes nothing on
 * the device; it ends the applied version's once, so the same properties set again are applied again.
 */
public final class DesiredConfiguration {
    private final String deviceId;
    private final DeviceProperties properties;
    private final DeviceJournal journal;

    public DesiredConfiguration(String deviceId, DeviceProperties properties, DeviceJournal journal) {
        this.deviceId = deviceId;
        this.properties = properties;
        this.journal = journal;
    }

    /** What following the listed configuration came to. */
    public sealed interface Outcome permits Applied, Unchanged, Refused, Retry {
    }

    /** The properties file now holds the desired properties ({@code version}: the target's hashes). */
    public record Applied(String version, int properties) implements Outcome {
    }

    /** No configuration listed, or the version listed is the one applied last: nothing to do. */
    public record Unchanged() implements Outcome {
    }

    /** Not applied and not to be retried: {@code detail} starts with its class ({@code attack:}, {@code verify:}). */
    public record Refused(String version, String detail) implements Outcome {
    }

    /** Not applied now (not fetched, or no readable properties file); the next cycle tries again. */
    public record Retry(String why) implements Outcome {
    }

    /** {@code config/{deviceId}.json}. */
    public static String pathOf(String deviceId) {
        return "config/" + deviceId + ".json";
    }

    /** A target's version: its hashes as one word, {@code alg:hex} sorted by algorithm and joined by commas. */
    public static String versionOf(TargetFile target) {
        return new TreeMap<>(target.hashes()).entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** Follows the configuration {@code listed} (the director's verified targets), fetched through {@code download}. */
    public Outcome follow(Map<String, TargetFile> listed, DirectorRepository.TargetDownload download) {
        String path = pathOf(deviceId);
        TargetFile target = listed.get(path);
        if (target == null) {
            // Cleared: the device keeps its properties, but a later setting of the same properties is applied again.
            journal.desiredConfigCleared();
            return new Unchanged();
        }
        String version = versionOf(target);
        if (journal.desiredConfig().equals(Optional.of(version))) return new Unchanged();
        byte[] bytes;
        try {
            bytes = download.fetch(path, target);
        } catch (RepositoryException e) {
            // Bytes other than the director signed were altered on the way: refused, nothing of them is used.
            return new Refused(version, "attack: " + path + " rejected on download: " + e.getMessage());
        } catch (DownloadException | UncheckedIOException e) {
            return new Retry("desired configuration not fetched: " + e.getMessage());
        }
        Map<String, String> desired;
        try {
            desired = parse(bytes);
        } catch (IllegalArgumentException e) {
            // Signed by the director, so genuine, but not something this agent can write: refused once, not retried.
            journal.desiredConfigApplied(version);
            return new Refused(version, "verify: " + path + " is not an object of string properties: " + e.getMessage());
        }
        if (!(properties.inspect() instanceof DeviceProperties.Present present)) {
            return new Retry("desired configuration not applied: the properties file is lost or corrupt");
        }
        properties.write(merged(present.values(), desired));
        journal.desiredConfigApplied(version);
        return new Applied(version, desired.size());
    }

    /** The properties after applying {@code desired}: its values replace or add to {@code current}'s; the rest stays. */
    static Map<String, String> merged(Map<String, String> current, Map<String, String> desired) {
        Map<String, String> out = new TreeMap<>(current);
        out.putAll(desired);
        return out;
    }

    /** The target's JSON object of strings; the agent's own {@code format} and {@code device.id} are never taken from it. */
    static Map<String, String> parse(byte[] bytes) {
        JsonValue v;
        try {
            v = Json.parse(bytes, "desired configuration");
        } catch (MalformedMetadataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!(v instanceof JsonValue.JsonObject object)) throw new IllegalArgumentException("not a JSON object");
        Map<String, String> out = new TreeMap<>(DeviceProperties.fromJson(object));
        out.remove("device.id");
        for (Map.Entry<String, String> e : out.entrySet()) {
            if (e.getKey().isEmpty() || (e.getKey() + e.getValue()).chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("property '" + e.getKey().replaceAll("\\p{Cntrl}", "?")
                        + "' has an empty name or a control character");
            }
        }
        return out;
    }
}
