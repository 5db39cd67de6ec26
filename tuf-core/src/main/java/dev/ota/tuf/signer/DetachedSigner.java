package dev.ota.tuf.signer;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.repository.RootCeremony;
import dev.ota.tuf.repository.TargetsCeremony;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The security officer's offline signer: signs the canonical bytes of a root or top-level targets proposal with a
 * private key that never leaves the officer's machine, and prints the detached signature {@code {"keyid", "sig"}} to
 * upload to {@code POST /portal/api/v1/root/proposals/{id}/signatures} (or {@code .../targets/proposals/...}).
 * Any other bytes (a snapshot, a delegated role, a non-canonical document) are refused, never signed.
 * <pre>
 * java -cp tuf-core.jar:bcprov.jar dev.ota.tuf.signer.DetachedSigner --key officer.pem --bytes proposal.bin [--out sig.json]
 * java -cp ... dev.ota.tuf.signer.DetachedSigner --key officer.pem --url https://ota/portal/api/v1/root/proposals/ID/signed   (or /targets/proposals/ID/signed)
 * java -cp ... dev.ota.tuf.signer.DetachedSigner --key officer.pem --bytes-json signed.json   (that URL's answer, saved)
 * </pre>
 * {@code --key}: an unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}, e.g. {@code openssl genpkey
 * -algorithm ed25519}), ed25519 or ECDSA P-256. With {@code --url} the bytes are fetched with the API token in the
 * environment variable {@code OTA_API_TOKEN}, if set (the private key is never sent anywhere). Exit status 0 on
 * success, 2 on bad arguments or input; messages never quote key material.
 */
public final class DetachedSigner {
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    /** A proposal is a few KiB (targets with many delegations some more); a larger download is not one. */
    private static final int MAX_BYTES = 1 << 20;

