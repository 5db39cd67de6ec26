package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ota.agent.slots.SlotStore;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.client.UrlConnectionFetcher;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.TargetFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * fleet.md's two invariants, checked from outside the device and the server after every agent cycle of a scenario:
 * <ol>
 * <li>No device installs what both repositories did not sign with matching fields: every image in a device's
 * committed or trial slot is listed by the image repository (a TUF client trusting its root version 1 finds it)
 * and by some version of that device's own director targets, both with the slot's length, sha256 and release
 * counter and with the device's hardware id.</li>
 * <li>No device's release counter ever goes down: the committed slot's counter is never below the highest this
 * checker saw for that device, and a device that ran a counted release never runs none again.</li>
 * </ol>
 * What is checked is the device's own slots (as its boot loader would boot them), not what it reports, so a
 * device lying to the server or a server trusting a report could not hide a breach.
 */
final class FleetInvariants {
    private Http http;
    private String base;
    private final String hardware;
    private final ServerClock clock;
    private final Path imageClient;
    /** device -> the highest committed release counter seen. */
    private final Map<String, Long> highest = new HashMap<>();
    /** device -> director targets version -> its signed part; versioned files never change, so they are kept. */
    private final Map<String, TreeMap<Long, JsonObject>> directorTargets = new HashMap<>();
    private int checks;

    FleetInvariants(Http http, String base, String hardware, ServerClock clock) {
        this.http = http;
        this.base = base;
        this.hardware = hardware;
        this.clock = clock;
        try {
            this.imageClient = Files.createTempDirectory("fleet-invariants-");
            Files.write(imageClient.resolve("root.json"), ok(http.get("/metadata/1.root.json"), "1.root.json").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks through another server of the same database from now on (the signed files are the same). */
    void serveFrom(Http next, String nextBase) {
        this.http = next;
        this.base = nextBase;
    }

    /** How many device states were checked (a scenario asserts it checked something). */
    int checks() {
        return checks;
    }

    /** Checks both invariants on the device's slots as they are now. */
    void check(ItAgent agent) {
        checks++;
        Optional<SlotStore.Release> committed = agent.committed();
        for (SlotStore.Release release : committed.stream().toList()) {
            assertSignedByBoth(agent, release, "committed");
        }
        agent.onTrial().ifPresent(r -> assertSignedByBoth(agent, r, "on trial"));

        Long before = highest.get(agent.id());
        if (committed.isEmpty() || committed.get().releaseCounter().isEmpty()) {
            assertTrue(before == null, agent.id() + " ran release counter " + before + " and now runs an uncounted image");
            return;
        }
        long counter = committed.get().releaseCounter().getAsLong();
        assertTrue(before == null || counter >= before, agent.id() + "'s release counter went down from " + before
                + " to " + counter);
        highest.put(agent.id(), counter);
    }

    private void assertSignedByBoth(ItAgent agent, SlotStore.Release release, String slot) {
        String what = agent.id() + " has " + release.target() + " " + slot;
        long length = agent.imageLength(release);
        assertTrue(release.releaseCounter().isPresent(), what + " without a release counter");
        long counter = release.releaseCounter().getAsLong();

        TargetFile image = imageRepository().findTarget(release.target());
        assertEquals(length, image.length(), what + ": the image repository signed another length");
        assertEquals(release.sha256(), image.hashes().get("sha256"), what + ": the image repository signed another hash");
        JsonObject imageCustom = (JsonObject) image.custom().orElseThrow(() -> new AssertionError(what
                + ": the image repository signed no custom"));
        assertEquals(counter, number(imageCustom, "releaseCounter"), what + ": the image repository signed another "
                + "release counter");
        assertTrue(strings(imageCustom.get("hardwareIds")).contains(hardware), what + ": the image repository signed "
                + "it for other hardware: " + CanonicalJson.encodeToString(imageCustom));

        for (JsonObject targets : directorHistory(agent).values()) {
            JsonObject listed = (JsonObject) ((JsonObject) targets.get("targets")).get(release.target());
            if (listed == null) {
                continue;
            }
            JsonObject custom = (JsonObject) listed.get("custom");
            if (number(listed, "length") == length
                    && release.sha256().equals(string((JsonObject) listed.get("hashes"), "sha256"))
                    && number(custom, "releaseCounter") == counter
                    && strings(custom.get("hardwareIds")).contains(hardware)
                    && agent.id().equals(string((JsonObject) targets.get("custom"), "deviceId"))) {
                return;
            }
        }
        fail(what + ", which no director targets signed for this device lists with the same length, hash, release "
                + "counter and hardware id");
    }

    /**
     * Every version of the device's director targets ({@code signed}), oldest first up to the current one, fetched
     * with the device's own token.
     */
    TreeMap<Long, JsonObject> directorHistory(ItAgent agent) {
        String token = agent.runner().session().currentToken()
                .orElseThrow(() -> new AssertionError(agent.id() + " holds no check-in token"));
        TreeMap<Long, JsonObject> known = directorTargets.computeIfAbsent(agent.id(), k -> new TreeMap<>());
        JsonObject ts = signed(director(agent.id(), "timestamp.json", token));
        long snapshot = number((JsonObject) ((JsonObject) ts.get("meta")).get("snapshot.json"), "version");
        JsonObject sn = signed(director(agent.id(), snapshot + ".snapshot.json", token));
        long current = number((JsonObject) ((JsonObject) sn.get("meta")).get("targets.json"), "version");
        for (long v = 1; v <= current; v++) {
            if (!known.containsKey(v)) {
                known.put(v, signed(director(agent.id(), v + ".targets.json", token)));
            }
        }
        return new TreeMap<>(known.headMap(current + 1));
    }

    private Updater imageRepository() {
        Updater updater = new Updater(URI.create(base + "/metadata/"), imageClient,
                new UrlConnectionFetcher(Duration.ofSeconds(10), Duration.ofSeconds(30)), clock.following(),
                UpdaterConfig.defaults());
        updater.refresh();
        return updater;
    }

    private HttpResponse<byte[]> director(String deviceId, String file, String token) {
        return ok(http.get("/director/" + deviceId + "/metadata/" + file, "Authorization", "Bearer " + token), file);
    }

    private static HttpResponse<byte[]> ok(HttpResponse<byte[]> r, String file) {
        assertEquals(200, r.statusCode(), file + ": " + Http.text(r));
        return r;
    }

    private static JsonObject signed(HttpResponse<byte[]> r) {
        return (JsonObject) ((JsonObject) Json.parse(r.body(), "metadata")).get("signed");
    }

    private static List<String> strings(JsonValue v) {
        return v instanceof JsonValue.JsonArray a
                ? a.elements().stream().map(e -> e instanceof JsonValue.JsonString s ? s.value() : "").toList()
                : List.of();
    }

    private static String string(JsonObject o, String name) {
        JsonValue v = o == null ? null : o.get(name);
        return v instanceof JsonValue.JsonString s ? s.value() : null;
    }

    private static long number(JsonObject o, String name) {
        JsonValue v = o == null ? null : o.get(name);
        return v instanceof JsonValue.JsonNumber n ? n.value().longValueExact() : Long.MIN_VALUE;
    }
}
