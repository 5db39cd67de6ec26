package dev.ota.agent.runtime;

import dev.ota.agent.device.DeviceProperties;
import dev.ota.agent.device.RunConfig;
import dev.ota.agent.fleet.DeviceJournal;
import dev.ota.agent.fleet.HttpClientTransport;
import dev.ota.agent.testing.DevicePeer;
import dev.ota.agent.testing.DirectorServer;
import dev.ota.agent.testing.ImageRepository;
import dev.ota.agent.testing.VirtualTime;
import dev.ota.protocol.Checkin;
import dev.ota.protocol.Report;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device following its director (device-api.md, "Director metadata") through {@code ota-agent run}, against a
 * device API peer, a director and an image repository over HTTP, in virtual time: every state it reaches is
 * reported through its check-ins, in order, once.
 */
class DirectorFollowingTest {
    private static final String DEVICE = "lock-0042";
    private static final String HARDWARE = "lock-v2";
    private static final String PATH = "lock-fw/2.0.bin";

    @TempDir
    Path dir;
    private DevicePeer peer;
    private ImageRepository images;
    private DirectorServer director;
    private VirtualTime time;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        // The image repository signs with the real time; the virtual clock starts there and only moves forward.
        time = new VirtualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        peer = new DevicePeer();
        peer.pollAfterSeconds = 300;
        images = new ImageRepository();
        director = new DirectorServer(time);
        Files.write(dir.resolve("director-root.json"), director.rootBytes());
        Files.write(dir.resolve("image-root.json"), images.rootBytes());
        deviceState("idle");
    }

    @AfterEach
    void stop() {
        peer.close();
        images.close();
        director.close();
    }

    private void deviceState(String line) throws Exception {
        Files.writeString(dir.resolve("device-state"), line + "\n");
    }

    /** A new agent process on the same folder; {@code extra} adds configuration lines. */
    private DeviceRunner agent(String... extra) throws Exception {
        String imageBase = images.metadataUrl().toString().replace("/metadata/", "");
        List<String> lines = new ArrayList<>(List.of("server.url=" + peer.base(), "device.id=" + DEVICE, "hardware.id=" + HARDWARE,
                "enrollment.token=enroll-me", "state.command=cat " + dir.resolve("device-state"), "state.timeout-seconds=5",
                "properties.file=device.properties", "data.dir=data", "request.timeout-seconds=5",
                "state.dir=state", "slots.dir=slots", "director.root=director-root.json", "director.url=" + director.base(),
                "image.root=image-root.json", "image.url=" + imageBase, "health.command=grep -q HEALTHY image",
                "health.timeout-seconds=10", "boot.max-trial-boots=2"));
        lines.addAll(List.of(extra));
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return DeviceRunner.of(RunConfig.load(file), HttpClientTransport.create(peer.base(), Duration.ofSeconds(5)), time, time.sleeper(),
                new SplittableRandom(7), new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    /** Publishes {@code content} in the image repository and has the director order it for the device. */
    private long assign(String path, String content, long counter, String actionId, Object... extraCustom) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        images.publish(path, bytes, "2.0", counter, HARDWARE);
        return order(path, bytes, counter, actionId, extraCustom);
    }

    private long order(String path, byte[] bytes, long counter, String actionId, Object... extraCustom) {
        return orderAttempt(path, bytes, counter, actionId, 1, extraCustom);
    }

    private long orderAttempt(String path, byte[] bytes, long counter, String actionId, long attempt, Object... extraCustom) {
        TargetFile listed = TargetFile.describing(Bytes.of(bytes), Optional.empty());
        long v = director.sign(DEVICE, Map.of(path, DirectorServer.order(listed, DEVICE, HARDWARE, counter, actionId, attempt, extraCustom)));
        peer.directorVersions.put(DEVICE, v);
        return v;
    }

    /** Every report the server received, once each, in (action, seq) order: "STATE" or "STATE detail". */
    private List<String> reports() {
        Map<String, Report> seen = new LinkedHashMap<>();
        for (Checkin c : peer.device(DEVICE).checkins) for (Report r : c.reports()) seen.putIfAbsent(r.actionId() + "#" + r.seq(), r);
        List<Report> all = new ArrayList<>(seen.values());
        all.sort(java.util.Comparator.comparing(Report::actionId).thenComparingLong(Report::seq));
        List<String> out = new ArrayList<>();
        for (Report r : all) out.add(r.state() + (r.detail().isEmpty() ? "" : " " + r.detail()));
        return out;
    }

    private List<Long> seqs(String actionId) {
        List<Long> out = new ArrayList<>();
        for (Checkin c : peer.device(DEVICE).checkins) {
            for (Report r : c.reports()) if (r.actionId().equals(actionId) && !out.contains(r.seq())) out.add(r.seq());
        }
        return out;
    }

    private Checkin.Ecu lastEcu() {
        List<Checkin> all = peer.device(DEVICE).checkins;
        return all.get(all.size() - 1).ecus().get(DEVICE);
    }

    private boolean staged() throws Exception {
        Path staging = dir.resolve("state/staging");
        if (!Files.isDirectory(staging)) return false;
        try (var s = Files.list(staging)) {
            return s.findAny().isPresent();
        }
    }

    /** The kept bytes of cut downloads in the staging folder, by name. */
    private List<String> partials() throws Exception {
        Path staging = dir.resolve("state/staging");
        if (!Files.isDirectory(staging)) return List.of();
        try (var s = Files.list(staging)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".partial-")).sorted().toList();
        }
    }

    private static String partialOf(String content) throws Exception {
        return ".partial-" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** An image large enough to be cut part way. */
    private static final String BIG = "firmware 2.0 HEALTHY " + "x".repeat(60_000);

    /** Orders {@link #BIG} and runs the agent through a download the image repository cuts after 20,000 bytes. */
    private DeviceRunner cutDownload() throws Exception {
        assign(PATH, BIG, 42, "a-1");
        images.cutTarget(PATH, 20_000);
        DeviceRunner agent = agent();
        agent.run(2);
        assertTrue(reports().stream().anyMatch(r -> r.startsWith("FAILED download: ")), reports() + "\n" + log());
        assertEquals(List.of(partialOf(BIG)), partials(), "what arrived is kept for the next attempt");
        return agent;
    }

    @Test
    void aRetryOfTheSameImageResumesFromTheBytesItsCutDownloadKept() throws Exception {
        DeviceRunner agent = cutDownload();
        long kept = Files.size(dir.resolve("state/staging").resolve(partialOf(BIG)));
        assertTrue(kept > 0 && kept <= 20_000, "kept " + kept);

        orderAttempt(PATH, BIG.getBytes(StandardCharsets.UTF_8), 42, "a-1", 2);
        agent.run(3);

        assertEquals(List.of("", "bytes=" + kept + "-"), images.targetRanges, "the retry asks only for the rest");
        assertEquals(PATH, lastEcu().installed().orElseThrow().filepath(), reports() + "\n" + log());
        assertEquals(List.of(), partials());
    }

    @Test
    void theKeptBytesOfACutDownloadAreDeletedWhenAnOrderForAnotherImageSupersedesIt() throws Exception {
        DeviceRunner agent = cutDownload();

        assign("lock-fw/2.1.bin", "firmware 2.1 HEALTHY", 43, "a-2");
        agent.run(1);

        assertEquals(List.of(), partials(), log());
        assertTrue(log().contains("partial download " + partialOf(BIG) + " deleted: no order in force names that image"), log());
        agent.run(2);
        assertEquals("lock-fw/2.1.bin", lastEcu().installed().orElseThrow().filepath(), reports() + "\n" + log());
    }

    @Test
    void theKeptBytesOfACutDownloadAreDeletedWhenTheDirectorWithdrawsTheOrder() throws Exception {
        DeviceRunner agent = cutDownload();

        peer.directorVersions.put(DEVICE, director.sign(DEVICE, Map.of()));
        agent.run(1);

        assertEquals(List.of(), partials(), log());
    }

    @Test
    void atStartUpOnlyTheKeptBytesOfTheOrderInForceStayInTheStagingFolder() throws Exception {
        cutDownload();
        // Left by an order this device's journal no longer names (an agent that stopped before deleting them).
        String stray = partialOf("firmware 1.9 HEALTHY");
        Files.write(dir.resolve("state/staging").resolve(stray), new byte[4096]);

        agent().run(1);

        assertEquals(List.of(partialOf(BIG)), partials(), log());
    }

    /** The whole downloaded images in the staging folder, by name (the URL-encoded target path). */
    private List<String> stagedImages() throws Exception {
        Path staging = dir.resolve("state/staging");
        if (!Files.isDirectory(staging)) return List.of();
        try (var s = Files.list(staging)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private static String stagedName(String path) {
        return dev.ota.tuf.client.UrlEncoding.fileName(path);
    }

    /** Orders {@code path} with an install window two hours ahead and runs the agent until it is downloaded and waits. */
    private DeviceRunner downloadedAndWaiting(String path, String content, long counter, String actionId) throws Exception {
        assign(path, content, counter, actionId, "installWindows", oneHourFrom(time.instant().plus(Duration.ofHours(2))));
        DeviceRunner agent = agent();
        agent.run(2);
        assertEquals("WAITING_WINDOW outside the install windows", reports().get(reports().size() - 1), log());
        return agent;
    }

    @Test
    void theDownloadedImageOfAnOrderAnotherImageSupersedesIsDeletedAndTheNewOrdersIsKept() throws Exception {
        DeviceRunner agent = downloadedAndWaiting(PATH, "firmware 2.0 HEALTHY", 42, "a-1");
        assertEquals(List.of(stagedName(PATH)), stagedImages());

        assign("lock-fw/2.1.bin", "firmware 2.1 HEALTHY", 43, "a-2", "installWindows",
                oneHourFrom(time.instant().plus(Duration.ofHours(2))));
        agent.run(2);

        assertEquals(List.of(stagedName("lock-fw/2.1.bin")), stagedImages(), "the order in force's download stays\n" + log());
        assertTrue(log().contains("downloaded image " + stagedName(PATH) + " deleted: no order in force names that image"), log());
    }

    @Test
    void atStartUpOnlyTheDownloadedImageOfTheOrderInForceStaysInTheStagingFolderAndTheSlotsAreUntouched() throws Exception {
        assign("lock-fw/1.5.bin", "firmware 1.5 HEALTHY", 41, "a-0");
        agent().run(2);
        assertEquals("lock-fw/1.5.bin", lastEcu().installed().orElseThrow().filepath(), reports() + "\n" + log());
        downloadedAndWaiting(PATH, "firmware 2.0 HEALTHY", 42, "a-1");
        // Left by an order this device's journal no longer names (an agent that stopped before deleting it).
        Files.writeString(dir.resolve("state/staging").resolve(stagedName("lock-fw/1.9.bin")), "firmware 1.9 HEALTHY");
        Map<String, String> slots = slotFiles();

        agent().run(1);

        assertEquals(List.of(stagedName(PATH)), stagedImages(), log());
        assertEquals(slots, slotFiles(), "the A/B slots are not the staging folder's");
        assertTrue(slots.values().stream().anyMatch(c -> c.contains("firmware 1.5")), slots.toString());
    }

    /** Every file of the A/B slots, by path, with its content. */
    private Map<String, String> slotFiles() throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var s = Files.walk(dir.resolve("slots"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    @Test
    void theDownloadedImageOfAnOrderTheDirectorWithdrawsIsDeletedWithAnyOtherLeftover() throws Exception {
        DeviceRunner agent = downloadedAndWaiting(PATH, "firmware 2.0 HEALTHY", 42, "a-1");
        Files.writeString(dir.resolve("state/staging").resolve(stagedName("lock-fw/1.9.bin")), "firmware 1.9 HEALTHY");

        peer.directorVersions.put(DEVICE, director.sign(DEVICE, Map.of()));
        agent.run(1);

        assertEquals(List.of(), stagedImages(), log());
    }

    /** {@code installWindows} with one window of an hour. */
    private static JsonValue oneHourFrom(Instant opens) {
        return JsonValue.arr(List.of(JsonValue.arr(List.of(JsonValue.of(opens.toString()), JsonValue.of(opens.plus(Duration.ofHours(1)).toString())))));
    }

    @Test
    void anOrderedReleaseIsDownloadedInstalledAndReportedSucceededOnlyAfterTheCommittedBoot() throws Exception {
        long v = assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1");

        agent().run(2);

        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "TRIAL", "SUCCEEDED"), reports());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs("a-1"));
        Checkin.InstalledImage installed = lastEcu().installed().orElseThrow();
        assertEquals(PATH, installed.filepath());
        assertEquals(42, installed.releaseCounter().getAsLong());
        List<Checkin> checkins = peer.device(DEVICE).checkins;
        assertEquals(v, checkins.get(checkins.size() - 1).directorTimestampVersion().getAsLong(), "the device says which version it processed");
        assertEquals(List.of(), DeviceJournal.open(dir.resolve("data")).unacked(), "every report was acknowledged");
    }

    @Test
    void statusReadsTheInstallThatRunDrivesFromTheSameRunConfiguration() throws Exception {
        assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1");
        agent().run(2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = AgentMain.run(List.of("--config", dir.resolve("agent.properties").toString(), "status"),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err, time);

        String shown = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, shown);
        assertTrue(shown.contains("boot: BootState[committed=B"), shown);
        assertTrue(shown.contains("slot B: Release[target=" + PATH), shown);
    }

    @Test
    void aFailingHealthCheckRollsBackByItselfAndReportsRolledBack() throws Exception {
        assign(PATH, "firmware 2.0 BROKEN", 42, "a-1");

        agent().run(2);

        List<String> r = reports();
        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "TRIAL"), r.subList(0, 5));
        assertEquals("ROLLED_BACK health: health check exited with status 1", r.get(5));
        assertTrue(lastEcu().installed().isEmpty(), "the device still runs what it ran: nothing committed");
    }

    @Test
    void outsideEveryInstallWindowTheDeviceDownloadsThenWaitsAndInstallsOnceOneOpens() throws Exception {
        Instant opens = time.instant().plus(Duration.ofHours(2));
        assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1", "installWindows", oneHourFrom(opens));
        DeviceRunner agent = agent();

        agent.run(3);
        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "WAITING_WINDOW outside the install windows"), reports());
        assertTrue(staged(), "downloaded as soon as assigned");

        time.advance(Duration.between(time.instant(), opens).plusMinutes(1));
        agent.run(2);

        assertEquals("SUCCEEDED", reports().get(reports().size() - 1));
        assertEquals(1, reports().stream().filter(s -> s.startsWith("WAITING_WINDOW")).count(), "waiting is reported once");
    }

    @Test
    void aWaitingDeviceFetchesItsDirectorMetadataBeforeItExpiresAndTakesTheWindowsSignedSince() throws Exception {
        Instant missed = time.instant().plus(Duration.ofHours(2));
        byte[] bytes = "firmware 2.0 HEALTHY".getBytes(StandardCharsets.UTF_8);
        assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1", "installWindows", oneHourFrom(missed));
        DeviceRunner agent = agent();
        agent.run(3);
        assertEquals("WAITING_WINDOW outside the install windows", reports().get(reports().size() - 1));

        // Offline through its only window; back 14 hours on, its director files expire in 10 hours. The director
        // re-signs a file fetched so late (here: signed ahead, as the server does on that fetch), and no check-in
        // announces it: only the device's own fetch finds it.
        time.advance(Duration.ofHours(14));
        Instant next = time.instant().plus(Duration.ofHours(1));
        TargetFile listed = TargetFile.describing(Bytes.of(bytes), Optional.empty());
        director.sign(DEVICE, Map.of(PATH, DirectorServer.order(listed, DEVICE, HARDWARE, 42, "a-1", 1,
                "installWindows", oneHourFrom(next))));
        agent.run(1);
        time.advance(Duration.ofHours(1).plusMinutes(1));
        agent.run(2);

        assertEquals("SUCCEEDED", reports().get(reports().size() - 1));
        assertEquals(1, seqs("a-1").stream().filter(q -> q == 1).count(), "the same order, not a new one");
    }

    @Test
    void aBusyDeviceWaitsAndIsInstalledOnlyOnceForceAfterHasCome() throws Exception {
        deviceState("busy door in use");
        Instant force = time.instant().plus(Duration.ofHours(1));
        assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1", "installPolicy", JsonValue.of("force-after:" + force));
        DeviceRunner agent = agent();

        agent.run(3);
        assertEquals("WAITING_DEVICE device busy: door in use", reports().get(reports().size() - 1));

        time.advance(Duration.ofHours(1));
        agent.run(2);

        assertEquals("SUCCEEDED", reports().get(reports().size() - 1));
    }

    @Test
    void aCriticalDeviceIsNeverForced() throws Exception {
        deviceState("critical surgery in progress");
        assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1", "installPolicy", JsonValue.of("force-after:" + time.instant()));
        DeviceRunner agent = agent();

        agent.run(2);
        // Long past force-after, and far enough for the device to fetch its director metadata again (re-signed), not
        // past the day after which this test's image repository, signed in real time and never renewed, expires.
        time.advance(Duration.ofHours(20));
        agent.run(2);

        assertEquals("WAITING_DEVICE device critical: surgery in progress", reports().get(reports().size() - 1));
        assertFalse(reports().contains("INSTALLING"));
    }

    @Test
    void anOrderTheImageRepositoryListsWithOtherHashesIsRefusedAsAnAttackAndNothingIsDownloadedOrTrusted() throws Exception {
        images.publish(PATH, "genuine 2.0 HEALTHY".getBytes(StandardCharsets.UTF_8), "2.0", 42, HARDWARE);
        order(PATH, "evil 2.0 HEALTHY!!!".getBytes(StandardCharsets.UTF_8), 42, "a-1");

        agent().run(3);

        List<String> r = reports();
        assertEquals(1, r.size(), r.toString());
        assertTrue(r.get(0).startsWith("REFUSED attack: director lists " + PATH + " with sha256 "), r.get(0));
        assertFalse(staged(), "nothing downloaded");
        assertFalse(Files.exists(dir.resolve("data/director/targets.json")), "the refused director metadata is not trusted");
        assertTrue(lastEcu().installed().isEmpty());
    }

    @Test
    void imageBytesRewrittenOnTheWayAreRefusedAsAnAttackAndNothingIsKeptOrInstalled() throws Exception {
        assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1");
        images.corruptTarget(PATH);

        agent().run(3);

        List<String> r = reports();
        assertEquals(List.of("ASSIGNED", "DOWNLOADING"), r.subList(0, 2), r.toString());
        assertEquals(3, r.size(), "refused once, never retried: " + r);
        assertTrue(r.get(2).startsWith("REFUSED attack: " + PATH + " rejected on download: "), r.get(2));
        assertFalse(staged(), "the altered bytes are not kept");
        assertTrue(lastEcu().installed().isEmpty());
    }

    @Test
    void aDirectorListingTwoImagesForTheDevicesOneEcuIsRefusedAsAnAttack() throws Exception {
        // device-api.md: each listed target is *the* image this device should run; two cannot both be.
        String other = "lock-fw/2.0-b.bin";
        byte[] a = "firmware 2.0 HEALTHY".getBytes(StandardCharsets.UTF_8);
        byte[] b = "firmware 2.0b HEALTHY".getBytes(StandardCharsets.UTF_8);
        images.publish(PATH, a, "2.0", 42, HARDWARE);
        images.publish(other, b, "2.0", 42, HARDWARE);
        long v = director.sign(DEVICE, Map.of(
                PATH, DirectorServer.order(TargetFile.describing(Bytes.of(a), Optional.empty()), DEVICE, HARDWARE, 42, "a-1", 1),
                other, DirectorServer.order(TargetFile.describing(Bytes.of(b), Optional.empty()), DEVICE, HARDWARE, 42, "a-1", 1)));
        peer.directorVersions.put(DEVICE, v);

        agent().run(2);

        List<String> r = reports();
        assertEquals(1, r.size(), r.toString());
        assertTrue(r.get(0).startsWith("REFUSED attack: director lists 2 images for this device's one ECU"), r.get(0));
        assertFalse(staged(), "nothing downloaded");
        assertTrue(lastEcu().installed().isEmpty());
    }

    @Test
    void aDesiredConfigurationTargetIsNeverTakenForAnImageToInstall() throws Exception {
        // device-api.md: the desired configuration is the target config/{deviceId}.json of the director repository.
        desire(Map.of(), configBytes("{\"name\":\"front door\"}"));

        agent().run(2);

        assertEquals(List.of(), reports(), "no install action for a configuration target");
        assertFalse(staged());
        assertTrue(lastEcu().installed().isEmpty());
    }

    @Test
    void aDesiredConfigurationIsVerifiedAppliedToThePropertiesFileAndBackedUpAsTheNextVersion() throws Exception {
        DeviceRunner agent = agent();
        agent.run(1);
        long before = peer.device(DEVICE).configVersion;
        desire(Map.of(), configBytes("{\"name\":\"front door\",\"wifi.ssid\":\"lobby\"}"));

        agent.run(1);

        Map<String, String> local = properties();
        assertEquals("front door", local.get("name"), log());
        assertEquals("lobby", local.get("wifi.ssid"));
        assertEquals(DEVICE, local.get("device.id"), "what the configuration does not name is kept");
        assertTrue(peer.device(DEVICE).configVersion > before, "backed up in the same cycle, above version " + before);
        String uploaded = new String(peer.device(DEVICE).configEnvelope, StandardCharsets.UTF_8);
        assertTrue(uploaded.contains("\"wifi.ssid\":\"lobby\""), uploaded);
        assertEquals(List.of(), reports());
    }

    @Test
    void theSameDesiredConfigurationIsAppliedOnlyOnce() throws Exception {
        byte[] config = configBytes("{\"name\":\"front door\"}");
        desire(Map.of(), config);
        DeviceRunner agent = agent();
        agent.run(2);
        // Changed on the device since; a director re-signing that lists the same hashes must not undo it.
        editOnDevice("name", "back door");

        desire(Map.of(), config);
        agent.run(2);

        assertEquals("back door", properties().get("name"), log());
    }

    @Test
    void desiredConfigurationBytesRewrittenOnTheWayAreRefusedAsAnAttackAndNotApplied() throws Exception {
        byte[] genuine = configBytes("{\"name\":\"front door\"}");
        byte[] altered = configBytes("{\"name\":\"evil! door\"}");
        assertEquals(genuine.length, altered.length);
        TargetFile signed = TargetFile.describing(Bytes.of(genuine), Optional.empty());
        peer.directorVersions.put(DEVICE, director.sign(DEVICE, Map.of(CONFIG, signed)));
        director.serveTarget(DEVICE, CONFIG, altered, Bytes.of(genuine).sha256Hex());

        agent().run(3);

        List<String> r = reports();
        assertEquals(1, r.size(), "refused once, never retried: " + r);
        assertTrue(r.get(0).startsWith("REFUSED attack: " + CONFIG + " rejected on download: "), r.get(0));
        assertEquals(null, properties().get("name"), "nothing of the altered bytes is applied");
    }

    @Test
    void aClearedDesiredConfigurationLeavesThePropertiesAsTheyAre() throws Exception {
        desire(Map.of(), configBytes("{\"name\":\"front door\"}"));
        DeviceRunner agent = agent();
        agent.run(2);

        peer.directorVersions.put(DEVICE, director.sign(DEVICE, Map.of()));
        agent.run(2);

        assertEquals("front door", properties().get("name"));
    }

    @Test
    void anOrderAndADesiredConfigurationListedTogetherAreBothFollowed() throws Exception {
        byte[] image = "firmware 2.0 HEALTHY".getBytes(StandardCharsets.UTF_8);
        images.publish(PATH, image, "2.0", 42, HARDWARE);
        TargetFile listed = TargetFile.describing(Bytes.of(image), Optional.empty());
        desire(Map.of(PATH, DirectorServer.order(listed, DEVICE, HARDWARE, 42, "a-1", 1)), configBytes("{\"name\":\"front door\"}"));

        agent().run(2);

        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "TRIAL", "SUCCEEDED"), reports());
        assertEquals("front door", properties().get("name"));
    }

    @Test
    void aDesiredConfigurationThatCannotBeFetchedHoldsUpNeitherTheImageOrderNorItsOwnNextAttempt() throws Exception {
        byte[] image = "firmware 2.0 HEALTHY".getBytes(StandardCharsets.UTF_8);
        images.publish(PATH, image, "2.0", 42, HARDWARE);
        byte[] config = configBytes("{\"name\":\"front door\"}");
        Map<String, TargetFile> all = new LinkedHashMap<>();
        all.put(PATH, DirectorServer.order(TargetFile.describing(Bytes.of(image), Optional.empty()), DEVICE, HARDWARE, 42, "a-1", 1));
        all.put(CONFIG, TargetFile.describing(Bytes.of(config), Optional.empty()));
        // Signed but not served (yet): every fetch of the configuration fails.
        peer.directorVersions.put(DEVICE, director.sign(DEVICE, all));
        DeviceRunner agent = agent();

        agent.run(2);
        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "TRIAL", "SUCCEEDED"), reports(), log());
        assertEquals(null, properties().get("name"));

        director.serveTarget(DEVICE, CONFIG, config, Bytes.of(config).sha256Hex());
        agent.run(1);

        assertEquals("front door", properties().get("name"), "fetched again at the next check-in, without a new director version");
        assertEquals(6, reports().size(), "the order is not taken twice: " + reports());
    }

    @Test
    void aDesiredConfigurationRefusedAsAnAttackIsFetchedAgainWhenTheDirectorSignsItAgain() throws Exception {
        byte[] genuine = configBytes("{\"name\":\"front door\"}");
        byte[] altered = configBytes("{\"name\":\"evil! door\"}");
        TargetFile signed = TargetFile.describing(Bytes.of(genuine), Optional.empty());
        peer.directorVersions.put(DEVICE, director.sign(DEVICE, Map.of(CONFIG, signed)));
        director.serveTarget(DEVICE, CONFIG, altered, Bytes.of(genuine).sha256Hex());
        DeviceRunner agent = agent();
        agent.run(2);
        assertTrue(reports().get(0).startsWith("REFUSED attack: "), reports().toString());

        director.serveTarget(DEVICE, CONFIG, genuine, Bytes.of(genuine).sha256Hex());
        peer.directorVersions.put(DEVICE, director.sign(DEVICE, Map.of(CONFIG, signed)));
        agent.run(2);

        assertEquals("front door", properties().get("name"), log());
        assertEquals(1, reports().size(), "refused once: " + reports());
    }

    @Test
    void aDesiredConfigurationSetAgainAfterItWasClearedIsAppliedAgain() throws Exception {
        byte[] a = configBytes("{\"name\":\"front door\"}");
        desire(Map.of(), a);
        DeviceRunner agent = agent();
        agent.run(2);
        peer.directorVersions.put(DEVICE, director.sign(DEVICE, Map.of()));
        agent.run(2);
        editOnDevice("name", "back door");

        desire(Map.of(), a);
        agent.run(2);

        assertEquals("front door", properties().get("name"), "set, cleared, set again: the operator's A is in force again; " + log());
    }

    @Test
    void aDesiredConfigurationSetAgainAfterItWasClearedIsAppliedAgainAlsoAfterARestart() throws Exception {
        byte[] a = configBytes("{\"name\":\"front door\"}");
        desire(Map.of(), a);
        agent().run(2);
        peer.directorVersions.put(DEVICE, director.sign(DEVICE, Map.of()));
        agent().run(2);
        editOnDevice("name", "back door");

        desire(Map.of(), a);
        agent().run(2);

        assertEquals("front door", properties().get("name"), log());
    }

    private static final String CONFIG = "config/" + DEVICE + ".json";

    private static byte[] configBytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The director signs {@code targets} plus the desired configuration {@code config} and serves its bytes. */
    private void desire(Map<String, TargetFile> targets, byte[] config) {
        Map<String, TargetFile> all = new LinkedHashMap<>(targets);
        all.put(CONFIG, TargetFile.describing(Bytes.of(config), Optional.empty()));
        director.serveTarget(DEVICE, CONFIG, config, Bytes.of(config).sha256Hex());
        peer.directorVersions.put(DEVICE, director.sign(DEVICE, all));
    }

    /** The device's own change of its properties file, as a person or its application would make it. */
    private void editOnDevice(String name, String value) {
        DeviceProperties file = DeviceProperties.at(dir.resolve("device.properties"));
        Map<String, String> edited = new java.util.TreeMap<>(file.read());
        edited.put(name, value);
        file.write(edited);
    }

    private Map<String, String> properties() {
        return DeviceProperties.at(dir.resolve("device.properties")).read();
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void directorMetadataSignedForAnotherDeviceIsRefusedAsAnAttack() throws Exception {
        director.signAsDevice = "lock-0043";
        assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1");

        agent().run(2);

        assertEquals(List.of("REFUSED attack: director targets are signed for 'lock-0043', not for this device lock-0042"), reports());
        assertFalse(staged());
    }

    @Test
    void directorMetadataTheTufWorkflowRejectsIsRefusedAsAnAttack() throws Exception {
        director.timestampSigner = SigningKey.generate();
        long v = assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1");

        agent().run(3);

        List<String> r = reports();
        assertEquals(1, r.size(), r.toString());
        assertTrue(r.get(0).startsWith("REFUSED attack: director metadata rejected: "), r.get(0));
        assertEquals(List.of(1L), seqs("director-" + v), "filed under the version the check-in named, reported once");
        assertFalse(staged());
    }

    @Test
    void anEmptyDirectorTargetsListAbandonsAWaitingOrder() throws Exception {
        Instant opens = time.instant().plus(Duration.ofHours(2));
        assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1", "installWindows", oneHourFrom(opens));
        DeviceRunner agent = agent();
        agent.run(2);

        peer.directorVersions.put(DEVICE, director.sign(DEVICE, Map.of()));
        agent.run(1);
        time.advance(Duration.ofHours(2).plusMinutes(5));
        agent.run(2);

        assertEquals("WAITING_WINDOW outside the install windows", reports().get(reports().size() - 1));
        assertFalse(staged(), "the withdrawn download is deleted");
        assertTrue(lastEcu().installed().isEmpty());
    }

    @Test
    void aRestartNeitherRepeatsNorSkipsTheDirectorsOrder() throws Exception {
        deviceState("busy door in use");
        assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1");
        agent().run(2);

        agent().run(2);
        deviceState("idle");
        agent().run(2);

        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "WAITING_DEVICE device busy: door in use", "INSTALLING", "TRIAL",
                "SUCCEEDED"), reports());
    }

    @Test
    void aRebootIntoTheTrialSlotIsSettledByTheNextStartFromTheJournal() throws Exception {
        assign(PATH, "firmware 2.0 HEALTHY", 42, "a-1");

        // A real device reboots here: the process ends with the new slot on trial.
        agent("reboot.command=true").run(1);
        assertTrue(DeviceJournal.open(dir.resolve("data")).action().orElseThrow().state() == Report.State.TRIAL);
        agent("reboot.command=true").run(2);

        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "TRIAL", "SUCCEEDED"), reports());
        assertEquals(PATH, lastEcu().installed().orElseThrow().filepath());
    }
}
