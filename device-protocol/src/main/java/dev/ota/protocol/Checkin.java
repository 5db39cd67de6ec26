package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code POST /devices/v1/{deviceId}/checkins}, signed by the device key (device-api.md, "Check-in"): its
 * counter (persisted, above every earlier one), its state, what each ECU runs, the install journal entries not
 * yet acknowledged, and the configuration version it holds.
 */
public record Checkin(String deviceId, long counter, Instant time, DeviceState state, Optional<String> stateReason,
                      Map<String, Ecu> ecus, OptionalLong directorTimestampVersion, List<Report> reports,
                      Optional<ConfigReport> config) implements DeviceDocument {
    public static final String TYPE = "checkin";

    public Checkin {
        Read.checkDeviceId(deviceId, "checkin.deviceId");
        Write.checkTime(time, "checkin.time");
        ecus = Map.copyOf(ecus);
        reports = List.copyOf(reports);
    }

    /** What the device is doing, so the server's rollouts respect it. */
    public enum DeviceState {
        IDLE, BUSY, CRITICAL;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One ECU: its hardware, the image it runs (absent before its first install) and attacks it detected. */
    public record Ecu(String hardwareId, Optional<InstalledImage> installed, String attacksDetected) {
        static Ecu read(Read r) {
            return new Ecu(r.text("hardwareId", 100), r.optionalChild("installed").map(InstalledImage::read),
                    r.has("attacksDetected") ? r.string("attacksDetected") : "");
        }

        JsonObject toJson() {
            Write w = Write.object().put("hardwareId", hardwareId);
            installed.ifPresent(i -> w.put("installed", i.toJson()));
            return w.put("attacksDetected", attacksDetected).json();
        }
    }

    /** The image an ECU runs, as the image repository lists it. */
    public record InstalledImage(String filepath, long length, Map<String, String> hashes, OptionalLong releaseCounter) {
        public InstalledImage {
            hashes = Map.copyOf(hashes);
        }

        static InstalledImage read(Read r) {
            return new InstalledImage(r.string("filepath"), r.nonNegative("length"), r.hashes("hashes"),
                    r.optionalNonNegative("releaseCounter"));
        }

        JsonObject toJson() {
            return Write.object().put("filepath", filepath).put("length", length).stringMap("hashes", hashes)
                    .put("releaseCounter", releaseCounter).json();
        }
    }

    /** What the device reports about its configuration: the version it holds and the hash of its properties. */
    public record ConfigReport(long version, String sha256) {
        static ConfigReport read(Read r) {
            return new ConfigReport(r.nonNegative("version"), r.string("sha256"));
        }

        JsonObject toJson() {
            return Write.object().put("version", version).put("sha256", sha256).json();
        }
    }

    /** @throws MalformedDocumentException naming the field that is missing, of the wrong type or out of range */
    public static Checkin fromJson(JsonValue signed) {
        Read r = Read.document(signed, TYPE);
        List<JsonValue> list = r.has("reports") ? r.array("reports") : List.of();
        List<Report> reports = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) reports.add(Report.read(Read.object(list.get(i), r.at("reports") + "[" + i + "]")));
        return new Checkin(r.deviceId("deviceId"), r.nonNegative("counter"), r.time("time"),
                r.constant("state", DeviceState.class, DeviceState::wireName), r.optionalString("stateReason"),
                r.objects("ecus", Ecu::read),
                r.optionalChild("director").map(d -> OptionalLong.of(d.nonNegative("timestampVersion"))).orElse(OptionalLong.empty()),
                reports, r.optionalChild("config").map(ConfigReport::read));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        Write w = Write.document(TYPE).put("deviceId", deviceId).put("counter", counter).put("time", time)
                .put("state", state.wireName()).put("stateReason", stateReason).objects("ecus", ecus, Ecu::toJson);
        directorTimestampVersion.ifPresent(v -> w.put("director", Write.object().put("timestampVersion", v).json()));
        w.array("reports", reports, Report::toJson);
        config.ifPresent(c -> w.put("config", c.toJson()));
        return w.json();
    }
}
