package dev.ota.tuf.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ota.tuf.DownloadException;
import dev.ota.tuf.client.Fetcher;
import dev.ota.tuf.client.HttpStatusException;
import dev.ota.tuf.client.UrlEncoding;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.DelegatedRole;
import dev.ota.tuf.metadata.Delegations;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * A TUF repository for tests: it holds the roles' content and signing keys, publishes signed bytes into an
 * in-memory file map, and serves that map either as a {@link Fetcher} (in-process, fast) or over HTTP on
 * {@code 127.0.0.1} ({@link #startHttp()}). Every request path is recorded in order.
 * <p>
 * Layout: metadata under {@code metadata/}, published under both the consistent-snapshot name
 * ({@code V.ROLE.json}, role names URL-encoded) and the unversioned name ({@code ROLE.json}; timestamp only
 * unversioned); targets under {@code targets/} as {@code DIR/HASH.NAME} for every listed hash and as
 * {@code PATH}.
 * <p>
 * An honest repository is built with {@link #addTarget}, {@link #delegate}, {@link #rotateKeys} and the
 * {@code publish*} methods, which bump versions as a real repository does (a parent always lists the version,
 * length and hashes of the bytes served for its children). A hostile one is built on top: a {@link JsonEdit}
 * applied before signing ({@link #publishSnapshot(JsonEdit)}, {@link #modifyAndResign}), an old version replayed
 * ({@link #replay}), bytes served as they are ({@link #serve}, {@link #tamper}), an HTTP status, a file that
 * never ends or that trickles.
 * <p>
 * Expiry defaults to 30 days (root: a year) after {@link #now()}, the reference time tests give the client.
 * Not thread-safe for building; serving is safe while the test does not change the repository.
 */
public final class RepositorySimulator implements Fetcher, AutoCloseable {
    public static final String ROOT = Root.TYPE;
    public static final String TIMESTAMP = Timestamp.TYPE;
    public static final String SNAPSHOT = Snapshot.TYPE;
    public static final String TARGETS = Targets.TYPE;
    /** The specification version the simulator writes. */
    public static final String SPEC_VERSION = "1.0.31";

    private static final URI IN_MEMORY = URI.create("http://repository.invalid/");
    private static final String METADATA_DIR = "metadata/";
    private static final String TARGETS_DIR = "targets/";

    private final Instant now;
    private boolean consistentSnapshot = true;
    private boolean metaHashesAndLengths = true;
    private List<String> targetHashAlgorithms = List.of("sha256");
    private final Map<String, Key> rootKeys = new LinkedHashMap<>();
    private final Map<String, Role> rootRoles = new LinkedHashMap<>();
    private final Map<Long, List<SigningKey>> rootSignersByVersion = new TreeMap<>();
    private final Map<String, List<SigningKey>> signers = new LinkedHashMap<>();
    private final Map<String, Map<String, TargetFile>> targetLists = new LinkedHashMap<>();
    private final Map<String, DelegationsDraft> delegations = new LinkedHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final Map<String, Instant> expiries = new LinkedHashMap<>();
    private final Map<String, Long> versions = new LinkedHashMap<>();
    private final Map<String, TreeMap<Long, byte[]>> history = new LinkedHashMap<>();

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Set<String> endless = ConcurrentHashMap.newKeySet();
    private final Map<String, Duration> trickled = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private HttpServer server;
    private ExecutorService serverThreads;
    private URI base = IN_MEMORY;

    /** One request as the repository saw it; {@code maxLength} is the client's cap (-1 when served over HTTP). */
    public record Request(String path, long maxLength) {
    }

    private static final class DelegationsDraft {
        final Map<String, Key> keys = new LinkedHashMap<>();
        final List<DelegatedRole> roles = new ArrayList<>();
        SuccinctRoles succinct;

        Delegations toRecord() {
            return new Delegations(keys, succinct == null ? Optional.of(roles) : Optional.empty(),
                    Optional.ofNullable(succinct), Map.of());
        }
    }

    private RepositorySimulator(Instant now) {
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
        for (String role : Root.TOP_LEVEL_ROLES) {
            SigningKey key = TestKeys.ed25519(role + "-1");
            rootKeys.put(key.keyId(), key.publicKey());
            rootRoles.put(role, new Role(List.of(key.keyId()), 1));
            signers.put(role, List.of(key));
        }
        targetLists.put(TARGETS, new LinkedHashMap<>());
        publishRoot();
        publishTargets(TARGETS);
        publishSnapshot();
        publishTimestamp();
    }

    /**
     * A repository with one ed25519 key per top-level role (threshold 1), consistent snapshots, no targets, every
     * role at version 1, published; expiries relative to the current time (for clients that use the system clock).
     */
    public static RepositorySimulator create() {
        return new RepositorySimulator(Instant.now());
    }

    /** As {@link #create()}, with expiries relative to {@code now}: fully reproducible bytes. */
    public static RepositorySimulator create(Instant now) {
        return new RepositorySimulator(now);
    }

    public Instant now() {
        return now;
    }

    /** A clock fixed at {@link #now()}. */
    public Clock clock() {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    // ---------------------------------------------------------------- repository content

    /** Lists {@code content} as target {@code path} of the top-level targets role (published with {@link #publish()}). */
    public RepositorySimulator addTarget(String path, byte[] content) {
        return addTarget(TARGETS, path, content, Optional.empty());
    }

    public RepositorySimulator addTarget(String role, String path, byte[] content) {
        return addTarget(role, path, content, Optional.empty());
    }

    /** Lists {@code content} as target {@code path} of {@code role}, with {@code custom}, and serves it. */
    public RepositorySimulator addTarget(String role, String path, byte[] content, Optional<JsonValue> custom) {
        Bytes b = Bytes.of(content);
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String alg : targetHashAlgorithms) hashes.put(alg, HexFormat.of().formatHex(b.digestByTufName(alg)));
        return listTarget(role, path, new TargetFile(content.length, hashes, custom, Map.of()), content);
    }

    /**
     * Lists {@code listing} as target {@code path} of {@code role} but serves {@code served} under the names the
     * listing's hashes give: a mirror (or compromised storage) serving bytes other than the ones signed for.
     */
    public RepositorySimulator listTarget(String role, String path, TargetFile listing, byte[] served) {
        Map<String, TargetFile> list = targetLists.get(role);
        if (list == null) throw new IllegalArgumentException("no targets role " + role);
        list.put(path, listing);
        changed.add(role);
        files.put(targetFile(path), served.clone());
        for (String hash : listing.hashes().values()) files.put(targetFile(path, hash), served.clone());
        return this;
    }

    public RepositorySimulator removeTarget(String role, String path) {
        targetLists.get(role).remove(path);
        changed.add(role);
        return this;
    }

    /** Hash algorithms listed for targets added from now on (default {@code sha256}). */
    public RepositorySimulator targetHashAlgorithms(String... algorithms) {
        targetHashAlgorithms = List.of(algorithms);
        return this;
    }

    /** Delegates from {@code delegator} (a targets role) and adds an empty role {@code d.name()}. */
    public RepositorySimulator delegate(String delegator, Delegation d) {
        if (!targetLists.containsKey(delegator)) throw new IllegalArgumentException("no targets role " + delegator);
        DelegationsDraft draft = delegations.computeIfAbsent(delegator, r -> new DelegationsDraft());
        if (draft.succinct != null) throw new IllegalStateException(delegator + " already delegates to hash bins");
        List<String> ids = new ArrayList<>();
        for (SigningKey k : d.keys()) {
            draft.keys.put(k.keyId(), k.publicKey());
            ids.add(k.keyId());
        }
        draft.roles.add(new DelegatedRole(d.name(), ids, d.threshold(), d.isTerminating(), d.paths(), d.pathHashPrefixes(), Map.of()));
        targetLists.putIfAbsent(d.name(), new LinkedHashMap<>());
        signers.put(d.name(), d.keys());
        changed.add(delegator);
        changed.add(d.name());
        return this;
    }

    /**
     * Delegates from {@code delegator} to {@code 2^bitLength} succinct hash bins (TAP 15) named
     * {@code namePrefix-XX}, all signed by one test key; every bin exists, empty.
     */
    public RepositorySimulator delegateToHashBins(String delegator, String namePrefix, int bitLength) {
        DelegationsDraft draft = delegations.computeIfAbsent(delegator, r -> new DelegationsDraft());
        if (!draft.roles.isEmpty()) throw new IllegalStateException(delegator + " already delegates by role list");
        SigningKey key = TestKeys.ed25519("hash bins " + namePrefix);
        draft.keys.put(key.keyId(), key.publicKey());
        draft.succinct = new SuccinctRoles(List.of(key.keyId()), 1, bitLength, namePrefix, Map.of());
        for (String bin : draft.succinct.allBinNames()) {
            targetLists.putIfAbsent(bin, new LinkedHashMap<>());
            signers.put(bin, List.of(key));
            changed.add(bin);
        }
        changed.add(delegator);
        return this;
    }

    /** The hash bin of {@code delegator}'s succinct delegation that is responsible for {@code targetPath}. */
    public String hashBinFor(String delegator, String targetPath) {
        SuccinctRoles s = delegations.get(delegator).succinct;
        if (s == null) throw new IllegalStateException(delegator + " does not delegate to hash bins");
        return s.roleNameFor(targetPath);
    }

    /**
     * Replaces the keys of a top-level role in the next root (threshold unchanged) and signs the role with them
     * from now on; the keys of the previous root still sign the next root, as a real rotation requires.
     */
    public RepositorySimulator rotateKeys(String topLevelRole, SigningKey... newKeys) {
        Role old = topLevel(topLevelRole);
        List<String> ids = Arrays.stream(newKeys).map(SigningKey::keyId).toList();
        rootRoles.put(topLevelRole, new Role(ids, old.threshold()));
        for (SigningKey k : newKeys) rootKeys.put(k.keyId(), k.publicKey());
        rootKeys.keySet().removeIf(id -> rootRoles.values().stream().noneMatch(r -> r.keyIds().contains(id)));
        signers.put(topLevelRole, List.of(newKeys));
        return this;
    }

    /** Adds a key to a top-level role in the next root; it signs the role from now on. */
    public RepositorySimulator addKey(String topLevelRole, SigningKey key) {
        Role old = topLevel(topLevelRole);
        List<String> ids = new ArrayList<>(old.keyIds());
        ids.add(key.keyId());
        rootRoles.put(topLevelRole, new Role(ids, old.threshold()));
        rootKeys.put(key.keyId(), key.publicKey());
        List<SigningKey> s = new ArrayList<>(signers.get(topLevelRole));
        s.add(key);
        signers.put(topLevelRole, s);
        return this;
    }

    /** Sets a top-level role's threshold in the next root. */
    public RepositorySimulator threshold(String topLevelRole, int threshold) {
        Role old = topLevel(topLevelRole);
        rootRoles.put(topLevelRole, new Role(old.keyIds(), threshold));
        return this;
    }

    /** Which keys sign {@code role} from now on (the keys root or the delegator lists stay as they are). */
    public RepositorySimulator signers(String role, SigningKey... keys) {
        if (!signers.containsKey(role)) throw new IllegalArgumentException("no role " + role);
        signers.put(role, List.of(keys));
        return this;
    }

    public RepositorySimulator consistentSnapshot(boolean on) {
        consistentSnapshot = on;
        return this;
    }

    /** Whether timestamp and snapshot list length and sha256 of the files they describe (default: yes). */
    public RepositorySimulator metaHashesAndLengths(boolean on) {
        metaHashesAndLengths = on;
        return this;
    }

    /** Expiry of the versions of {@code role} published from now on. */
    public RepositorySimulator expireAt(String role, Instant expires) {
        expiries.put(role, expires);
        return this;
    }

    // ---------------------------------------------------------------- publishing

    /** Publishes every changed targets role, then snapshot, then timestamp: the order a real repository keeps. */
    public RepositorySimulator publish() {
        for (String role : List.copyOf(changed)) publishTargets(role);
        publishSnapshot();
        publishTimestamp();
        return this;
    }

    /** Root version N+1, signed by the keys of root N and of root N+1. */
    public byte[] publishRoot() {
        return publishRoot(JsonEdit.none());
    }

    public byte[] publishRoot(JsonEdit edit) {
        List<SigningKey> keys = new ArrayList<>(rootSignersByVersion.isEmpty() ? List.of()
                : rootSignersByVersion.get(versions.get(ROOT)));
        for (SigningKey k : signers.get(ROOT)) {
            if (keys.stream().noneMatch(x -> x.keyId().equals(k.keyId()))) keys.add(k);
        }
        return publishRootSignedBy(edit, keys);
    }

    /** Root version N+1 signed by exactly {@code keys}, for chains that break the rotation rule. */
    public byte[] publishRootSignedBy(SigningKey... keys) {
        return publishRootSignedBy(JsonEdit.none(), List.of(keys));
    }

    private byte[] publishRootSignedBy(JsonEdit edit, List<SigningKey> keys) {
        long v = nextVersion(ROOT);
        Root root = new Root(SPEC_VERSION, v, expiry(ROOT, 365), consistentSnapshot, rootKeys, rootRoles, Map.of());
        rootSignersByVersion.put(v, List.copyOf(keys));
        return store(ROOT, v, sign(edit.apply(root.toJson()), keys));
    }

    public byte[] publishTargets(String role) {
        return publishTargets(role, JsonEdit.none());
    }

    /** The next version of a targets role, with {@code edit} applied to its {@code signed} before signing. */
    public byte[] publishTargets(String role, JsonEdit edit) {
        Map<String, TargetFile> list = targetLists.get(role);
        if (list == null) throw new IllegalArgumentException("no targets role " + role);
        long v = nextVersion(role);
        DelegationsDraft d = delegations.get(role);
        Targets t = new Targets(SPEC_VERSION, v, expiry(role, 30), list, d == null ? Optional.empty() : Optional.of(d.toRecord()), Map.of());
        changed.remove(role);
        return store(role, v, sign(edit.apply(t.toJson()), signers.get(role)));
    }

    public byte[] publishSnapshot() {
        return publishSnapshot(JsonEdit.none());
    }

    /** The next snapshot, listing the latest version of every targets role as served now, edited before signing. */
    public byte[] publishSnapshot(JsonEdit edit) {
        Map<String, MetaFile> meta = new LinkedHashMap<>();
        for (String role : targetLists.keySet()) {
            Long v = versions.get(role);
            if (v != null) meta.put(role + ".json", describe(metadataFile(role, v), v));
        }
        long v = nextVersion(SNAPSHOT);
        Snapshot s = new Snapshot(SPEC_VERSION, v, expiry(SNAPSHOT, 30), meta, Map.of());
        return store(SNAPSHOT, v, sign(edit.apply(s.toJson()), signers.get(SNAPSHOT)));
    }

    public byte[] publishTimestamp() {
        return publishTimestamp(JsonEdit.none());
    }

    /** The next timestamp, listing the latest snapshot as served now, edited before signing. */
    public byte[] publishTimestamp(JsonEdit edit) {
        long snapshotVersion = versions.get(SNAPSHOT);
        long v = nextVersion(TIMESTAMP);
        Timestamp t = new Timestamp(SPEC_VERSION, v, expiry(TIMESTAMP, 30),
                describe(metadataFile(SNAPSHOT, snapshotVersion), snapshotVersion), Map.of());
        return store(TIMESTAMP, v, sign(edit.apply(t.toJson()), signers.get(TIMESTAMP)));
    }

    /**
     * Re-signs the latest published version of {@code role} after {@code edit}, with the keys that signed it,
     * and serves the result in its place (same file names). Parents already published keep listing the old
     * bytes; publish them again to have them vouch for the new ones.
     */
    public byte[] modifyAndResign(String role, JsonEdit edit) {
        long v = latestVersion(role);
        JsonObject envelope = (JsonObject) Json.parse(published(role, v), role);
        JsonObject signed = (JsonObject) envelope.get("signed");
        List<SigningKey> keys = ROOT.equals(role) ? rootSignersByVersion.get(v) : signers.get(role);
        byte[] bytes = sign(edit.apply(signed), keys);
        for (String name : namesOf(role, v)) files.put(name, bytes.clone());
        return bytes;
    }

    /** Serves the published version {@code oldVersion} of {@code role} under the names of its latest version. */
    public RepositorySimulator replay(String role, long oldVersion) {
        byte[] old = published(role, oldVersion);
        for (String name : namesOf(role, latestVersion(role))) files.put(name, old.clone());
        return this;
    }

    private long nextVersion(String role) {
        long v = versions.getOrDefault(role, 0L) + 1;
        versions.put(role, v);
        return v;
    }

    private Instant expiry(String role, int defaultDays) {
        return expiries.getOrDefault(role, now.plus(defaultDays, ChronoUnit.DAYS));
    }

    private MetaFile describe(String servedName, long version) {
        byte[] served = files.get(servedName);
        if (!metaHashesAndLengths || served == null) return new MetaFile(version);
        return new MetaFile(version, OptionalLong.of(served.length), Map.of("sha256", Bytes.of(served).sha256Hex()), Map.of());
    }

    private byte[] store(String role, long version, byte[] bytes) {
        history.computeIfAbsent(role, r -> new TreeMap<>()).put(version, bytes.clone());
        for (String name : namesOf(role, version)) files.put(name, bytes.clone());
        return bytes.clone();
    }

    private List<String> namesOf(String role, long version) {
        if (TIMESTAMP.equals(role)) return List.of(metadataFile(TIMESTAMP));
        return List.of(metadataFile(role, version), metadataFile(role));
    }

    /**
     * The envelope of {@code signed} with one signature per key over its canonical bytes; served as canonical JSON
     * with control characters escaped (PEM keys hold newlines), which any JSON parser reads.
     */
    public static byte[] sign(JsonObject signed, List<SigningKey> keys) {
        byte[] canonical = CanonicalJson.encode(signed);
        List<JsonValue> sigs = new ArrayList<>();
        for (SigningKey k : keys) sigs.add(k.sign(canonical).toJson());
        return CanonicalJson.toParsableJson(CanonicalJson.encode(JsonValue.obj("signatures", JsonValue.arr(sigs), "signed", signed)));
    }

    private Role topLevel(String role) {
        Role r = rootRoles.get(role);
        if (r == null) throw new IllegalArgumentException("not a top-level role: " + role);
        return r;
    }

    // ---------------------------------------------------------------- what is published

    /** The bytes published as version {@code version} of {@code role} (edits by modifyAndResign not included). */
    public byte[] published(String role, long version) {
        TreeMap<Long, byte[]> h = history.get(role);
        byte[] b = h == null ? null : h.get(version);
        if (b == null) throw new IllegalArgumentException(role + " version " + version + " was never published");
        return b.clone();
    }

    public long latestVersion(String role) {
        Long v = versions.get(role);
        if (v == null) throw new IllegalArgumentException(role + " was never published");
        return v;
    }

    /** Root version 1: what a device ships with. */
    public byte[] initialRoot() {
        return published(ROOT, 1);
    }

    /** The bytes served at {@code path}, or null. */
    public byte[] served(String path) {
        byte[] b = files.get(path);
        return b == null ? null : b.clone();
    }

    /** Every path served, for tests that compare a client's folder with the repository. */
    public Set<String> servedPaths() {
        return Set.copyOf(files.keySet());
    }

    /** Path of a metadata file, e.g. {@code metadata/3.snapshot.json}; role names URL-encoded. */
    public static String metadataFile(String role, long version) {
        return METADATA_DIR + version + "." + UrlEncoding.encode(role) + ".json";
    }

    /** Path of the unversioned metadata file, e.g. {@code metadata/timestamp.json}. */
    public static String metadataFile(String role) {
        return METADATA_DIR + UrlEncoding.encode(role) + ".json";
    }

    /** Path under which target {@code targetPath} is served without a hash prefix. */
    public static String targetFile(String targetPath) {
        return TARGETS_DIR + UrlEncoding.encodePath(targetPath);
    }

    /** Path under which target {@code targetPath} is served with consistent snapshots: {@code DIR/HASH.NAME}. */
    public static String targetFile(String targetPath, String hash) {
        int slash = targetPath.lastIndexOf('/');
        return TARGETS_DIR + UrlEncoding.encodePath(targetPath.substring(0, slash + 1) + hash + "." + targetPath.substring(slash + 1));
    }

    // ---------------------------------------------------------------- hostile serving

    /** Serves {@code bytes} at {@code path} as they are. */
    public RepositorySimulator serve(String path, byte[] bytes) {
        files.put(path, bytes.clone());
        statuses.remove(path);
        endless.remove(path);
        return this;
    }

    /** Serves what {@code change} makes of the bytes now served at {@code path}, without re-signing anything. */
    public RepositorySimulator tamper(String path, UnaryOperator<byte[]> change) {
        byte[] now = files.get(path);
        if (now == null) throw new IllegalArgumentException("nothing served at " + path);
        return serve(path, change.apply(now.clone()));
    }

    /** Applies {@code edit} to the whole envelope served at {@code path} (signatures included), without re-signing. */
    public RepositorySimulator editEnvelope(String path, JsonEdit edit) {
        return tamper(path, b -> CanonicalJson.toParsableJson(CanonicalJson.encode(edit.apply((JsonObject) Json.parse(b, path)))));
    }

    /** Stops serving {@code path} (404). */
    public RepositorySimulator remove(String path) {
        files.remove(path);
        return this;
    }

    /** Answers requests for {@code path} with {@code status} and no body. */
    public RepositorySimulator respondWith(String path, int status) {
        statuses.put(path, status);
        return this;
    }

    /** Serves {@code path} as a stream that never ends (endless data attack). */
    public RepositorySimulator serveEndless(String path) {
        endless.add(path);
        return this;
    }

    /** Over HTTP, sends the file at {@code path} one byte per {@code delay} (slow retrieval attack). */
    public RepositorySimulator trickle(String path, Duration delay) {
        trickled.put(path, delay);
        return this;
    }

    // ---------------------------------------------------------------- serving and recording

    /** Base URL of the metadata: HTTP once {@link #startHttp()} ran, else an in-memory URL for {@link #fetch}. */
    public URI metadataUrl() {
        return base.resolve(METADATA_DIR);
    }

    public URI targetsUrl() {
        return base.resolve(TARGETS_DIR);
    }

    /** Every request so far, in order, as paths relative to the server root ({@code metadata/2.root.json}). */
    public List<String> requestedPaths() {
        return requests.stream().map(Request::path).toList();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public RepositorySimulator clearRequests() {
        requests.clear();
        return this;
    }

    /** In-memory fetch: one recorded request, the same statuses and caps as over HTTP. */
    @Override
    public byte[] fetch(URI url, long maxLength) {
        String path = url.getRawPath().substring(1);
        requests.add(new Request(path, maxLength));
        Integer status = statuses.get(path);
        if (status != null) throw new HttpStatusException(url.toString(), status);
        if (endless.contains(path)) {
            throw new DownloadException(url.toString(), "exceeds the length limit of " + maxLength + " bytes");
        }
        byte[] data = files.get(path);
        if (data == null) throw new HttpStatusException(url.toString(), 404);
        if (data.length > maxLength) {
            throw new DownloadException(url.toString(), "exceeds the length limit of " + maxLength + " bytes");
        }
        return data.clone();
    }

    /** Serves the file map over HTTP on an ephemeral loopback port; {@link #metadataUrl()} then points there. */
    public synchronized URI startHttp() {
        if (server != null) return base;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        serverThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "repository-simulator-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(serverThreads);
        server.createContext("/", this::handle);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return base;
    }

    private void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getRawPath().substring(1);
            requests.add(new Request(path, -1));
            Integer status = statuses.get(path);
            byte[] data = files.get(path);
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
            } else if (status != null) {
                ex.sendResponseHeaders(status, -1);
            } else if (endless.contains(path)) {
                ex.sendResponseHeaders(200, 0);
                sendEndless(ex.getResponseBody());
            } else if (data == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, data.length);
                Duration delay = trickled.get(path);
                OutputStream out = ex.getResponseBody();
                if (delay == null) {
                    out.write(data);
                } else {
                    for (byte b : data) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(delay.toMillis());
                    }
                }
                out.close();
            }
        } catch (IOException e) {
            // The client hung up (as it must on endless or trickled data): nothing left to serve.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    /** Until the client hangs up, or 1 GiB as a backstop against a client that never does. */
    private static void sendEndless(OutputStream out) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        for (long sent = 0; sent < (1L << 30); sent += chunk.length) out.write(chunk);
        out.close();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
            server = null;
            base = IN_MEMORY;
        }
    }

    @Override
    public String toString() {
        return "RepositorySimulator[" + base + ", versions " + versions + "]";
    }
}
