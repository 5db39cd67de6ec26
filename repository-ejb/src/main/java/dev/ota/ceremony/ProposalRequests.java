package dev.ota.ceremony;

import dev.ota.error.ErrorKind;
import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.crypto.PublicKeyImport;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonNumber;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.repository.RootEdit;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reading the bodies of a ceremony: a proposal and a detached signature. Pure, so every refusal is tested without a
 * server; anything wrong is a 400 {@code ceremony.invalid} naming the field (never quoting a key or signature).
 * <pre>
 * {"expires": "2027-06-01T00:00:00Z",                        optional: the new root's expiry
 *  "roles": {"root": {"threshold": 2, "keys": [
 *      {"keyid": "&lt;id of a key the current root lists&gt;"},     keep it
 *      {"publicKey": "-----BEGIN PUBLIC KEY-----...", "holder": "alice"}]},   add one (ed25519 or ECDSA P-256)
 *    "timestamp": {...}}}                                       roles not named keep their keys and threshold
 * </pre>
 */
final class ProposalRequests {
    static final String INVALID = "ceremony.invalid";
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX = Pattern.compile("([0-9a-f]{2}){1,1024}");
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

    private ProposalRequests() {
    }

    /** A proposal as read: the edit, and the holder of each new key. */
    record Proposal(RootEdit edit, Map<String, String> newHolders) {
        Proposal {
            newHolders = Map.copyOf(newHolders);
        }
    }

    static Proposal proposal(byte[] body, Root current) {
        JsonObject o = object(body, "proposal");
        only(o, Set.of("expires", "roles"), "proposal");
        Optional<Instant> expires = expires(o);
        if (!(o.get("roles") instanceof JsonObject roles) || roles.members().isEmpty()) {
            if (expires.isPresent() && !o.has("roles")) {
                return new Proposal(new RootEdit(expires, Map.of()), Map.of());
            }
            throw invalid("roles must be an object naming at least one of " + Root.TOP_LEVEL_ROLES);
        }
        Map<String, RootEdit.RoleEdit> edits = new LinkedHashMap<>();
        Map<String, String> holders = new TreeMap<>();
        for (Map.Entry<String, JsonValue> r : roles.members().entrySet()) {
            String role = r.getKey();
            String where = "roles." + role;
            if (!Root.TOP_LEVEL_ROLES.contains(role)) throw invalid(where + " is not one of " + Root.TOP_LEVEL_ROLES);
            if (!(r.getValue() instanceof JsonObject ro)) throw invalid(where + " must be an object");
            only(ro, Set.of("threshold", "keys"), where);
            int threshold = integer(ro.get("threshold"), where + ".threshold");
            if (!(ro.get("keys") instanceof JsonArray keys)) throw invalid(where + ".keys must be an array");
            List<Key> list = new ArrayList<>();
            int i = 0;
            for (JsonValue k : keys.elements()) {
                String kw = where + ".keys[" + i++ + "]";
                if (!(k instanceof JsonObject ko)) throw invalid(kw + " must be an object");
                if (ko.has("keyid")) {
                    only(ko, Set.of("keyid"), kw);
                    String id = string(ko.get("keyid"), kw + ".keyid");
                    Key existing = KEY_ID.matcher(id).matches() ? current.keys().get(id) : null;
                    if (existing == null) throw invalid(kw + ".keyid names no key of root version " + current.version());
                    list.add(existing);
                } else {
                    only(ko, Set.of("publicKey", "holder"), kw);
                    Key key;
                    try {
                        key = PublicKeyImport.fromPem(string(ko.get("publicKey"), kw + ".publicKey"));
                    } catch (IllegalArgumentException e) {
                        throw invalid(kw + ".publicKey: " + e.getMessage());
                    }
                    String holder = string(ko.get("holder"), kw + ".holder");
                    if (!ACCOUNT.matcher(holder).matches()) throw invalid(kw + ".holder must be an account name");
                    String known = holders.putIfAbsent(key.keyId(), holder);
                    if (known != null && !known.equals(holder)) {
                        throw invalid(kw + ": key " + key.keyId() + " is given two holders");
                    }
                    list.add(key);
                }
            }
            edits.put(role, new RootEdit.RoleEdit(list, threshold));
        }
        return new Proposal(new RootEdit(expires, edits), holders);
    }

