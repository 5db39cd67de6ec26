package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.client.Updater;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.testing.TestTar;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Release counters over real HTTP (device-api.md "Director metadata"; issue 12): the server assigns the next
 * counter of a product line (releases sharing a hardware id), refuses a given one not above the line's highest,
 * never hands one counter out twice, concurrent uploads included, and signs it into the target's custom. Each
 * test uses hardware ids of its own, so it does not depend on what other classes uploaded to the same server.
 */
@ExtendWith(ArquillianExtension.class)
class ReleaseCounterIT {
    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void uploadsWithoutACounterGetTheNextOfTheirProductLineRemovedReleasesIncluded() throws IOException {
        String[] admin = ItAccounts.admin(http);
        String line = "rc-" + run();
        String other = "rc-other-" + run();

        JsonObject first = json(upload(admin, "rc/" + line + "/1.bin", List.of(line), null, null));
        JsonObject shared = json(upload(admin, "rc/" + line + "/2.bin", List.of(other, line), null, null));
        JsonObject ofOther = json(upload(admin, "rc/" + line + "/3.bin", List.of(other), null, null));
        HttpResponse<byte[]> removed = http.send("DELETE", "/portal/api/v1/releases/" + number(shared, "id"), admin);
        assertEquals(200, removed.statusCode(), Http.text(removed));
        JsonObject afterRemoval = json(upload(admin, "rc/" + line + "/4.bin", List.of(line), null, null));
        JsonObject both = json(upload(admin, "rc/" + line + "/5.bin", List.of(line, other), null, null));

        assertEquals(1, number(first, "releaseCounter"));
        assertEquals(2, number(shared, "releaseCounter"));
        assertEquals(3, number(ofOther, "releaseCounter"), "a hardware id's highest counts the releases it shares");
        assertEquals(3, number(afterRemoval, "releaseCounter"), "2 was used by a removed release of the line");
        assertEquals(4, number(both, "releaseCounter"), "above the highest of each of its hardware ids");
        // The signed target carries the counter where devices read it (device-protocol ReleaseFields).
        JsonObject signed = (JsonObject) imageRepository().findTarget("rc/" + line + "/4.bin").custom().orElseThrow();
        assertEquals(JsonValue.of(3), signed.get("releaseCounter"));
        assertEquals(JsonValue.of("1.0"), signed.get("version"));
    }

    @Test
    void aGivenCounterNotAboveTheLinesHighestIsRefusedNamingItAndNothingIsStored() {
        String[] admin = ItAccounts.admin(http);
        String line = "rc-" + run();
        assertEquals(10, number(json(upload(admin, "rc/" + line + "/10.bin", List.of(line), 10L, null)),
                "releaseCounter"));
        byte[] timestamp = http.get("/metadata/timestamp.json").body();

        for (long given : new long[] {10, 3}) {
            HttpResponse<byte[]> refused = send(admin, "rc/" + line + "/again-" + given + ".bin", List.of(line), given,
                    null);
            assertEquals(409, refused.statusCode(), Http.text(refused));
            assertEquals("release.counter-not-above", string(json(refused), "code"));
            assertTrue(string(json(refused), "message").contains("is not above 10"), Http.text(refused));
        }
        HttpResponse<byte[]> zero = send(admin, "rc/" + line + "/zero.bin", List.of(line), 0L, null);
        assertEquals(400, zero.statusCode(), Http.text(zero));
        assertEquals("release.invalid-counter", string(json(zero), "code"));

        assertEquals(new String(timestamp, StandardCharsets.UTF_8),
                new String(http.get("/metadata/timestamp.json").body(), StandardCharsets.UTF_8), "nothing was signed");
        String listed = Http.text(http.get("/portal/api/v1/releases?limit=200", admin));
        assertFalse(listed.contains("rc/" + line + "/again-"), listed);
        assertTrue(ItAudit.has(http, "release.upload", e -> e.outcome().equals("FAILED")
                && e.detail().contains("release.counter-not-above")), "the refusal is audited");
        // The counter as a custom field, the way it was given before it had a parameter, still works.
        assertEquals(11, number(json(upload(admin, "rc/" + line + "/11.bin", List.of(line), null,
                "{\"releaseCounter\":11}")), "releaseCounter"));
    }

