package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.TargetFile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The rules of device-api.md, "Director metadata", that a device checks before it acts on a target its director
 * lists (after both repositories passed the TUF workflow). Pure: the same metadata gives the same verdict on every
 * device implementation. Each broken rule gives one detail text starting with {@code attack:} that says what was
 * seen; no text at all means the target may be installed. Two repositories that disagree are treated as an attack
 * (fleet.md, decision 1): a compromised director alone must not be able to install anything.
 */
public final class DirectorRules {
    private static final String ATTACK = "attack: ";

    private DirectorRules() {
    }

    /**
     * What the device knows of itself.
     *
     * @param deviceId              also the name of its one ECU
     * @param runningReleaseCounter the release counter of the committed image, absent before the first counted one
     */
    public record Device(String deviceId, String hardwareId, OptionalLong runningReleaseCounter) {
    }

    /**
     * Rule: the director targets' signed {@code custom.deviceId} is this device's own, so metadata signed for
     * another device cannot be replayed onto it (also when it lists no target).
     *
     * @param targetsCustom the {@code custom} member of the director targets' {@code signed} object
     */
    public static Optional<String> targetsDeviceViolation(String deviceId, Optional<JsonValue> targetsCustom) {
        JsonValue named = targetsCustom.filter(c -> c instanceof JsonValue.JsonObject).map(c -> ((JsonValue.JsonObject) c).get("deviceId"))
                .orElse(null);
        if (named instanceof JsonValue.JsonString s && s.value().equals(deviceId)) return Optional.empty();
        String seen = named instanceof JsonValue.JsonString s ? "'" + s.value() + "'" : "no device id";
        return Optional.of(ATTACK + "director targets are signed for " + seen + ", not for this device " + deviceId);
    }

    /**
     * Every rule for one target the director lists for this device, against the image repository's listing of
     * the same path ({@code image} empty: not listed there).
     *
     * @return the broken rules' details; empty when the target may be installed
     */
    public static List<String> targetViolations(Device device, String path, TargetFile director, Optional<TargetFile> image) {
        List<String> out = new ArrayList<>();
        DirectorTarget order;
        try {
            order = DirectorTarget.fromCustom(director.custom().orElseThrow(() -> new MalformedDocumentException("custom", "is missing")));
        } catch (MalformedDocumentException | IllegalArgumentException e) {
            out.add(ATTACK + "director lists " + path + " with an unreadable custom: " + e.getMessage());
            order = null;
        }
        if (order != null) {
            String ecuHardware = order.ecuHardwareIds().get(device.deviceId());
            if (ecuHardware == null) {
                out.add(ATTACK + "director lists " + path + " for ECUs " + new TreeMap<>(order.ecuHardwareIds()).keySet()
                        + ", not for this device's ECU " + device.deviceId());
            } else if (!ecuHardware.equals(device.hardwareId())) {
                out.add(ATTACK + "director lists " + path + " for ECU " + device.deviceId() + " with hardware " + ecuHardware
                        + ", but this device is " + device.hardwareId());
            }
            if (!order.hardwareIds().contains(device.hardwareId())) {
                out.add(ATTACK + "director lists " + path + " for hardware " + order.hardwareIds() + ", not for this device's "
                        + device.hardwareId());
            }
            if (device.runningReleaseCounter().isPresent() && order.releaseCounter() < device.runningReleaseCounter().getAsLong()) {
                out.add(ATTACK + "director lists " + path + " with release counter " + order.releaseCounter()
                        + ", below the running release's " + device.runningReleaseCounter().getAsLong());
            }
        }
        if (image.isEmpty()) {
            out.add(ATTACK + "director lists " + path + " but the image repository does not");
            return out;
        }
        TargetFile listed = image.get();
        if (director.length() != listed.length()) {
            out.add(ATTACK + "director lists " + path + " with length " + director.length() + " but the image repository lists "
                    + listed.length());
        }
        if (!director.hashes().equals(listed.hashes())) {
            out.add(ATTACK + "director lists " + path + " with " + hashes(director.hashes()) + " but the image repository lists "
                    + hashes(listed.hashes()));
        }
        ReleaseFields release;
        try {
            release = ReleaseFields.fromCustom(listed.custom());
        } catch (MalformedDocumentException | IllegalArgumentException e) {
            out.add(ATTACK + "the image repository lists " + path + " with unreadable release fields: " + e.getMessage());
            return out;
        }
        if (order != null && !new HashSet<>(order.hardwareIds()).equals(new HashSet<>(release.hardwareIds()))) {
            out.add(ATTACK + "director lists " + path + " for hardware " + order.hardwareIds() + " but the image repository for "
                    + release.hardwareIds());
        }
        if (order != null && (release.releaseCounter().isEmpty() || release.releaseCounter().getAsLong() != order.releaseCounter())) {
            out.add(ATTACK + "director lists " + path + " with release counter " + order.releaseCounter()
                    + " but the image repository with " + (release.releaseCounter().isEmpty() ? "none" : release.releaseCounter().getAsLong()));
        }
        return out;
    }

    /** {@code sha256 ab12cd34ef56..}: enough of each hash to tell them apart in a report. */
    private static String hashes(Map<String, String> hashes) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(hashes).forEach((alg, hex) -> b.append(b.length() == 0 ? "" : ", ").append(alg).append(' ')
                .append(hex.length() > 12 ? hex.substring(0, 12) + ".." : hex));
        return b.toString();
    }
}
