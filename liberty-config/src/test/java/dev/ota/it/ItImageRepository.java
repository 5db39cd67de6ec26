package dev.ota.it;

import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.client.UrlConnectionFetcher;
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

    static String base() {
        return "http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180");
    }
}
