package dev.ota.tuf.trust;

import dev.ota.tuf.ExpiredMetadataException;
import dev.ota.tuf.MixAndMatchException;
import dev.ota.tuf.TufException;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonBoolean;
import dev.ota.tuf.json.JsonValue.JsonNumber;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.RepositorySimulator;
import dev.ota.tuf.testing.TestKeys;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static dev.ota.tuf.testing.RepositorySimulator.ROOT;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random mutations of valid signed metadata fed to the trusted metadata set, with a fixed seed: byte flips,
 * truncation and insertion, and edits of the JSON tree (members removed, swapped, renamed, added; values replaced
 * by huge, negative or zero numbers, wrong types, odd strings), either re-signed with the right keys (so the
 * semantic checks behind the signature check are reached) or left unsigned (so parsing and signature checks are).
 * Only {@link TufException}s may escape, and after a rejection the set's trusted state must be what it was, the
 * one documented exception being a timestamp or snapshot kept as intermediate (see {@link TrustedMetadataSet}).
 * A failure names the case, the mutation and the bytes, so it can be replayed.
 */
class TrustedMetadataSetFuzzTest {
    static final long SEED = 0x5EED_7075_6620_01L;
    static final int CASES = 12_000;
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");

    /** What the mutated bytes are fed as, in workflow order. */
    enum Stage { TRUSTED_ROOT, ROOT, TIMESTAMP, SNAPSHOT, SNAPSHOT_FROM_LOCAL_STORE, TARGETS, DELEGATED, HASH_BIN }

    record Document(byte[] valid, List<SigningKey> keys) {
    }

    record Mutation(byte[] bytes, String description) {
    }

    /** The trusted state a rejection must not move: every slot of the set, by value. */
    record State(Signed<?> root, Optional<?> timestamp, Optional<?> snapshot, Map<String, Optional<Signed<Targets>>> targets) {
        static State of(TrustedMetadataSet set, List<String> roles) {
            Map<String, Optional<Signed<Targets>>> t = new TreeMap<>();
            for (String r : roles) t.put(r, set.targets(r));
            return new State(set.root(), set.timestamp(), set.snapshot(), t);
        }
    }

    private final RepositorySimulator repo = RepositorySimulator.create(T0);
    private final String bin;
    private final Map<Stage, Document> documents = new EnumMap<>(Stage.class);
    private final List<String> targetsRoles;

    TrustedMetadataSetFuzzTest() {
        // Parents list versions only: with hashes listed, nearly every mutation would stop at the hash check and
        // never reach parsing or the rules behind it (hash checks have their own tests).
        repo.metaHashesAndLengths(false);
        repo.delegate(TARGETS, Delegation.forPaths("apps", "apps/*", "apps/*/*"))
                .delegate(TARGETS, Delegation.forHashPrefixes("fleet", "0", "8", "f"))
                .delegateToHashBins("apps", "bin", 2)
                .addTarget(TARGETS, "fw/base.bin", "base".getBytes(StandardCharsets.UTF_8),
                        Optional.of(JsonValue.obj("hardwareIds", JsonValue.arr(List.of(JsonValue.of("lock-v2"))))));
        bin = repo.hashBinFor("apps", "apps/x/y.bin");
        repo.addTarget(bin, "apps/x/y.bin", "y".getBytes(StandardCharsets.UTF_8)).publish();
        repo.addKey(TIMESTAMP, TestKeys.ed25519("timestamp-2"));
        repo.publishRoot();
        repo.addTarget(TARGETS, "fw/next.bin", "next".getBytes(StandardCharsets.UTF_8))
                .addTarget("apps", "apps/z.bin", "z".getBytes(StandardCharsets.UTF_8)).publish();
        targetsRoles = List.of(TARGETS, "apps", "fleet", bin);
        documents.put(Stage.TRUSTED_ROOT, new Document(repo.published(ROOT, 1), keys(ROOT)));
        documents.put(Stage.ROOT, new Document(repo.published(ROOT, 2), keys(ROOT)));
        documents.put(Stage.TIMESTAMP, new Document(latest(TIMESTAMP), keys(TIMESTAMP)));
        documents.put(Stage.SNAPSHOT, new Document(latest(SNAPSHOT), keys(SNAPSHOT)));
        documents.put(Stage.SNAPSHOT_FROM_LOCAL_STORE, documents.get(Stage.SNAPSHOT));
        documents.put(Stage.TARGETS, new Document(latest(TARGETS), keys(TARGETS)));
        documents.put(Stage.DELEGATED, new Document(latest("apps"), List.of(TestKeys.ed25519("delegated role apps"))));
        documents.put(Stage.HASH_BIN, new Document(latest(bin), List.of(TestKeys.ed25519("hash bins bin"))));
    }

