package dev.ota.rollout;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonNumber;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a rollout is, as created and approved (fleet.md, "Rollouts"; device-api.md, "Management calls": every field
 * but name, targetPath and filter optional, with fleet.md's defaults). Immutable and valid once constructed;
 * {@link #hash()} is what four-eyes approval binds to.
 *
 * @param name          a person's name for it, 1 to 100 printable characters
 * @param targetPath    the image-repository target every device gets
 * @param filter        the device filter as JSON; the service checks it with the fleet's DeviceFilter.fromJson and
 *                      passes that filter's toJson(), so two spellings of one filter hash alike
 * @param canary        the canary's fixed size (fleet.md: default 20); 0 only for a rollback campaign
 * @param waves         the waves after the canary, in cumulative percent of the rest, rising, ending at 100
 * @param successPct    the share of a wave's members that must have succeeded (default 95)
 * @param soak          how long a wave stays at or above successPct before it passes (default 1 h)
 * @param errorBudget   over the whole rollout (defaults 10, 10%, 25)
 * @param onTrip        what a tripped budget does (default PAUSE)
 * @param retry         retries of download:/timeout: failures and the action timeout
 * @param weight        0 to 1000: a rollout of higher weight supersedes open actions of lower ones on the same
 *                      devices (fleet.md, "Operator controls"); default 0
 * @param windows       maintenance-window rules; none: install when ready
 * @param installRule   force-after and the maximum deferral
 * @param rollbackOf    the id of the rollout this one rolls back, when it is a rollback campaign; null otherwise
 */
public record RolloutDefinition(String name, String targetPath, JsonObject filter, int canary, List<Integer> waves,
                                int successPct, Duration soak, ErrorBudget errorBudget, OnTrip onTrip,
                                RetryPolicy retry, int weight, List<WindowRule> windows, InstallRule installRule,
                                String rollbackOf) {
    /** The JSON field names, in the order device-api.md lists them and then ours. */
    public static final List<String> FIELDS = List.of("name", "targetPath", "filter", "canary", "waves", "successPct",
            "soakMinutes", "errorBudget", "onTrip", "retry", "weight", "windows", "installPolicy", "maxDeferralDays",
            "rollbackOf");
    /** fleet.md: "a canary of fixed size (default 20)". */
    public static final int DEFAULT_CANARY = 20;
    /**
     * fleet.md gives no default for the waves; device-api.md's example, 10% of the rest and then all of it, is
     * ours: a second, wider look before the whole fleet.
     */
    public static final List<Integer> DEFAULT_WAVES = List.of(10, 100);
    /** fleet.md: "a wave passes at successPct (default 95%) after a soak time (default 1 h)". */
    public static final int DEFAULT_SUCCESS_PCT = 95;
    public static final Duration DEFAULT_SOAK = Duration.ofHours(1);
    static final int MAX_WAVES = 20;
    private static final Pattern ROLLOUT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public RolloutDefinition {
        InvalidRollout.check(name != null && !name.isBlank() && name.length() <= 100 && printable(name), "name",
                "1 to 100 printable characters, not only spaces");
        InvalidRollout.check(targetPath != null && isTargetPath(targetPath), "targetPath",
                "a target path of 1 to 1000 printable characters");
        InvalidRollout.check(filter != null, "filter", "a device filter object");
        InvalidRollout.check(rollbackOf == null || ROLLOUT_ID.matcher(rollbackOf).matches(), "rollbackOf",
                "a rollout id of 1 to 64 letters, digits and . _ -");
        // "A release must reach a canary first" (issue 13); only a rollback campaign, which returns devices to
        // what they ran before, may go to all of them at once.
        InvalidRollout.check(canary >= (rollbackOf == null ? 1 : 0) && canary <= 10_000, "canary",
                rollbackOf == null ? "1 to 10000 devices" : "0 to 10000 devices");
        InvalidRollout.check(waves != null && !waves.isEmpty() && waves.size() <= MAX_WAVES, "waves",
                "1 to " + MAX_WAVES + " cumulative percentages");
        waves = List.copyOf(waves);
        for (int i = 0; i < waves.size(); i++) {
            int p = waves.get(i);
            InvalidRollout.check(p >= 1 && p <= 100 && (i == 0 || p > waves.get(i - 1)), "waves",
                    "rising cumulative percentages of the rest, 1 to 100");
        }
        InvalidRollout.check(waves.get(waves.size() - 1) == 100, "waves",
                "cumulative percentages ending at 100, so every device is reached");
        InvalidRollout.check(successPct >= 1 && successPct <= 100, "successPct", "1 to 100 (percent)");
        InvalidRollout.check(soak != null && RetryPolicy.minutes(soak) >= 0 && RetryPolicy.minutes(soak) <= 10080,
                "soakMinutes", "0 to 10080 whole minutes");
        Objects.requireNonNull(errorBudget, "errorBudget");
        Objects.requireNonNull(onTrip, "onTrip");
        // fleet.md: "a rollback never triggers another rollback".
        InvalidRollout.check(rollbackOf == null || onTrip.action() != OnTrip.Action.ROLLBACK, "onTrip",
                "PAUSE or CANCEL on a rollback campaign: a rollback never triggers another rollback");
        Objects.requireNonNull(retry, "retry");
        InvalidRollout.check(weight >= 0 && weight <= 1000, "weight", "0 to 1000");
        InvalidRollout.check(windows != null && windows.size() <= 10, "windows", "at most 10 rules");
        windows = List.copyOf(windows);
        Objects.requireNonNull(installRule, "installRule");
    }

    /** A definition with fleet.md's defaults for everything but the three required fields. */
    public static RolloutDefinition withDefaults(String name, String targetPath, JsonObject filter) {
        return new RolloutDefinition(name, targetPath, filter, DEFAULT_CANARY, DEFAULT_WAVES, DEFAULT_SUCCESS_PCT,
                DEFAULT_SOAK, ErrorBudget.DEFAULT, OnTrip.PAUSE, RetryPolicy.DEFAULT, 0, List.of(), InstallRule.DEFAULT,
                null);
    }

    /**
     * The campaign a tripped ROLLBACK starts (fleet.md): the named rollback release to the same devices (the
     * service restricts it to those that got the bad one), no canary, all at once, pausing on its own trip.
     */
    public RolloutDefinition rollbackCampaign(String parentId) {
        if (onTrip.action() != OnTrip.Action.ROLLBACK) {
            throw new IllegalStateException("only a rollout whose onTrip is rollback has a rollback campaign");
        }
        String campaignName = "rollback of " + name;
        return new RolloutDefinition(campaignName.length() > 100 ? campaignName.substring(0, 100) : campaignName,
                onTrip.rollbackPath(), filter, 0, List.of(100), successPct, Duration.ZERO, errorBudget, OnTrip.PAUSE,
                retry, weight, windows, installRule, parentId);
    }

    public boolean isRollbackCampaign() {
        return rollbackOf != null;
    }

    /**
     * The definition's hash, {@code sha256:<hex>} over the canonical JSON of {@link #toJson()}, in which every
     * field is written out with its value, defaults too: an omitted default and the same value written hash
     * alike; any change of any field changes it; member order does not matter (canonical JSON sorts keys).
     */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CanonicalJson.encode(toJson()));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Every field, defaults written out; {@link #fromJson} reads it back equal. */
    public JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("name", JsonValue.of(name));
        m.put("targetPath", JsonValue.of(targetPath));
        m.put("filter", filter);
        m.put("canary", JsonValue.of(canary));
        m.put("waves", new JsonArray(waves.stream().map(p -> (JsonValue) JsonValue.of(p)).toList()));
        m.put("successPct", JsonValue.of(successPct));
        m.put("soakMinutes", JsonValue.of(soak.toMinutes()));
        m.put("errorBudget", object(Map.of("minSample", JsonValue.of(errorBudget.minSample()),
                "errorPct", JsonValue.of(errorBudget.errorPct()), "maxFailed", JsonValue.of(errorBudget.maxFailed()))));
        m.put("onTrip", onTrip.action() == OnTrip.Action.ROLLBACK
                ? object(Map.of("rollback", JsonValue.of(onTrip.rollbackPath()))) : JsonValue.of(onTrip.action().name()));
        m.put("retry", object(Map.of("maxAttempts", JsonValue.of(retry.maxAttempts()),
                "backoffMinutes", JsonValue.of(retry.backoff().toMinutes()),
                "maxBackoffMinutes", JsonValue.of(retry.maxBackoff().toMinutes()),
                "timeoutMinutes", JsonValue.of(retry.timeout().toMinutes()))));
        m.put("weight", JsonValue.of(weight));
        m.put("windows", WindowRule.toJson(windows));
        m.put("installPolicy", installRule.forceAfter()
                .<JsonValue>map(f -> object(Map.of("forceAfterMinutes", JsonValue.of(f.toMinutes()))))
                .orElse(JsonValue.of("respect-busy")));
        m.put("maxDeferralDays", JsonValue.of(installRule.maxDeferral().toDays()));
        if (rollbackOf != null) {
            m.put("rollbackOf", JsonValue.of(rollbackOf));
        }
        return new JsonObject(m);
    }

    /**
     * The definition a create request describes (device-api.md's body). Unknown fields, wrong types and values out
     * of range are refused with an {@link InvalidRollout} naming the field: a misspelt {@code errorBuget} silently
     * taking the defaults would run a rollout nobody approved of.
     */
    public static RolloutDefinition fromJson(JsonValue json) {
        JsonObject o = object(json, "rollout");
        known(o, Set.copyOf(FIELDS), "");
        InvalidRollout.check(o.has("name") && o.has("targetPath") && o.has("filter"), "name, targetPath and filter",
                "given (every other field is optional)");
        JsonObject filter = object(o.get("filter"), "filter");
        List<Integer> waves = DEFAULT_WAVES;
        if (o.has("waves")) {
            waves = new ArrayList<>();
            if (!(o.get("waves") instanceof JsonArray a)) {
                throw new InvalidRollout("waves", "an array of cumulative percentages");
            }
            for (JsonValue v : a.elements()) {
                waves.add(integer(v, "waves", 0, 100));
            }
        }
        ErrorBudget budget = ErrorBudget.DEFAULT;
        if (o.has("errorBudget")) {
            JsonObject b = object(o.get("errorBudget"), "errorBudget");
            known(b, Set.of("minSample", "errorPct", "maxFailed"), "errorBudget.");
            budget = new ErrorBudget(integer(b, "minSample", budget.minSample(), "errorBudget."),
                    integer(b, "errorPct", budget.errorPct(), "errorBudget."),
                    integer(b, "maxFailed", budget.maxFailed(), "errorBudget."));
        }
        RetryPolicy retry = RetryPolicy.DEFAULT;
        if (o.has("retry")) {
            JsonObject r = object(o.get("retry"), "retry");
            known(r, Set.of("maxAttempts", "backoffMinutes", "maxBackoffMinutes", "timeoutMinutes"), "retry.");
            retry = new RetryPolicy(integer(r, "maxAttempts", retry.maxAttempts(), "retry."),
                    minutes(r, "backoffMinutes", retry.backoff(), "retry."),
                    minutes(r, "maxBackoffMinutes", retry.maxBackoff(), "retry."),
                    minutes(r, "timeoutMinutes", retry.timeout(), "retry."));
        }
        List<WindowRule> windows = o.has("windows") ? WindowRule.fromJson(o.get("windows")) : List.of();
        Optional<Duration> forceAfter = Optional.empty();
        if (o.has("installPolicy")) {
            JsonValue p = o.get("installPolicy");
            if (p instanceof JsonObject f) {
                known(f, Set.of("forceAfterMinutes"), "installPolicy.");
                InvalidRollout.check(f.has("forceAfterMinutes"), "installPolicy", "\"respect-busy\" or {\"forceAfterMinutes\": N}");
                forceAfter = Optional.of(minutes(f, "forceAfterMinutes", null, "installPolicy."));
            } else {
                InvalidRollout.check(p instanceof JsonString s && s.value().equals("respect-busy"), "installPolicy",
                        "\"respect-busy\" or {\"forceAfterMinutes\": N}");
            }
        }
        Duration maxDeferral = o.has("maxDeferralDays")
                ? Duration.ofDays(integer(o.get("maxDeferralDays"), "maxDeferralDays", 0, 365))
                : InstallRule.DEFAULT.maxDeferral();
        return new RolloutDefinition(string(o.get("name"), "name"), string(o.get("targetPath"), "targetPath"), filter,
                integer(o, "canary", DEFAULT_CANARY, ""), waves, integer(o, "successPct", DEFAULT_SUCCESS_PCT, ""),
                minutes(o, "soakMinutes", DEFAULT_SOAK, ""), budget, onTrip(o), retry, integer(o, "weight", 0, ""),
                windows, new InstallRule(forceAfter, maxDeferral),
                o.has("rollbackOf") ? string(o.get("rollbackOf"), "rollbackOf") : null);
    }

    private static OnTrip onTrip(JsonObject o) {
        if (!o.has("onTrip")) {
            return OnTrip.PAUSE;
        }
        JsonValue v = o.get("onTrip");
        if (v instanceof JsonString s && (s.value().equals("PAUSE") || s.value().equals("CANCEL"))) {
            return s.value().equals("PAUSE") ? OnTrip.PAUSE : OnTrip.CANCEL;
        }
        if (v instanceof JsonObject r && r.members().size() == 1 && r.has("rollback")) {
            return OnTrip.rollback(string(r.get("rollback"), "onTrip.rollback"));
        }
        throw new InvalidRollout("onTrip", "\"PAUSE\", \"CANCEL\" or {\"rollback\": \"<target path>\"}");
    }

    static boolean isTargetPath(String path) {
        return !path.isEmpty() && path.length() <= 1000 && printable(path);
    }

    private static boolean printable(String s) {
        return s.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.SURROGATE);
    }

    private static JsonObject object(Map<String, JsonValue> members) {
        return new JsonObject(members);
    }

    static JsonObject object(JsonValue v, String field) {
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new InvalidRollout(field, "an object");
    }

    static void known(JsonObject o, Set<String> fields, String prefix) {
        for (String name : o.members().keySet()) {
            if (!fields.contains(name)) {
                throw new InvalidRollout(prefix + shown(name), "left out: it is no rollout field (known: "
                        + String.join(", ", new java.util.TreeSet<>(fields)) + ")");
            }
        }
    }

    static String string(JsonValue v, String field) {
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw new InvalidRollout(field, "a string");
    }

    private static int integer(JsonObject o, String name, int dflt, String prefix) {
        return o.has(name) ? integer(o.get(name), prefix + name, Integer.MIN_VALUE, Integer.MAX_VALUE) : dflt;
    }

    private static int integer(JsonValue v, String field, int min, int max) {
        if (v instanceof JsonNumber n && n.value().compareTo(BigInteger.valueOf(min)) >= 0
                && n.value().compareTo(BigInteger.valueOf(max)) <= 0) {
            return n.value().intValue();
        }
        throw new InvalidRollout(field, v instanceof JsonNumber ? "a number from " + min + " to " + max : "a whole number");
    }

    static Duration minutes(JsonObject o, String name, Duration dflt, String prefix) {
        return o.has(name) ? Duration.ofMinutes(integer(o.get(name), prefix + name, 0, 1_000_000)) : dflt;
    }

    private static String shown(String value) {
        StringBuilder b = new StringBuilder();
        value.codePoints().limit(40).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : String.format("<U+%04X>", c)));
        return b.toString();
    }
}
