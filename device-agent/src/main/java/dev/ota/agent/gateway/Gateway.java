package dev.ota.agent.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ota.protocol.ByteRange;
import dev.ota.tuf.DownloadException;
import dev.ota.tuf.RepositoryException;
import dev.ota.tuf.TufException;
import dev.ota.tuf.client.HttpStatusException;
import dev.ota.tuf.client.MetadataStore;
import dev.ota.tuf.client.TargetNotFoundException;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.client.UrlConnectionFetcher;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.TargetFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gateway (fleet.md, "Gateway"): serves device-api.md's paths to the devices behind it.
 * <ul>
 * <li>{@code /metadata/*}: the image repository's metadata from the gateway's cache. Versioned files never change and
 * are fetched once; {@code timestamp.json} (small) is asked for each time. While the cloud is unreachable the last
 * copy is served (devices judge its expiry themselves), and a root version the gateway never saw is answered 404,
 * as the newest root it knows.</li>
 * <li>{@code /targets/*}: each image is fetched from the cloud once per gateway, whatever the number of devices, and
 * cached only after the gateway's own TUF client verified its length and hashes against the image repository's
 * signed targets ({@link ImageCache}: bounded, least recently needed first, never an image a device is still
 * ordered to run; one too big for it is sent from a staged copy, {@link StagedImages}, kept a while after its last
 * answer for devices resuming it). A cut fetch from the cloud is resumed where it stopped ({@code Range}, tuf-core's
 * {@code resumeDownloads}): its bytes are kept in {@code partial/} across restarts until the image is verified,
 * and dropped when no device behind the gateway is ordered to run that image any more (at start-up and before
 * the next fetch).</li>
 * <li>Both {@code /metadata/*} and {@code /targets/*} are served as the server serves them to a device resuming a
 * download: one byte range ({@link ByteRange}, the server's own decision), 206 with {@code Content-Range}, 416 with
 * {@code Content-Range: bytes *}{@code /LENGTH} past the end, {@code Accept-Ranges: bytes}, and a strong
 * {@code ETag} (the quoted SHA-256 of the bytes, as the server's) that {@code If-Range} must name.</li>
 * <li>{@code /director/{deviceId}/metadata/*}: fetched from the cloud with the device's own bearer token and passed
 * on unchanged (a gateway holds no key and re-signs nothing). A copy is kept, served only while the cloud is
 * unreachable and only to a request with the token the cloud last accepted for that device. The targets it passes
 * tell the gateway which images each device still needs.</li>
 * <li>{@code /director/{deviceId}/targets/config/*}: the device's desired configuration, a director target the device
 * verifies against its signed targets; forwarded with the device's bearer token, never kept.</li>
 * <li>{@code /devices/v1/*} (enrollment, check-ins, configuration, key rotation): forwarded byte for byte, the
 * answer returned as the server gave it. While the cloud is unreachable the answer is the one device-api.md gives
 * for a server that cannot serve: 503 with {@code Retry-After}. The gateway keeps no check-in: the device keeps
 * its unacknowledged reports in its own fsynced journal and sends them, in order, with its next check-in that
 * reaches the server, under a new counter; the server stores each (actionId, seq) once. A held check-in could
 * not be answered (the gateway cannot give the token, and the acknowledgement it would have to give is the
 * server's), so holding one would only risk a replay refusal when the device's newer check-in overtakes it.</li>
 * </ul>
 */
public final class Gateway implements AutoCloseable {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    /** Percent-encoded role names pass; an encoded dot, slash or backslash (a way out of the folder) does not. */
    private static final Pattern FILE_NAME = Pattern.compile("(?i)(?!.*%(2e|2f|5c))[A-Za-z0-9_%-][A-Za-z0-9._%-]{0,199}");
    private static final Pattern DIRECTOR = Pattern.compile("/director/([^/]+)/metadata/([^/]+)");
    private static final Pattern DIRECTOR_CONFIG = Pattern.compile("/director/([^/]+)/targets/config/([^/]+)");
    private static final Pattern CHECKIN = Pattern.compile("/devices/v1/([^/]+)/checkins");
    /**
     * The device calls of device-api.md and nothing else: the gateway forwards a device's Authorization header,
     * and must not relay it (or anything) to the management API or elsewhere on the server.
     */
    private static final Pattern DEVICE_CALL = Pattern.compile(
            "/devices/v1/(enrollments|[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}/(checkins|config|keys))");
    private static final Pattern VERSIONED = Pattern.compile("(\\d+)\\.(.+)");
    private static final Pattern ROOT = Pattern.compile("\\d+\\.root\\.json");
    private static final Pattern DIRECTOR_TARGETS = Pattern.compile("(\\d+)\\.targets\\.json");
    private static final String CONFIG_TARGETS = "config/";

    private final GatewayConfig config;
    private final Upstream upstream;
    private final Clock clock;
    private final PrintStream log;
    private final ImageCache cache;
    private final Path imageMetadataDir;
    private final Path directorDir;
    private final Path directorRootDir;
    private final Path trustedImageDir;
    /** Verified images too big for the cache: one copy per image, shared by its answers, kept a while after the last. */
    private final StagedImages staged;
    /** The kept bytes of cut image fetches from the cloud, {@code .partial-<sha256>}, resumed by the next fetch. */
    private final Path partialDir;
    /** Per device: the SHA-256 of the bearer header the cloud last accepted for it (never the token itself). */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Per device: the images its newest director targets order. */
    private final Map<String, Pins> pins = new ConcurrentHashMap<>();
    /** Target path to the hash the image repository listed for it last (for requests without a hash in the name). */
    private final Map<String, String> pathHashes = new ConcurrentHashMap<>();
    /** One image fetch at a time: the second device asking for the same image waits and gets the cached copy. */
    private final Object fetching = new Object();
    private final HttpServer server;
    private final ExecutorService executor;

    /** The images one device's director targets (of {@code version}) order. */
    record Pins(long version, Set<String> sha256s) {
    }

    private Gateway(GatewayConfig config, Clock clock, PrintStream log) throws IOException {
        this.config = config;
        this.clock = clock;
        this.log = log;
        this.upstream = new Upstream(config.upstream(), config.requestTimeout());
        Path dir = config.dir();
        this.cache = new ImageCache(dir.resolve("images"), config.cacheMaxBytes());
        this.imageMetadataDir = dir.resolve("metadata");
        this.directorDir = dir.resolve("director");
        this.directorRootDir = dir.resolve("director-root");
        this.trustedImageDir = dir.resolve("image-trusted");
        this.partialDir = dir.resolve("partial");
        for (Path p : new Path[]{imageMetadataDir, directorDir, directorRootDir, trustedImageDir, partialDir}) {
            Files.createDirectories(p);
        }
        if (!Files.exists(trustedImageDir.resolve("root.json"))) {
            MetadataStore.writeAtomically(trustedImageDir.resolve("root.json"), Files.readAllBytes(config.imageRoot()));
        }
        this.staged = new StagedImages(dir.resolve("downloads"), config.stagedKeep(), clock);
        restorePins();
        dropStrayPartials(Optional.empty());
        this.server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 0);
        this.executor = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "ota-gateway");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
    }

    /** Starts serving; {@link #close()} stops. */
    public static Gateway start(GatewayConfig config, Clock clock, PrintStream log) throws IOException {
        Gateway g = new Gateway(config, clock, log);
        g.server.start();
        log.println("ota-gateway: serving on " + g.base() + " for " + config.upstream() + "; " + g.cache);
        return g;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL devices behind the gateway use as their server URL. */
    public URI base() {
        return URI.create("http://" + (config.bind().equals("0.0.0.0") ? "127.0.0.1" : config.bind()) + ":" + port());
    }

    public ImageCache cache() {
        return cache;
    }

    /** Every image a device behind the gateway (or the gateway itself) is ordered to run now. */
    public Set<String> pinned() {
        Set<String> all = new HashSet<>();
        pins.values().forEach(p -> all.addAll(p.sha256s()));
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- routing ----

    /**
     * An answer to a device: bytes, or a file ({@code staged}: the hold on the staged copy of an image too big to
     * cache, released once the answer is sent or failed; null for any other file); {@code etag} the strong entity
     * tag when already known (an image's hash), {@code part} the one range of it sent (null: all).
     */
    private record Reply(int status, Map<String, String> headers, byte[] body, Path file, StagedImages.Lease staged,
                         String etag, ByteRange.Part part) {
        static Reply bytes(int status, Map<String, String> headers, byte[] body) {
            return new Reply(status, headers, body, null, null, null, null);
        }

        static Reply file(Path file, String contentType) {
            return new Reply(200, Map.of("Content-Type", contentType), null, file, null, null, null);
        }

        /** A cached verified image, its strong entity tag its SHA-256 (as the server's). */
        static Reply image(Path file, String sha256) {
            return new Reply(200, Map.of("Content-Type", "application/octet-stream"), null, file, null, quoted(sha256), null);
        }

        /** A verified image from its staged copy. */
        static Reply image(StagedImages.Lease staged, String sha256) {
            return new Reply(200, Map.of("Content-Type", "application/octet-stream"), null, staged.file(), staged, quoted(sha256), null);
        }

        long length() throws IOException {
            return file != null ? Files.size(file) : body.length;
        }

        void release() throws IOException {
            if (staged != null) staged.release();
        }
    }

    private void serve(HttpExchange ex) {
        try (ex) {
            Reply reply;
            try {
                reply = route(ex);
            } catch (RuntimeException | IOException e) {
                log.println("ota-gateway: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " failed: " + e);
                reply = error(500, "gateway.failed", "the gateway could not answer this request");
            }
            send(ex, reply);
        } catch (IOException e) {
            // The device went away while the answer was sent; it asks again.
        }
    }

    private Reply route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        if (path.startsWith("/devices/v1/")) {
            if (!DEVICE_CALL.matcher(path).matches() || path.contains("..")) {
                return error(404, "gateway.not-found", "the gateway forwards only device-api.md's device calls");
            }
            return forward(ex, method, path + (query == null ? "" : "?" + query));
        }
        if (!method.equals("GET")) return error(405, "request.method", "only GET is served under " + path);
        if (path.startsWith("/metadata/")) return ranged(ex, imageMetadata(path.substring("/metadata/".length())));
        if (path.startsWith("/targets/")) return ranged(ex, target(path.substring("/targets/".length())));
        if (path.startsWith("/director/root/")) return directorRoot(path.substring("/director/root/".length()));
        Matcher c = DIRECTOR_CONFIG.matcher(path);
        if (c.matches()) {
            if (!DEVICE_ID.matcher(c.group(1)).matches() || !FILE_NAME.matcher(c.group(2)).matches()) {
                return error(404, "gateway.not-found", "no such director target");
            }
            return forward(ex, method, path);
        }
        Matcher d = DIRECTOR.matcher(path);
        if (d.matches()) return director(d.group(1), d.group(2), Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")));
        return error(404, "gateway.not-found", "the gateway serves no " + path);
    }

    // ---- device calls: forwarded byte for byte ----

    private Reply forward(HttpExchange ex, String method, String pathAndQuery) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return error(413, "request.too-large", "a device request body is at most " + MAX_BODY_BYTES + " bytes (64 KiB)");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : Upstream.REQUEST_HEADERS) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) headers.put(h, v);
        }
        Upstream.Answer a;
        try {
            a = upstream.send(method, pathAndQuery, headers, body);
        } catch (Upstream.Unreachable e) {
            return unreachable(e);
        }
        Matcher c = CHECKIN.matcher(pathAndQuery);
        if (method.equals("POST") && c.matches() && a.status() == 200) rememberCheckinToken(c.group(1), a.body());
        return Reply.bytes(a.status(), a.headers(), a.body());
    }

    private void rememberCheckinToken(String deviceId, byte[] answer) {
        try {
            if (Json.parse(answer, "check-in answer") instanceof JsonObject o && o.get("token") instanceof JsonValue.JsonString t) {
                tokens.put(deviceId, sha256("Bearer " + t.value()));
            }
        } catch (TufException e) {
            // Not the gateway's business to judge the server's answer; the device reads it.
        }
    }

    // ---- image repository ----

    private Reply imageMetadata(String name) throws IOException {
        if (!FILE_NAME.matcher(name).matches()) return error(404, "gateway.not-found", "no such metadata file");
        Path local = imageMetadataDir.resolve(name);
        // Versioned names never change. timestamp.json is always asked for while the cloud answers: a stale one
        // would hide a release the director already orders, and the device would refuse the order as an attack.
        if (VERSIONED.matcher(name).matches() && Files.isRegularFile(local)) return Reply.file(local, "application/json");
        Upstream.Answer a;
        try {
            a = upstream.send("GET", "/metadata/" + name, Map.of(), new byte[0]);
        } catch (Upstream.Unreachable e) {
            if (Files.isRegularFile(local)) return Reply.file(local, "application/json");
            if (ROOT.matcher(name).matches()) return error(404, "metadata.not-found", "no newer root is known here");
            return unreachable(e);
        }
        if (a.status() == 200) MetadataStore.writeAtomically(local, a.body());
        return Reply.bytes(a.status(), a.headers(), a.body());
    }

    private Reply target(String rawName) throws IOException {
        Optional<TargetName> parsed = TargetName.parse(rawName);
        if (parsed.isEmpty()) return error(404, "target.not-found", "no such target");
        TargetName name = parsed.get();
        staged.sweep();
        Optional<Reply> held = held(name);
        if (held.isPresent()) return held.get();
        synchronized (fetching) {
            held = held(name);
            if (held.isPresent()) return held.get();
            return fetchVerified(name);
        }
    }

    /** The image from the cache, else from the copy staged for an earlier answer (an image too big for the cache). */
    private Optional<Reply> held(TargetName name) throws IOException {
        Optional<String> hash = name.sha256().or(() -> Optional.ofNullable(pathHashes.get(name.path())));
        if (hash.isEmpty()) return Optional.empty();
        return held(name, hash.get());
    }

    private Optional<Reply> held(TargetName name, String sha256) throws IOException {
        Optional<Path> cached = cache.get(sha256);
        if (cached.isPresent()) return Optional.of(Reply.image(cached.get(), sha256));
        Optional<StagedImages.Lease> lease = staged.hold(sha256);
        if (lease.isEmpty()) return Optional.empty();
        log.println("ota-gateway: " + name.path() + " sent from the copy staged for an earlier answer, not fetched again");
        return Optional.of(Reply.image(lease.get(), sha256));
    }

    /**
     * Fetches an image once, verified by the gateway's own TUF client against the image repository's signed targets.
     * A fetch the cloud's connection cut keeps what arrived in {@code partial/}; the next one asks only for the rest.
     */
    private Reply fetchVerified(TargetName name) throws IOException {
        Updater updater = new Updater(URI.create(upstream.base() + "/metadata/"), trustedImageDir,
                new UrlConnectionFetcher(config.requestTimeout(), config.downloadTimeout()), clock,
                UpdaterConfig.defaults().withResumeDownloads(true));
        TargetFile listed;
        try {
            updater.refresh();
            listed = updater.findTarget(name.path());
        } catch (TargetNotFoundException e) {
            return error(404, "target.not-found", "the image repository does not list " + name.path());
        } catch (RepositoryException e) {
            log.println("ota-gateway: image repository metadata rejected: " + e.getMessage());
            return error(502, "gateway.upstream-rejected", "the image repository's metadata failed verification at the gateway");
        } catch (DownloadException e) {
            return unreachable(new Upstream.Unreachable(e.getMessage()));
        }
        String sha256 = listed.hashes().get("sha256");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            return error(404, "target.not-found", "the image repository lists no sha256 for " + name.path());
        }
        if (name.sha256().isPresent() && !name.sha256().get().equals(sha256)) {
            return error(404, "target.not-found", "the image repository lists other bytes under " + name.path());
        }
        pathHashes.put(name.path(), sha256);
        Optional<Reply> held = held(name, sha256);
        if (held.isPresent()) return held.get();
        String keep = Updater.partialName(listed);
        dropStrayPartials(Optional.of(keep));
        Path verified;
        try {
            // Bytes that fail verification (RepositoryException) and a 416 (the kept bytes are not the cloud's) are
            // deleted by tuf-core; a cut connection keeps what arrived for the next fetch.
            verified = updater.downloadTarget(name.path(), listed, URI.create(upstream.base() + "/targets/"), partialDir);
        } catch (RepositoryException e) {
            log.println("ota-gateway: " + name.path() + " refused: " + e.getMessage());
            return error(502, "gateway.upstream-rejected", "the image the server sent failed verification at the gateway");
        } catch (HttpStatusException e) {
            if (e.isNotFound()) return error(404, "target.not-found", "the server has no bytes for " + name.path());
            return unreachable(new Upstream.Unreachable(e.getMessage()));
        } catch (DownloadException e) {
            log.println("ota-gateway: " + name.path() + " cut off after " + kept(keep) + " of " + listed.length()
                    + " bytes, kept for the next fetch to resume");
            return unreachable(new Upstream.Unreachable(e.getMessage()));
        }
        if (cache.admit(sha256, verified, pinned())) {
            log.println("ota-gateway: " + name.path() + " fetched once, verified and cached (" + listed.length() + " bytes); " + cache);
            return Reply.image(cache.get(sha256).orElseThrow(), sha256);
        }
        // Out of partial/ at once: dropStrayPartials (the next fetch) must not delete what this answer sends.
        StagedImages.Lease lease = staged.stage(sha256, verified);
        log.println("ota-gateway: " + name.path() + " verified but not cached: the images devices still need fill the cache; " + cache
                + "; staged, kept " + config.stagedKeep().toSeconds() + " s after its last answer for devices resuming it");
        return Reply.image(lease, sha256);
    }

    private long kept(String partialName) {
        try {
            Path p = partialDir.resolve(partialName);
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Deletes from {@code partial/} everything but the kept bytes of images a device behind the gateway (or the
     * gateway itself) is ordered to run, and {@code fetching}: a cut fetch of an image nobody needs any more would
     * otherwise stay forever. Runs at start-up and inside the one image fetch at a time, so it never races a fetch.
     */
    private void dropStrayPartials(Optional<String> fetching) throws IOException {
        Set<String> keep = new HashSet<>();
        fetching.ifPresent(keep::add);
        for (String sha256 : pinned()) {
            keep.add(Updater.partialName(new TargetFile(0, Map.of("sha256", sha256), Optional.empty(), Map.of())));
        }
        List<Path> stray;
        try (Stream<Path> s = Files.list(partialDir)) {
            stray = s.filter(p -> !keep.contains(p.getFileName().toString())).toList();
        }
        for (Path p : stray) {
            if (Files.isDirectory(p)) {
                clean(p);
            } else if (p.getFileName().toString().startsWith(Updater.PARTIAL_PREFIX)) {
                log.println("ota-gateway: kept bytes " + p.getFileName() + " dropped: no device is ordered to run that image");
            }
            Files.deleteIfExists(p);
        }
    }

    // ---- ranges ----

    /**
     * A whole 200 answer of {@code /metadata/*} or {@code /targets/*} as the server gives it to a device resuming a
     * download: the one range the request asks for ({@link ByteRange}, RFC 9110), 416 past the end, the whole file
     * otherwise; always with {@code Accept-Ranges} and a strong {@code ETag}, which {@code If-Range} must name.
     */
    private Reply ranged(HttpExchange ex, Reply whole) throws IOException {
        try {
            return rangeOf(ex, whole);
        } catch (IOException | RuntimeException e) {
            whole.release();
            throw e;
        }
    }

    private Reply rangeOf(HttpExchange ex, Reply whole) throws IOException {
        if (whole.status() != 200) return whole;
        // A metadata file (small, and replaced atomically when a newer copy arrives) is read once, so its tag is the
        // hash of exactly the bytes sent; an image's tag is the hash it is cached under.
        Reply r = whole.etag() == null && whole.file() != null
                ? new Reply(200, whole.headers(), Files.readAllBytes(whole.file()), null, null, null, null) : whole;
        long length = r.length();
        String etag = r.etag() != null ? r.etag() : quoted(sha256(r.body()));
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        headers.put("ETag", etag);
        headers.put("Accept-Ranges", "bytes");
        ByteRange range = ByteRange.of(ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().getFirst("If-Range"), etag, length);
        if (range instanceof ByteRange.Unsatisfiable) {
            r.release();
            return Reply.bytes(416, Map.of("Content-Type", "application/json", "Content-Range", "bytes */" + length,
                    "Accept-Ranges", "bytes", "ETag", etag), errorJson("http.416",
                    "the range asked for starts at or past the end of the file (" + length + " bytes)"));
        }
        if (range instanceof ByteRange.Part part) {
            headers.put("Content-Range", part.contentRange(length));
            return new Reply(206, headers, r.body(), r.file(), r.staged(), etag, part);
        }
        return new Reply(200, headers, r.body(), r.file(), r.staged(), etag, null);
    }

    // ---- director ----

    private Reply directorRoot(String name) throws IOException {
        if (!ROOT.matcher(name).matches()) return error(404, "gateway.not-found", "no such director root");
        Path local = directorRootDir.resolve(name);
        if (Files.isRegularFile(local)) return Reply.file(local, "application/json");
        Upstream.Answer a;
        try {
            a = upstream.send("GET", "/director/root/" + name, Map.of(), new byte[0]);
        } catch (Upstream.Unreachable e) {
            return unreachable(e);
        }
        if (a.status() == 200) MetadataStore.writeAtomically(local, a.body());
        return Reply.bytes(a.status(), a.headers(), a.body());
    }

    private Reply director(String deviceId, String name, Optional<String> authorization) throws IOException {
        if (!DEVICE_ID.matcher(deviceId).matches() || !FILE_NAME.matcher(name).matches()) {
            return error(404, "gateway.not-found", "no such director metadata");
        }
        Path local = directorDir.resolve(deviceId).resolve(name);
        Upstream.Answer a;
        try {
            a = upstream.send("GET", "/director/" + deviceId + "/metadata/" + name,
                    authorization.map(v -> Map.of("Authorization", v)).orElse(Map.of()), new byte[0]);
        } catch (Upstream.Unreachable e) {
            // The device's own token, as the cloud last accepted it: the copy is this device's, and it verifies it again.
            if (authorization.isPresent() && sha256(authorization.get()).equals(tokens.get(deviceId)) && Files.isRegularFile(local)) {
                return Reply.file(local, "application/json");
            }
            return unreachable(e);
        }
        if (a.status() == 200) {
            Files.createDirectories(local.getParent());
            MetadataStore.writeAtomically(local, a.body());
            authorization.ifPresent(v -> tokens.put(deviceId, sha256(v)));
            Matcher t = DIRECTOR_TARGETS.matcher(name);
            if (t.matches()) pin(deviceId, Long.parseLong(t.group(1)), a.body());
        }
        return Reply.bytes(a.status(), a.headers(), a.body());
    }

    /**
     * Records which images a device's director targets order (read, not trusted: it only decides what the cache
     * keeps). An older version never replaces a newer one.
     */
    private void pin(String deviceId, long version, byte[] targets) {
        Optional<Set<String>> ordered = ordered(targets);
        if (ordered.isEmpty()) return;
        pins.merge(deviceId, new Pins(version, ordered.get()), (old, now) -> now.version() >= old.version() ? now : old);
        cache.needed(ordered.get());
    }

    static Optional<Set<String>> ordered(byte[] targets) {
        try {
            if (!(Json.parse(targets, "director targets") instanceof JsonObject o) || !(o.get("signed") instanceof JsonObject signed)
                    || !(signed.get("targets") instanceof JsonObject listed)) {
                return Optional.empty();
            }
            Set<String> out = new HashSet<>();
            listed.members().forEach((path, t) -> {
                if (path.startsWith(CONFIG_TARGETS)) return;
                if (t instanceof JsonObject file && file.get("hashes") instanceof JsonObject hashes
                        && hashes.get("sha256") instanceof JsonValue.JsonString h) {
                    out.add(h.value());
                }
            });
            return Optional.of(Set.copyOf(out));
        } catch (TufException e) {
            return Optional.empty();
        }
    }

    /** After a restart: each device's newest director targets in the cache say what it still needs. */
    private void restorePins() throws IOException {
        try (Stream<Path> devices = Files.list(directorDir)) {
            for (Path device : devices.filter(Files::isDirectory).toList()) {
                Path newest = null;
                long version = -1;
                try (Stream<Path> files = Files.list(device)) {
                    for (Path f : files.toList()) {
                        Matcher m = DIRECTOR_TARGETS.matcher(f.getFileName().toString());
                        if (m.matches() && Long.parseLong(m.group(1)) > version) {
                            version = Long.parseLong(m.group(1));
                            newest = f;
                        }
                    }
                }
                if (newest != null) pin(device.getFileName().toString(), version, Files.readAllBytes(newest));
            }
        }
    }

    // ---- answers ----

    private Reply unreachable(Upstream.Unreachable e) {
        long after = config.retryAfter().toSeconds();
        log.println("ota-gateway: cloud unreachable (" + e.getMessage() + "); devices told to come back after " + after + " s");
        return Reply.bytes(503, Map.of("Retry-After", String.valueOf(after), "Content-Type", "application/json"),
                errorJson("gateway.cloud-unreachable", "the gateway cannot reach the server now; try again after " + after + " seconds"));
    }

    private static Reply error(int status, String code, String message) {
        return Reply.bytes(status, Map.of("Content-Type", "application/json"), errorJson(code, message));
    }

    private static byte[] errorJson(String code, String message) {
        return dev.ota.tuf.json.CanonicalJson.encode(JsonValue.obj("code", JsonValue.of(code), "message", JsonValue.of(message)));
    }

    private static void send(HttpExchange ex, Reply r) throws IOException {
        try {
            r.headers().forEach((n, v) -> ex.getResponseHeaders().set(n, v));
            if (r.file() != null) {
                long first = r.part() == null ? 0 : r.part().first();
                long length = r.part() == null ? Files.size(r.file()) : r.part().length();
                ex.sendResponseHeaders(r.status(), length == 0 ? -1 : length);
                if (length > 0) {
                    try (OutputStream out = ex.getResponseBody(); FileChannel in = FileChannel.open(r.file(), StandardOpenOption.READ)) {
                        in.position(first);
                        copy(Channels.newInputStream(in), out, length);
                    }
                }
                return;
            }
            boolean empty = r.body().length == 0 || r.status() == 304 || r.status() == 204;
            int from = r.part() == null ? 0 : (int) r.part().first();
            int length = r.part() == null ? r.body().length : (int) r.part().length();
            ex.sendResponseHeaders(r.status(), empty ? -1 : length);
            if (!empty) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body(), from, length);
                }
            }
        } finally {
            r.release();
        }
    }

    /** Exactly {@code length} bytes of {@code in} to {@code out}. */
    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new IOException("the file ended " + left + " bytes early");
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void clean(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) Files.deleteIfExists(p);
            }
        }
    }

    private static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quoted(String sha256) {
        return '"' + sha256 + '"';
    }
}