    private byte[] latest(String role) {
        return repo.published(role, repo.latestVersion(role));
    }

    private static List<SigningKey> keys(String role) {
        return TIMESTAMP.equals(role)
                ? List.of(TestKeys.ed25519("timestamp-1"), TestKeys.ed25519("timestamp-2"))
                : List.of(TestKeys.ed25519(role + "-1"));
    }

    /** A set loaded up to just before {@code stage}, with older trusted versions where rollback checks apply. */
    private TrustedMetadataSet preparedFor(Stage stage) {
        TrustedMetadataSet set = new TrustedMetadataSet(repo.published(ROOT, 1), T0);
        if (stage == Stage.ROOT) return set;
        set.updateRoot(repo.published(ROOT, 2));
        set.updateTimestamp(repo.published(TIMESTAMP, repo.latestVersion(TIMESTAMP) - 1));
        if (stage == Stage.TIMESTAMP) return set;
        set.updateTimestamp(latest(TIMESTAMP));
        if (stage == Stage.SNAPSHOT || stage == Stage.SNAPSHOT_FROM_LOCAL_STORE) {
            // The device's previous snapshot, loaded from its store: not final any more, kept for rollback checks.
            try {
                set.updateSnapshot(repo.published(SNAPSHOT, repo.latestVersion(SNAPSHOT) - 1), true);
                throw new AssertionError("previous snapshot should be intermediate only");
            } catch (MixAndMatchException expected) {
                return set;
            }
        }
        set.updateSnapshot(latest(SNAPSHOT), false);
        if (stage == Stage.TARGETS) return set;
        set.updateTargets(latest(TARGETS));
        if (stage == Stage.DELEGATED) return set;
        set.updateDelegatedTargets(latest("apps"), "apps", TARGETS);
        return set;
    }

    private TrustedMetadataSet feed(Stage stage, TrustedMetadataSet set, byte[] bytes) {
        switch (stage) {
            case TRUSTED_ROOT -> {
                return new TrustedMetadataSet(bytes, T0);
            }
            case ROOT -> set.updateRoot(bytes);
            case TIMESTAMP -> set.updateTimestamp(bytes);
            case SNAPSHOT -> set.updateSnapshot(bytes, false);
            case SNAPSHOT_FROM_LOCAL_STORE -> set.updateSnapshot(bytes, true);
            case TARGETS -> set.updateTargets(bytes);
            case DELEGATED -> set.updateDelegatedTargets(bytes, "apps", TARGETS);
            case HASH_BIN -> set.updateDelegatedTargets(bytes, bin, "apps");
        }
        return set;
    }