    /** A targets proposal as read: the new expiry (empty: the default) and why, both optional. */
    record TargetsRequest(Optional<Instant> expires, Optional<String> reason) {
    }

    /**
     * A targets proposal's body {@code {"expires": "2027-06-01T00:00:00Z", "reason": "..."}}, both optional (an empty
     * body is {@code {}}): targets N+1 with the served content and the new expiry.
     */
    static TargetsRequest targetsProposal(byte[] body) {
        JsonObject o = body == null || body.length == 0 ? new JsonObject(Map.of()) : object(body, "proposal");
        only(o, Set.of("expires", "reason"), "proposal");
        Optional<String> reason = Optional.empty();
        if (o.has("reason")) {
            String text = string(o.get("reason"), "reason");
            if (text.length() > 500 || text.chars().anyMatch(Character::isISOControl)) {
                throw invalid("reason must be one line of at most 500 characters");
            }
            reason = Optional.of(text);
        }
        return new TargetsRequest(expires(o), reason);
    }

    private static Optional<Instant> expires(JsonObject o) {
        if (!o.has("expires")) return Optional.empty();
        String text = string(o.get("expires"), "expires");
        // TUF's metadata writes four-digit years: a year Instant.parse takes (+10000) could not be read back.
        if (!text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z")) {
            throw invalid("expires must be a UTC time like 2027-06-01T00:00:00Z");
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw invalid("expires must be a UTC time like 2027-06-01T00:00:00Z");
        }
    }

    /** A detached signature {@code {"keyid", "sig"}}: key id and hex signature, in the forms TUF uses. */
    static Signature signature(byte[] body) {
        JsonObject o = object(body, "signature");
        only(o, Set.of("keyid", "sig"), "signature");
        String keyId = string(o.get("keyid"), "keyid");
        String sig = string(o.get("sig"), "sig");
        if (!KEY_ID.matcher(keyId).matches()) throw invalid("keyid must be 64 lower-case hex characters");
        if (!HEX.matcher(sig).matches()) throw invalid("sig must be the signature in lower-case hex");
        return new Signature(keyId, sig);
    }

    /** Key id to holder, as stored: canonical JSON. */
    static String holdersJson(Map<String, String> holders) {
        Map<String, JsonValue> m = new TreeMap<>();
        holders.forEach((k, v) -> m.put(k, new JsonString(v)));
        return new String(CanonicalJson.encode(new JsonObject(m)), StandardCharsets.UTF_8);
    }

    static Map<String, String> holders(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        ((JsonObject) Json.parse(json.getBytes(StandardCharsets.UTF_8), "holders")).members()
                .forEach((k, v) -> out.put(k, ((JsonString) v).value()));
        return out;
    }

    private static JsonObject object(byte[] body, String what) {
        if (body == null || body.length == 0) throw invalid("the body must be a JSON " + what + " object");
        try {
            if (Json.parse(body, what) instanceof JsonObject o) return o;
        } catch (MalformedMetadataException e) {
            throw invalid("the body is not JSON: " + e.getMessage());
        }
        throw invalid("the body must be a JSON " + what + " object");
    }

    private static void only(JsonObject o, Set<String> allowed, String where) {
        for (String name : o.members().keySet()) {
            if (!allowed.contains(name)) throw invalid(where + " has an unknown field '" + shown(name) + "'");
        }
    }

    private static String string(JsonValue v, String where) {
        if (v instanceof JsonString s && !s.value().isEmpty()) return s.value();
        throw invalid(where + " must be a non-empty string");
    }

    private static int integer(JsonValue v, String where) {
        if (v instanceof JsonNumber n && n.value().compareTo(BigInteger.ONE) >= 0
                && n.value().compareTo(BigInteger.valueOf(100)) <= 0) {
            return n.value().intValueExact();
        }
        throw invalid(where + " must be an integer from 1 to 100");
    }

    private static String shown(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "..." : name;
    }

    static CeremonyFailure invalid(String message) {
        return new CeremonyFailure(INVALID, ErrorKind.INVALID_INPUT, message);
    }
}
