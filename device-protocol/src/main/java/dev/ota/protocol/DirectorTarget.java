package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code custom} of a target in a device's director metadata (device-api.md, "Director metadata"): the
 * ECUs it is for, the release fields that must equal the image repository's, the action it belongs to, and
 * when it may be installed. No {@code installWindows}: install when ready.
 */
public record DirectorTarget(Map<String, String> ecuHardwareIds, List<String> hardwareIds, long releaseCounter,
                             String actionId, long attempt, List<InstallWindow> installWindows, InstallPolicy installPolicy) {
    public DirectorTarget {
        ecuHardwareIds = Map.copyOf(ecuHardwareIds);
        hardwareIds = List.copyOf(hardwareIds);
        installWindows = List.copyOf(installWindows);
        if (hardwareIds.isEmpty()) throw new IllegalArgumentException("a director target names at least one hardware id");
        if (attempt < 1) throw new IllegalArgumentException("attempt must be at least 1");
    }

    /** A time span in which the device may install; {@code start} before {@code end}. */
    public record InstallWindow(Instant start, Instant end) {
        public InstallWindow {
            Write.checkTime(start, "installWindows.start");
            Write.checkTime(end, "installWindows.end");
            if (!start.isBefore(end)) throw new IllegalArgumentException("an install window starts before it ends");
        }
    }

    /**
     * {@code respect-busy}: never install while the device reports busy or critical; {@code force-after:<time>}: the
     * same until {@code forceAfter}, then install regardless.
     */
    public record InstallPolicy(Optional<Instant> forceAfter) {
        public static final InstallPolicy RESPECT_BUSY = new InstallPolicy(Optional.empty());
        private static final String FORCE_AFTER = "force-after:";

        static InstallPolicy parse(String text, String field) {
            if (text.equals("respect-busy")) return RESPECT_BUSY;
            if (text.startsWith(FORCE_AFTER)) return new InstallPolicy(Optional.of(Read.time(text.substring(FORCE_AFTER.length()), field)));
            throw new MalformedDocumentException(field, "expected 'respect-busy' or 'force-after:<time>' but found '" + text + "'");
        }

        String wireName() {
            return forceAfter.map(t -> FORCE_AFTER + ((JsonValue.JsonString) Write.time(t)).value()).orElse("respect-busy");
        }
    }

    /**
     * Reads a director target's {@code custom}.
     *
     * @throws MalformedDocumentException naming the field that is missing, of the wrong type or out of range
     */
    public static DirectorTarget fromCustom(JsonValue custom) {
        Read r = Read.object(custom, "custom");
        Map<String, String> ecus = new java.util.LinkedHashMap<>();
        r.objects("ecuIdentifiers", e -> e.text("hardwareId", 100)).forEach(ecus::put);
        List<InstallWindow> windows = new ArrayList<>();
        if (r.has("installWindows")) {
            List<JsonValue> list = r.array("installWindows");
            for (int i = 0; i < list.size(); i++) {
                String field = r.at("installWindows") + "[" + i + "]";
                if (!(list.get(i) instanceof JsonValue.JsonArray pair) || pair.elements().size() != 2
                        || !(pair.elements().get(0) instanceof JsonValue.JsonString s) || !(pair.elements().get(1) instanceof JsonValue.JsonString e)) {
                    throw new MalformedDocumentException(field, "expected [\"<start>\", \"<end>\"]");
                }
                Instant start = Read.time(s.value(), field + "[0]");
                Instant end = Read.time(e.value(), field + "[1]");
                if (!start.isBefore(end)) throw new MalformedDocumentException(field, "starts at or after its end");
                windows.add(new InstallWindow(start, end));
            }
        }
        List<String> hw = r.strings("hardwareIds");
        if (hw.isEmpty()) throw new MalformedDocumentException(r.at("hardwareIds"), "must name at least one hardware id");
        long attempt = r.positive("attempt");
        return new DirectorTarget(ecus, hw, r.nonNegative("releaseCounter"), r.text("actionId", 64), attempt, windows,
                r.has("installPolicy") ? InstallPolicy.parse(r.string("installPolicy"), r.at("installPolicy")) : InstallPolicy.RESPECT_BUSY);
    }

    public JsonObject toJson() {
        Write w = Write.object().objects("ecuIdentifiers", ecuHardwareIds, h -> Write.object().put("hardwareId", h).json())
                .strings("hardwareIds", hardwareIds).put("releaseCounter", releaseCounter).put("actionId", actionId)
                .put("attempt", attempt);
        if (!installWindows.isEmpty()) {
            w.array("installWindows", installWindows, win -> JsonValue.arr(List.of(Write.time(win.start()), Write.time(win.end()))));
        }
        return w.put("installPolicy", installPolicy.wireName()).json();
    }

    /** The release fields of this target, to compare with the image repository's (they must be equal). */
    public ReleaseFields releaseFields() {
        return new ReleaseFields(hardwareIds, java.util.OptionalLong.of(releaseCounter), Optional.empty());
    }
}