    @Test
    void letsOnlyTypedErrorsEscapeAndKeepsTheTrustedStateOnEveryRejection() {
        Random random = new Random(SEED);
        Mutator mutator = new Mutator(random);
        Map<Stage, TrustedMetadataSet> prepared = new EnumMap<>(Stage.class);
        Map<String, Integer> outcomes = new TreeMap<>();
        Stage[] stages = Stage.values();
        for (int i = 0; i < CASES; i++) {
            Stage stage = stages[random.nextInt(stages.length)];
            Document doc = documents.get(stage);
            Mutation m = mutator.mutate(doc);
            TrustedMetadataSet set = stage == Stage.TRUSTED_ROOT ? null : prepared.computeIfAbsent(stage, this::preparedFor);
            State before = set == null ? null : State.of(set, targetsRoles);
            String outcome;
            try {
                feed(stage, set, m.bytes());
                outcome = "accepted";
                prepared.remove(stage);
            } catch (TufException e) {
                outcome = e.getClass().getSimpleName();
                if (set != null && !before.equals(State.of(set, targetsRoles))) {
                    if (!keptAsIntermediate(stage, e)) {
                        fail(report(i, stage, m, "trusted state changed although the bytes were rejected with " + e), e);
                    }
                    prepared.remove(stage);
                }
            } catch (Throwable t) {
                fail(report(i, stage, m, "escaped as " + t), t);
                return;
            }
            outcomes.merge(stage + " " + outcome, 1, Integer::sum);
        }
        int rejected = outcomes.entrySet().stream().filter(e -> !e.getKey().endsWith("accepted")).mapToInt(Map.Entry::getValue).sum();
        assertTrue(rejected > CASES / 2, "most mutations must be rejected: " + outcomes);
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.endsWith("RollbackAttackException")), "rollback checks reached: " + outcomes);
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.endsWith("ThresholdNotMetException")), outcomes.toString());
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.endsWith("MalformedMetadataException")), outcomes.toString());
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.endsWith("MixAndMatchException")), outcomes.toString());
    }

    /** The harness itself: every unmutated document is accepted where it is fed, so rejections come from mutations. */
    @Test
    void acceptsEveryUnmutatedDocument() {
        for (Stage stage : Stage.values()) {
            TrustedMetadataSet set = stage == Stage.TRUSTED_ROOT ? null : preparedFor(stage);
            assertDoesNotThrow(() -> feed(stage, set, documents.get(stage).valid()), stage.toString());
        }
    }

    /**
     * The one documented case in which a rejection changes the set: a validly signed timestamp or snapshot that
     * is not valid as final (expired, or a snapshot of another version than timestamp lists) stays loaded as
     * intermediate for rollback checks, and nothing can be loaded on top of it.
     */
    private static boolean keptAsIntermediate(Stage stage, TufException e) {
        boolean timestampOrSnapshot = stage == Stage.TIMESTAMP || stage == Stage.SNAPSHOT || stage == Stage.SNAPSHOT_FROM_LOCAL_STORE;
        return timestampOrSnapshot && (e instanceof ExpiredMetadataException || e instanceof MixAndMatchException);
    }

    private static String report(int i, Stage stage, Mutation m, String what) {
        return "case " + i + " (seed " + Long.toHexString(SEED) + "), " + stage + ", " + m.description() + ": " + what
                + "\nbytes (base64): " + Base64.getEncoder().encodeToString(m.bytes());
    }

    /** Makes one random mutation of a valid document. */
    static final class Mutator {
        private static final List<String> STRINGS = List.of("", " ", "root", "targets", "snapshot.json", "../x", "a/b",
                "ed25519", "rsassa-pss-sha256", "ecdsa-sha2-nistp256", "sha256", "md5", "1.0.31", "2.0.0", "1.", "x.y.z",
                "2031-05-06T07:08:09Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2031-02-30T00:00:00Z",
                "2031-05-06T07:08:09+02:00", "2031-05-06 07:08:09", "00", "0g", "abcdef", "ABCDEF0123",
                "é", "\u0000", "\n", "\"", "\\", "\uD83D\uDE00", "*", "?", "**/*", "bin-0", "bin-ff", "apps/*");
        private static final List<BigInteger> NUMBERS = List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO,
                BigInteger.valueOf(-1), BigInteger.valueOf(3), BigInteger.valueOf(32), BigInteger.valueOf(33),
                BigInteger.valueOf(Integer.MAX_VALUE), BigInteger.valueOf(Integer.MAX_VALUE).add(BigInteger.ONE),
                BigInteger.valueOf(Long.MAX_VALUE), BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
                BigInteger.valueOf(Long.MIN_VALUE), BigInteger.TWO.pow(64), BigInteger.TEN.pow(40).negate());

        private final Random random;

        Mutator(Random random) {
            this.random = random;
        }

        Mutation mutate(Document doc) {
            int family = random.nextInt(10);
            if (family < 3) return bytes(doc.valid());
            JsonObject envelope = (JsonObject) Json.parse(doc.valid(), "valid");
            int edits = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
            if (family < 5) {
                JsonValue v = envelope;
                StringBuilder what = new StringBuilder("envelope, not re-signed:");
                for (int i = 0; i < edits; i++) v = tree(v, what);
                return new Mutation(encode(v), what.toString());
            }
            JsonValue signed = envelope.get("signed");
            StringBuilder what = new StringBuilder("signed, re-signed:");
            for (int i = 0; i < edits; i++) signed = tree(signed, what);
            if (!(signed instanceof JsonObject o)) {
                return new Mutation(encode(JsonValue.obj("signatures", JsonValue.arr(List.of()), "signed", signed)), what + " (not an object)");
            }
            return new Mutation(RepositorySimulator.sign(o, doc.keys()), what.toString());
        }

        private static byte[] encode(JsonValue v) {
            return CanonicalJson.toParsableJson(CanonicalJson.encode(v));
        }

        private Mutation bytes(byte[] valid) {
            byte[] b = valid.clone();
            int n = b.length;
            int at = random.nextInt(n);
            switch (random.nextInt(9)) {
                case 0 -> {
                    b[at] ^= (byte) (1 << random.nextInt(8));
                    return new Mutation(b, "bit flip at " + at);
                }
                case 1 -> {
                    b[at] = (byte) random.nextInt(256);
                    return new Mutation(b, "random byte at " + at);
                }
                case 2 -> {
                    return new Mutation(Arrays.copyOf(b, at), "truncated to " + at);
                }
                case 3 -> {
                    byte[] junk = new byte[1 + random.nextInt(16)];
                    random.nextBytes(junk);
                    return new Mutation(splice(b, at, at, junk), "inserted " + junk.length + " random bytes at " + at);
                }
                case 4 -> {
                    int end = Math.min(n, at + 1 + random.nextInt(64));
                    return new Mutation(splice(b, at, end, new byte[0]), "deleted " + at + ".." + end);
                }
                case 5 -> {
                    int end = Math.min(n, at + 1 + random.nextInt(64));
                    return new Mutation(splice(b, end, end, Arrays.copyOfRange(b, at, end)), "duplicated " + at + ".." + end);
                }
                case 6 -> {
                    int other = random.nextInt(n);
                    byte t = b[at];
                    b[at] = b[other];
                    b[other] = t;
                    return new Mutation(b, "swapped bytes " + at + " and " + other);
                }
                case 7 -> {
                    return new Mutation(splice(b, n, n, " trailing".getBytes(StandardCharsets.UTF_8)), "trailing data");
                }
                default -> {
                    byte[] junk = new byte[random.nextInt(64)];
                    random.nextBytes(junk);
                    return new Mutation(junk, "replaced by " + junk.length + " random bytes");
                }
            }
        }

        private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
            byte[] out = new byte[b.length - (to - from) + insert.length];
            System.arraycopy(b, 0, out, 0, from);
            System.arraycopy(insert, 0, out, from, insert.length);
            System.arraycopy(b, to, out, from + insert.length, b.length - to);
            return out;
        }

        /** One edit somewhere in the tree; describes it into {@code what}. */
        private JsonValue tree(JsonValue root, StringBuilder what) {
            List<List<String>> paths = new ArrayList<>();
            collect(root, new ArrayList<>(), paths);
            List<String> path = paths.get(random.nextInt(paths.size()));
            JsonValue current = get(root, path);
            int op = random.nextInt(8);
            JsonValue replacement;
            String desc;
            switch (op) {
                case 0 -> {
                    replacement = null;
                    desc = "removed";
                }
                case 1 -> {
                    replacement = randomValue(2);
                    desc = "replaced by random value";
                }
                case 2 -> {
                    List<String> other = paths.get(random.nextInt(paths.size()));
                    replacement = get(root, other);
                    desc = "replaced by the value at " + other;
                }
                case 3 -> {
                    replacement = numberTweak(current);
                    desc = "number tweak";
                }
                case 4 -> {
                    replacement = stringTweak(current);
                    desc = "string tweak";
                }
                case 5 -> {
                    replacement = arrayTweak(current);
                    desc = "array tweak";
                }
                case 6 -> {
                    return renameOrAdd(root, path, what);
                }
                default -> {
                    replacement = wrongType(current);
                    desc = "wrong type";
                }
            }
            what.append(' ').append(path).append(' ').append(desc).append(';');
            if (path.isEmpty()) return replacement == null ? JsonValue.obj() : replacement;
            return set(root, path, 0, replacement);
        }

        private JsonValue renameOrAdd(JsonValue root, List<String> path, StringBuilder what) {
            // Acts on the object that holds the chosen member (or on the root object).
            List<String> parentPath = path.isEmpty() ? path : path.subList(0, path.size() - 1);
            JsonValue parent = get(root, parentPath);
            if (!(parent instanceof JsonObject o)) return root;
            Map<String, JsonValue> m = new LinkedHashMap<>(o.members());
            if (!path.isEmpty() && random.nextBoolean()) {
                String old = path.get(path.size() - 1);
                JsonValue v = m.remove(old);
                String name = STRINGS.get(random.nextInt(STRINGS.size()));
                m.put(name, v);
                what.append(' ').append(path).append(" renamed to '").append(name).append("';");
            } else {
                String name = random.nextBoolean() ? "x-" + random.nextInt(100) : STRINGS.get(random.nextInt(STRINGS.size()));
                m.put(name, randomValue(2));
                what.append(' ').append(parentPath).append(" member '").append(name).append("' added;");
            }
            JsonObject changed = new JsonObject(m);
            return parentPath.isEmpty() ? changed : set(root, parentPath, 0, changed);
        }

        private JsonValue numberTweak(JsonValue v) {
            BigInteger pick = NUMBERS.get(random.nextInt(NUMBERS.size()));
            if (v instanceof JsonNumber n && random.nextBoolean()) {
                return new JsonNumber(random.nextBoolean() ? n.value().add(BigInteger.ONE) : n.value().subtract(BigInteger.ONE));
            }
            return new JsonNumber(pick);
        }

        private JsonValue stringTweak(JsonValue v) {
            if (v instanceof JsonString s && !s.value().isEmpty() && random.nextBoolean()) {
                String t = s.value();
                return switch (random.nextInt(4)) {
                    case 0 -> JsonValue.of(t.substring(0, random.nextInt(t.length())));
                    case 1 -> JsonValue.of(t + STRINGS.get(random.nextInt(STRINGS.size())));
                    case 2 -> JsonValue.of(t.toUpperCase(Locale.ROOT));
                    default -> JsonValue.of("x".repeat(10_000));
                };
            }
            return JsonValue.of(STRINGS.get(random.nextInt(STRINGS.size())));
        }

        private JsonValue arrayTweak(JsonValue v) {
            if (v instanceof JsonArray a && !a.elements().isEmpty()) {
                List<JsonValue> l = new ArrayList<>(a.elements());
                switch (random.nextInt(3)) {
                    case 0 -> l.add(l.get(random.nextInt(l.size())));
                    case 1 -> l.remove(random.nextInt(l.size()));
                    default -> Collections.reverse(l);
                }
                return new JsonArray(l);
            }
            return JsonValue.arr(List.of(v == null ? JsonValue.JsonNull.INSTANCE : v));
        }

        private JsonValue wrongType(JsonValue v) {
            if (v instanceof JsonString) return new JsonNumber(NUMBERS.get(random.nextInt(NUMBERS.size())));
            if (v instanceof JsonNumber n) return JsonValue.of(n.value().toString());
            if (v instanceof JsonObject o) return JsonValue.arr(List.copyOf(o.members().values()));
            if (v instanceof JsonArray) return JsonValue.obj();
            if (v instanceof JsonBoolean) return JsonValue.of("true");
            return JsonValue.of(false);
        }

        private JsonValue randomValue(int depth) {
            int kind = random.nextInt(depth > 0 ? 7 : 5);
            return switch (kind) {
                case 0 -> JsonValue.of(STRINGS.get(random.nextInt(STRINGS.size())));
                case 1 -> new JsonNumber(NUMBERS.get(random.nextInt(NUMBERS.size())));
                case 2 -> JsonValue.of(random.nextBoolean());
                case 3 -> JsonValue.JsonNull.INSTANCE;
                case 4 -> JsonValue.of("%064x".formatted(new BigInteger(256, random)));
                case 5 -> {
                    List<JsonValue> l = new ArrayList<>();
                    for (int i = random.nextInt(3); i > 0; i--) l.add(randomValue(depth - 1));
                    yield new JsonArray(l);
                }
                default -> {
                    Map<String, JsonValue> m = new LinkedHashMap<>();
                    for (int i = random.nextInt(3); i > 0; i--) m.put(STRINGS.get(random.nextInt(STRINGS.size())), randomValue(depth - 1));
                    yield new JsonObject(m);
                }
            };
        }

        private static void collect(JsonValue v, List<String> at, List<List<String>> out) {
            out.add(List.copyOf(at));
            if (v instanceof JsonObject o) {
                for (String k : o.members().keySet()) {
                    at.add(k);
                    collect(o.get(k), at, out);
                    at.remove(at.size() - 1);
                }
            } else if (v instanceof JsonArray a) {
                for (int i = 0; i < a.elements().size(); i++) {
                    at.add(Integer.toString(i));
                    collect(a.elements().get(i), at, out);
                    at.remove(at.size() - 1);
                }
            }
        }

        private static JsonValue get(JsonValue v, List<String> path) {
            for (String step : path) {
                v = v instanceof JsonObject o ? o.get(step) : ((JsonArray) v).elements().get(Integer.parseInt(step));
            }
            return v;
        }

        /** {@code root} with the value at {@code path} replaced (removed when {@code value} is null). */
        private static JsonValue set(JsonValue node, List<String> path, int depth, JsonValue value) {
            String step = path.get(depth);
            boolean last = depth == path.size() - 1;
            if (node instanceof JsonObject o) {
                Map<String, JsonValue> m = new LinkedHashMap<>(o.members());
                JsonValue next = last ? value : set(m.get(step), path, depth + 1, value);
                if (next == null) m.remove(step);
                else m.put(step, next);
                return new JsonObject(m);
            }
            List<JsonValue> l = new ArrayList<>(((JsonArray) node).elements());
            int i = Integer.parseInt(step);
            JsonValue next = last ? value : set(l.get(i), path, depth + 1, value);
            if (next == null) l.remove(i);
            else l.set(i, next);
            return new JsonArray(l);
        }
    }
}
