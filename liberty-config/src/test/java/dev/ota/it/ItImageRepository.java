package dev.ota.it;

import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.client.UrlConnectionFetcher;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The IT server's image repository as a TUF client sees it: trusting root version 1, refreshed. */
final class ItImageRepository {
    private ItImageRepository() {
    }

    /** A tuf-core updater storing its metadata in {@code client}, refreshed from the server's version-1 root. */
    static Updater refreshed(Http http, Path client) throws IOException {
        Files.write(client.resolve("root.json"), http.get("/metadata/1.root.json").body());
        Updater updater = new Updater(URI.create(base() + "/metadata/"), client,
                new UrlConnectionFetcher(Duration.ofSeconds(10), Duration.ofSeconds(30)), Clock.systemUTC(),
                UpdaterConfig.defaults());
        updater.refresh();
        return updater;
    }

    /**
     * What the repository lists: the version of every targets role (top-level and bins) in the snapshot the
     * current timestamp names. A publish changes it; the background refresh, which re-signs the timestamp (and
     * snapshot) when a test moved the server's time, does not, so a test proving that a refusal published nothing
     * compares this rather than the timestamp's bytes.
     */
    static java.util.Map<String, JsonValue> listing(Http http) {
        JsonValue.JsonObject timestamp = signed(http.get("/metadata/timestamp.json").body());
        JsonValue snapshotVersion = ((JsonValue.JsonObject) ((JsonValue.JsonObject) timestamp.get("meta"))
                .get("snapshot.json")).get("version");
        JsonValue.JsonObject snapshot = signed(http.get("/metadata/" + ((JsonValue.JsonNumber) snapshotVersion).value()
                + ".snapshot.json").body());
        java.util.Map<String, JsonValue> versions = new java.util.TreeMap<>();
        ((JsonValue.JsonObject) snapshot.get("meta")).members().forEach((role, meta) ->
                versions.put(role, ((JsonValue.JsonObject) meta).get("version")));
        return versions;
    }

    private static JsonValue.JsonObject signed(byte[] metadata) {
        return (JsonValue.JsonObject) ((JsonValue.JsonObject) Json.parse(metadata, "metadata")).get("signed");
    }

    static String base() {
        return "http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180");
    }
}