    private DetachedSigner() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command without {@code System.exit}: the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!Arrays.asList("--key", "--bytes", "--bytes-json", "--url", "--out").contains(name) || i + 1 >= args.length) {
                return usage(err, "unknown or incomplete option " + name);
            }
            options.put(name, args[++i]);
        }
        long sources = options.keySet().stream().filter(n -> n.startsWith("--bytes") || n.equals("--url")).count();
        if (!options.containsKey("--key") || sources != 1) {
            return usage(err, "--key and exactly one of --bytes, --bytes-json and --url are required");
        }
        try {
            byte[] data = options.containsKey("--bytes") ? Files.readAllBytes(Path.of(options.get("--bytes")))
                    : options.containsKey("--bytes-json") ? canonicalBytes(Files.readAllBytes(Path.of(options.get("--bytes-json"))))
                    : fetch(options.get("--url"), System.getenv("OTA_API_TOKEN"));
            // The officer signs what they read here, not what a server says it is: refuse anything but a root or a
            // top-level targets.
            err.print(describe(data));
            SigningKey key = readPkcs8Pem(Files.readString(Path.of(options.get("--key")), StandardCharsets.US_ASCII));
            String json = signatureJson(key, data);
            if (options.containsKey("--out")) {
                Files.writeString(Path.of(options.get("--out")), json + "\n", StandardCharsets.UTF_8);
            }
            out.println(json);
            return 0;
        } catch (IOException e) {
            err.println("sign: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("sign: " + e.getMessage());
            return 2;
        } catch (dev.ota.tuf.MalformedMetadataException e) {
            err.println("sign: not signed: the bytes are not a canonical root or targets proposal (" + e.getMessage() + ")");
            return 2;
        }
    }

    /**
     * What the bytes say, for the officer to check before the signature is used, and the SHA-256 the portal shows
     * for the proposal. A root: version, expiry, each role's threshold and key ids. A top-level targets: version,
     * expiry, how many targets it lists, and each delegation's name, threshold, key ids and paths (or hash bins).
     *
     * @throws dev.ota.tuf.MalformedMetadataException if they are neither a canonical root's nor a canonical targets'
     *         signed object
     */
    static String describe(byte[] data) {
        Bytes bytes = Bytes.of(data);
        String type = typeOf(data);
        if (Targets.TYPE.equals(type)) {
            Targets targets = TargetsCeremony.proposal(bytes).signed();
            StringBuilder b = new StringBuilder("sign: signing top-level targets version " + targets.version()
                    + ", expires " + targets.expires() + ", sha256 " + bytes.sha256Hex() + ", "
                    + targets.targets().size() + " target(s) listed\n");
            targets.delegations().ifPresent(d -> {
                d.roles().ifPresent(roles -> roles.forEach(r -> b.append("  delegates '").append(r.name()).append("': ")
                        .append(r.threshold()).append(" of ").append(r.keyIds()).append(", paths ")
                        .append(r.paths().or(r::pathHashPrefixes).orElse(List.of()))
                        .append(r.terminating() ? ", terminating" : "").append("\n")));
                d.succinctRoles().ifPresent(s -> b.append("  delegates hash bins '").append(s.namePrefix())
                        .append("-*' (").append(s.binCount()).append(" bins): ").append(s.threshold()).append(" of ")
                        .append(s.keyIds()).append("\n"));
            });
            return b.toString();
        }
        // Anything else must be a root; RootCeremony refuses what is not.
        Root root = RootCeremony.proposal(bytes).signed();
        StringBuilder b = new StringBuilder("sign: signing root version " + root.version() + ", expires "
                + root.expires() + ", sha256 " + bytes.sha256Hex() + "\n");
        for (String role : Root.TOP_LEVEL_ROLES) {
            var r = root.role(role);
            b.append("  ").append(role).append(": ").append(r.threshold()).append(" of ").append(r.keyIds())
                    .append("\n");
        }
        return b.toString();
    }

    /** The {@code _type} the bytes claim, if they are a JSON object naming one; what to read them as. */
    private static String typeOf(byte[] data) {
        JsonValue v = Json.parse(CanonicalJson.toParsableJson(data), "proposal");
        return v instanceof JsonValue.JsonObject o && o.get("_type") instanceof JsonValue.JsonString t ? t.value() : null;
    }

    /** {@code {"keyid":..., "sig":...}}: the detached signature of {@code data} by {@code key}, canonical JSON. */
    public static String signatureJson(SigningKey key, byte[] data) {
        var sig = key.sign(data);
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("keyid", JsonValue.of(sig.keyId()));
        m.put("sig", JsonValue.of(sig.sig()));
        return new String(CanonicalJson.encode(new JsonValue.JsonObject(m)), StandardCharsets.UTF_8);
    }

    /**
     * A signing key from an unencrypted PKCS#8 PEM, ed25519 or EC P-256.
     *
     * @throws IllegalArgumentException if it is not one (the message never quotes the text)
     */
    public static SigningKey readPkcs8Pem(String pem) {
        String text = pem.strip();
        if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
            throw new IllegalArgumentException("the key file is not an unencrypted PKCS#8 PEM (" + BEGIN + ")");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key file's base64 does not decode");
        }
        try {
            for (String algorithm : new String[] {"Ed25519", "EC"}) {
                try {
                    PrivateKey k = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    return SigningKey.fromPrivateKey(k);
                } catch (GeneralSecurityException e) {
                    // not this algorithm; try the next
                }
            }
        } finally {
            Arrays.fill(der, (byte) 0);
        }
        throw new IllegalArgumentException("the key is neither an ed25519 nor an EC P-256 PKCS#8 private key");
    }

    private static byte[] fetch(String url, String token) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null && !token.isBlank()) request.header("Authorization", "Bearer " + token.strip());
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] body = in.readNBytes(MAX_BYTES + 1);
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + url + " answered " + response.statusCode());
                }
                if (body.length > MAX_BYTES) throw new IOException("the proposal is larger than " + MAX_BYTES + " bytes");
                return canonicalBytes(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * The bytes to sign from the API's answer {@code {"canonicalBase64", "sha256", ...}}, after checking that they
     * hash to the {@code sha256} shown beside them (which officers compare out of band).
     */
    static byte[] canonicalBytes(byte[] apiAnswer) throws IOException {
        JsonValue v;
        try {
            v = Json.parse(apiAnswer, "proposal bytes");
        } catch (RuntimeException e) {
            throw new IOException("the answer is not the proposal's JSON");
        }
        if (!(v instanceof JsonValue.JsonObject o) || !(o.get("canonicalBase64") instanceof JsonValue.JsonString b64)
                || !(o.get("sha256") instanceof JsonValue.JsonString sha)) {
            throw new IOException("the answer has no canonicalBase64 and sha256");
        }
        byte[] bytes = Base64.getDecoder().decode(b64.value());
        try {
            String actual = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
            if (!actual.equals(sha.value())) throw new IOException("the bytes do not hash to the sha256 shown");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return bytes;
    }

    private static int usage(PrintStream err, String why) {
        err.println("sign: " + why);
        err.println("usage: DetachedSigner --key officer-pkcs8.pem (--bytes proposal.bin | --bytes-json signed.json | --url https://.../signed) [--out sig.json]");
        return 2;
    }
}