    @Test
    void concurrentUploadsOfOneProductLineNeverGetTheSameCounter() throws Exception {
        String[] admin = ItAccounts.admin(http);
        String line = "rc-" + run();
        int uploads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(uploads);
        List<Future<HttpResponse<byte[]>>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < uploads; i++) {
                String path = "rc/" + line + "/parallel-" + i + ".bin";
                Callable<HttpResponse<byte[]>> upload = () -> send(admin, path, List.of(line), null, null);
                sent.add(pool.submit(upload));
            }
            Set<Long> counters = new TreeSet<>();
            for (Future<HttpResponse<byte[]>> f : sent) {
                HttpResponse<byte[]> r = f.get();
                assertEquals(201, r.statusCode(), Http.text(r));
                counters.add(number(json(r), "releaseCounter"));
            }
            assertEquals(LongStream.rangeClosed(1, uploads).boxed().collect(Collectors.toCollection(TreeSet::new)),
                    counters, "every upload got a counter of its own, none skipped");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anImportNumbersItsFilesInArchiveOrderAfterTheLinesHighestAndAGivenOneMustBeAboveThem() throws IOException {
        String[] admin = ItAccounts.admin(http);
        String line = "rc-" + run();
        upload(admin, "rc/" + line + "/first.bin", List.of(line), 5L, null);
        TestTar tar = new TestTar().file(".ota-manifest.ndjson", "{\"path\":\"rc/" + line + "/c.bin\","
                + "\"releaseCounter\":20}\n").file("rc/" + line + "/a.bin", "a").file("rc/" + line + "/b.bin", "b")
                .file("rc/" + line + "/c.bin", "c").file("rc/" + line + "/d.bin", "d");

        HttpResponse<byte[]> imported = http.sendBytes("POST", "/portal/api/v1/releases/import?version=1.0&hardwareId="
                + line, "application/x-tar", tar.bytes(), admin);

        assertEquals(200, imported.statusCode(), Http.text(imported));
        Updater updater = imageRepository();
        List<Long> counters = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            counters.add(((JsonValue.JsonNumber) ((JsonObject) updater.findTarget("rc/" + line + "/" + name + ".bin")
                    .custom().orElseThrow()).get("releaseCounter")).value().longValueExact());
        }
        assertEquals(List.of(6L, 7L, 20L, 21L), counters);
        TestTar below = new TestTar().file(".ota-manifest.ndjson", "{\"path\":\"rc/" + line + "/e.bin\","
                + "\"releaseCounter\":21}\n").file("rc/" + line + "/e.bin", "e");
        HttpResponse<byte[]> refused = http.sendBytes("POST", "/portal/api/v1/releases/import?version=1.0&hardwareId="
                + line, "application/x-tar", below.bytes(), admin);
        assertEquals(409, refused.statusCode(), Http.text(refused));
        assertEquals("release.counter-not-above", string(json(refused), "code"));
        assertTrue(string(json(refused), "message").contains("rc/" + line + "/e.bin"), Http.text(refused));
    }

    private HttpResponse<byte[]> upload(String[] admin, String path, List<String> hardwareIds, Long counter,
                                        String custom) {
        HttpResponse<byte[]> r = send(admin, path, hardwareIds, counter, custom);
        assertEquals(201, r.statusCode(), Http.text(r));
        return r;
    }

    private HttpResponse<byte[]> send(String[] admin, String path, List<String> hardwareIds, Long counter,
                                      String custom) {
        StringBuilder query = new StringBuilder("?path=" + path + "&version=1.0");
        hardwareIds.forEach(h -> query.append("&hardwareId=").append(h));
        if (counter != null) {
            query.append("&releaseCounter=").append(counter);
        }
        if (custom != null) {
            query.append("&custom=").append(URLEncoder.encode(custom, StandardCharsets.UTF_8));
        }
        return http.sendBytes("POST", "/portal/api/v1/releases" + query, (path + " bytes").getBytes(StandardCharsets.UTF_8),
                admin);
    }

    private Updater imageRepository() throws IOException {
        return ItImageRepository.refreshed(http, Files.createTempDirectory("release-counter-it"));
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }

    private static String string(JsonObject o, String name) {
        return o.get(name) instanceof JsonValue.JsonString s ? s.value() : null;
    }

    private static long number(JsonObject o, String name) {
        return ((JsonValue.JsonNumber) o.get(name)).value().longValueExact();
    }
}
