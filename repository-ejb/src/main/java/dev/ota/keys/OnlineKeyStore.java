package dev.ota.keys;

import dev.ota.installation.DataDirectory;
import dev.ota.tuf.crypto.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The PKCS#12 file holding this server's online keys, one entry per key, aliased
 * {@code <role>.<keyid prefix>}. Where it lives: {@code OTA_KEYSTORE_FILE}, else
 * {@code keys/online-keys.p12} in the data directory. Its password: {@code OTA_KEYSTORE_PASSWORD},
 * else the file {@code keys/keystore-password} beside it, generated at random (owner-only) when the
 * keystore is created. Several servers on one database must share the file and the password.
 *
 * <p>With {@code OTA_KEY_CUSTODY=pkcs11} the online roles' keys live in a {@link TokenKeyStore} instead: the image
 * repository's snapshot, timestamp and release roles, and all four roles of the director. The image repository's
 * root and top-level targets keys, online only in the embedded mode, stay in the file. Reads see both places (so
 * a deployment switched to a token keeps signing with its file keys until they are rotated into the token); a key
 * goes where it was generated: {@link #newKey} makes it in the token for a token role.
 */
public final class OnlineKeyStore {
    private static final Logger LOG = Logger.getLogger(OnlineKeyStore.class.getName());
    static final String PASSWORD_FILE = "keystore-password";
    /** Keystore certificates start this long before their key was stored (clock skew between servers). */
    private static final Duration CERTIFICATE_BACKDATE = Duration.ofMinutes(1);

    private final Path file;
    /** Whether an existing password file beside the keystore is reused (a second keystore in the same folder). */
    private final boolean sharesPasswordFile;
    /** The token holding the online roles' keys, or null (all in the file). */
    private final TokenKeyStore token;
    /** This keystore's aliases in the token start with it: {@code image.} or {@code director.}. */
    private final String tokenPrefix;
    /** The roles whose new keys the token makes. */
    private final java.util.function.Predicate<String> tokenRole;
    /** SHA-256 of the bytes {@link #create} wrote, so that only that file is ever discarded. */
    private byte[] written;
    /** The token aliases {@link #create} stored, so that only those are ever discarded. */
    private final List<String> storedInToken = new ArrayList<>();

    private OnlineKeyStore(Path file, boolean sharesPasswordFile, TokenKeyStore token, String tokenPrefix,
                           java.util.function.Predicate<String> tokenRole) {
        this.file = file;
        this.sharesPasswordFile = sharesPasswordFile;
        this.token = token;
        this.tokenPrefix = tokenPrefix;
        this.tokenRole = tokenRole;
    }

    /** A keystore at {@code file} (tests; the server uses {@link #configured} and {@link #director}). */
    static OnlineKeyStore at(Path file) {
        return new OnlineKeyStore(file, false, null, "", role -> false);
    }

    public static OnlineKeyStore configured() {
        String configured = System.getenv("OTA_KEYSTORE_FILE");
        Path file = configured != null && !configured.isBlank()
                ? Path.of(configured).toAbsolutePath()
                : DataDirectory.path().resolve("keys").resolve("online-keys.p12");
        return new OnlineKeyStore(file, false, TokenKeyStore.configured().orElse(null), "image.",
                role -> !role.equals("root") && !role.equals("targets"));
    }

    /**
     * The director's keystore (issue 12), apart from the image repository's so that neither set of keys
     * signs for the other: {@code OTA_DIRECTOR_KEYSTORE_FILE}, else {@code director-keys.p12} beside the image
     * repository's keystore (so servers that share that one through {@code OTA_KEYSTORE_FILE} share this one
     * too). Same password rules; when the password is the generated file, the director's keystore shares it
     * with the image repository's keystore beside it rather than replacing it.
     */
    public static OnlineKeyStore director() {
        String configured = System.getenv("OTA_DIRECTOR_KEYSTORE_FILE");
        Path file = configured != null && !configured.isBlank()
                ? Path.of(configured).toAbsolutePath()
                : configured().file().resolveSibling("director-keys.p12");
        return new OnlineKeyStore(file, true, TokenKeyStore.configured().orElse(null), "director.", role -> true);
    }

    /**
     * A new key for {@code role}: generated inside the token for a role the token holds (ECDSA P-256, whatever
     * {@code type} says: the token makes no other), else here of {@code type}. Kept nowhere until {@link #create}
     * or {@link #add}.
     */
    public SigningKey newKey(String role, dev.ota.tuf.crypto.KeyType type) {
        return token != null && tokenRole.test(role) ? token.generate() : SigningKey.generate(type);
    }

    /** The custody of keys in the PKCS#12 file. */
    public static final String PKCS12 = "pkcs12";

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file) || (token != null && !token.aliases(tokenPrefix).isEmpty());
    }

    /**
     * Writes a new keystore with the given keys per role. Refuses to overwrite an existing one: keys
     * that signed published metadata must never be lost silently.
     */
    public void create(Map<String, List<SigningKey>> keysByRole, Instant now) {
        if (exists()) {
            throw new KeyCustodyException("a keystore already exists at " + file + (token == null ? "" : " or in the "
                    + token.custody()) + " but the database holds no repository (or director) signed with it; restore"
                    + " the database, or move the keystore away to start anew");
        }
        Map<String, List<SigningKey>> inFile = new LinkedHashMap<>();
        keysByRole.forEach((role, keys) -> {
            List<SigningKey> here = keys.stream().filter(k -> !k.isHeld()).toList();
            if (!here.isEmpty()) {
                inFile.put(role, here);
            }
        });
        if (!inFile.isEmpty()) {
            createFile(inFile, now);
        }
        try {
            keysByRole.forEach((role, keys) -> keys.stream().filter(SigningKey::isHeld).forEach(k -> {
                requireToken(k);
                token.store(tokenPrefix + alias(role, k), role, k, now);
                storedInToken.add(tokenPrefix + alias(role, k));
            }));
        } catch (RuntimeException e) {
            discardUncommitted();
            throw e;
        }
    }

    private void requireToken(SigningKey key) {
        if (token == null) {
            throw new KeyCustodyException("key " + key.keyId() + " is held by a token, but OTA_KEY_CUSTODY is not pkcs11");
        }
    }

    private void createFile(Map<String, List<SigningKey>> keysByRole, Instant now) {
        char[] password = passwordForNewStore();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (Map.Entry<String, List<SigningKey>> e : keysByRole.entrySet()) {
                for (SigningKey key : e.getValue()) {
                    ks.setKeyEntry(alias(e.getKey(), key), key.privateKey(), password,
                            new Certificate[] {selfSigned(e.getKey(), key, now, null)});
                }
            }
            DataDirectory.ensurePrivateDirectory(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            ks.store(bytes, password);
            try (OutputStream out = Files.newOutputStream(temp)) {
                bytes.writeTo(out);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            written = sha256(bytes.toByteArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyCustodyException("cannot write the keystore " + file + ": " + e.getClass().getSimpleName(), e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
        LOG.info(() -> "online keys stored in " + file);
    }

    /**
     * Deletes the keystore {@link #create} wrote, after the bootstrap transaction that goes with it
     * rolled back. A file with other content is left alone: it belongs to a repository that another
     * server created, and deleting it would lose the keys its published metadata is signed with.
     */
    public void discardUncommitted() {
        for (String alias : storedInToken) {
            try {
                token.delete(alias);
            } catch (RuntimeException e) {
                LOG.severe(() -> "cannot delete " + alias + " of a failed bootstrap from the " + token.custody());
            }
        }
        storedInToken.clear();
        try {
            if (written == null || !Files.exists(file)) {
                return;
            }
            if (!java.security.MessageDigest.isEqual(written, sha256(Files.readAllBytes(file)))) {
                LOG.warning(() -> "the keystore " + file + " is not the one this server wrote; left in place");
                return;
            }
            Files.delete(file);
        } catch (IOException e) {
            LOG.severe(() -> "cannot delete the keystore of a failed bootstrap: " + file);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The keys stored for a role, in alias order. */
    public List<SigningKey> keysFor(String role) {
        List<SigningKey> keys = new ArrayList<>(Files.exists(file) || token == null ? fileKeysFor(role) : List.of());
        if (token != null) {
            token.aliases(tokenPrefix + role + ".").forEach(alias -> keys.add(token.key(alias)));
        }
        return List.copyOf(keys);
    }

    private List<SigningKey> fileKeysFor(String role) {
        char[] password = passwordForExistingStore();
        try {
            KeyStore ks = load(password);
            List<String> aliases = new ArrayList<>(Collections.list(ks.aliases()));
            Collections.sort(aliases);
            List<SigningKey> keys = new ArrayList<>();
            for (String alias : aliases) {
                if (alias.startsWith(role + ".")) {
                    keys.add(SigningKey.fromPrivateKey((PrivateKey) ks.getKey(alias, password)));
                }
            }
            return List.copyOf(keys);
        } catch (IOException | GeneralSecurityException e) {
            throw unreadable(e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /**
     * Every key held, by role, with its algorithm and when it was stored (the keystore certificate's start, a
     * minute before the key was created): never key material.
     */
    public List<HeldKey> held() {
        List<HeldKey> out = new ArrayList<>(Files.exists(file) || token == null ? fileHeld() : List.of());
        if (token != null) {
            for (String alias : token.aliases(tokenPrefix)) {
                String roleAndId = alias.substring(tokenPrefix.length());
                int dot = roleAndId.lastIndexOf('.');
                if (dot <= 0) {
                    continue;
                }
                SigningKey key = token.key(alias);
                Instant stored = token.notBefore(alias);
                out.add(new HeldKey(roleAndId.substring(0, dot), key.keyId(), key.publicKey().keyType(),
                        key.publicKey().scheme(), stored == null ? null : stored.plus(CERTIFICATE_BACKDATE),
                        token.custody()));
            }
        }
        return List.copyOf(out);
    }

    private List<HeldKey> fileHeld() {
        char[] password = passwordForExistingStore();
        try {
            KeyStore ks = load(password);
            List<String> aliases = new ArrayList<>(Collections.list(ks.aliases()));
            Collections.sort(aliases);
            List<HeldKey> out = new ArrayList<>();
            for (String alias : aliases) {
                int dot = alias.lastIndexOf('.');
                if (dot <= 0 || !ks.isKeyEntry(alias)) {
                    continue;
                }
                SigningKey key = SigningKey.fromPrivateKey((PrivateKey) ks.getKey(alias, password));
                Certificate cert = ks.getCertificate(alias);
                Instant created = cert instanceof X509Certificate x
                        ? x.getNotBefore().toInstant().plus(CERTIFICATE_BACKDATE) : null;
                out.add(new HeldKey(alias.substring(0, dot), key.keyId(), key.publicKey().keyType(),
                        key.publicKey().scheme(), created, PKCS12));
            }
            return List.copyOf(out);
        } catch (IOException | GeneralSecurityException e) {
            throw unreadable(e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /**
     * Adds a key for {@code role} to the existing keystore (written to a new file, then moved over the old one,
     * so a reader never sees half a keystore). A rotation adds the new key before its metadata commits, and
     * {@link #remove}s the old one after.
     */
    public void add(String role, SigningKey key, Instant now) {
        if (key.isHeld()) {
            requireToken(key);
            token.store(tokenPrefix + alias(role, key), role, key, now);
            return;
        }
        char[] password = passwordForExistingStore();
        try {
            modify(password, ks -> {
                ks.setKeyEntry(alias(role, key), key.privateKey(), password,
                        new Certificate[] {selfSigned(role, key, now, null)});
                return true;
            });
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyCustodyException("cannot add a key to the keystore " + file + ": " + e.getClass().getSimpleName(), e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
        LOG.info(() -> "keystore " + file.getFileName() + ": added " + role + " key " + key.keyId());
    }

    /**
     * Deletes {@code role}'s key {@code keyId} from the keystore, private half and all; true if it was held. A
     * retired or revoked key must not stay where a thief could still find it.
     */
    public boolean remove(String role, String keyId) {
        String alias = role + "." + keyId.substring(0, Math.min(16, keyId.length()));
        boolean inToken = token != null && token.delete(tokenPrefix + alias);
        if (!Files.exists(file)) {
            return inToken;
        }
        return removeFromFile(role, keyId, alias) || inToken;
    }

    private boolean removeFromFile(String role, String keyId, String alias) {
        char[] password = passwordForExistingStore();
        try {
            boolean held = modify(password, ks -> {
                if (!ks.containsAlias(alias)) {
                    return false;
                }
                ks.deleteEntry(alias);
                return true;
            });
            if (!held) {
                return false;
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyCustodyException("cannot remove a key from the keystore " + file + ": "
                    + e.getClass().getSimpleName(), e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
        LOG.info(() -> "keystore " + file.getFileName() + ": removed " + role + " key " + keyId);
        return true;
    }

    /**
     * What changes when the file is rewritten (modification time and size), so that a server caching the keys in
     * memory reads them again after a rotation, also one another server sharing the file made.
     */
    public String stamp() {
        String inToken = token == null ? "" : "|" + token.aliases(tokenPrefix);
        try {
            return Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file) + "/"
                    + Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey() + inToken;
        } catch (IOException e) {
            return "absent" + inToken;
        }
    }

    private KeyStore load(char[] password) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        }
    }

    /** One change to the keystore's entries: true if it changed anything (then the file is rewritten). */
    private interface Change {
        boolean apply(KeyStore ks) throws GeneralSecurityException;
    }

    /** Per keystore file, for the threads of this server; {@link #modify} adds a file lock for other servers. */
    private static final java.util.concurrent.ConcurrentHashMap<Path, Object> WRITERS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Read, change, write, with no other writer in between, here or on another server sharing the file: a rotation
     * adding its new key while the previous one removes its old key must not write back a keystore without the
     * other's change (a served root naming a key no server holds, or a revoked key back in the file).
     */
    private boolean modify(char[] password, Change change) throws IOException, GeneralSecurityException {
        synchronized (WRITERS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new Object())) {
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock ignored = channel.lock()) {
                KeyStore ks = load(password);
                if (!change.apply(ks)) {
                    return false;
                }
                write(ks, password);
                return true;
            }
        }
    }

    private void write(KeyStore ks, char[] password) throws IOException, GeneralSecurityException {
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                ks.store(out, password);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private KeyCustodyException unreadable(Exception e) {
        return new KeyCustodyException("cannot read the keystore " + file
                + " (wrong OTA_KEYSTORE_PASSWORD or damaged file): " + e.getClass().getSimpleName(), e);
    }

    static String alias(String role, SigningKey key) {
        return role + "." + key.keyId().substring(0, 16);
    }

    private char[] passwordForNewStore() {
        String env = System.getenv("OTA_KEYSTORE_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        Path pwFile = file.resolveSibling(PASSWORD_FILE);
        if (sharesPasswordFile && Files.exists(pwFile)) {
            // The image repository's keystore beside this one is opened with it: replacing it would lock that out.
            return passwordForExistingStore();
        }
        try {
            Files.deleteIfExists(pwFile);
        } catch (IOException e) {
            throw new KeyCustodyException("cannot replace " + pwFile, e);
        }
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        DataDirectory.writeSecretFile(pwFile, password);
        LOG.warning(() -> "OTA_KEYSTORE_PASSWORD is not set: generated a keystore password into " + pwFile
                + " (readable only by the server's user)");
        return password.toCharArray();
    }

    private char[] passwordForExistingStore() {
        String env = System.getenv("OTA_KEYSTORE_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        Path pwFile = file.resolveSibling(PASSWORD_FILE);
        try {
            return Files.readString(pwFile).strip().toCharArray();
        } catch (IOException e) {
            throw new KeyCustodyException("the keystore " + file + " needs OTA_KEYSTORE_PASSWORD or the file " + pwFile, e);
        }
    }

    /**
     * PKCS#12 (and the JDK's PKCS#11 keystore) needs a certificate per private key; this one carries no trust (TUF
     * metadata does). Signed through {@code provider} when not null (a token's key signs there).
     */
    static X509Certificate selfSigned(String role, SigningKey key, Instant now, java.security.Provider provider)
            throws GeneralSecurityException {
        X500Name name = new X500Name("CN=ota " + role + " " + key.keyId().substring(0, 16));
        // The certificate's start is also how held() tells a key's age: now minus CERTIFICATE_BACKDATE.
        String algorithm = switch (key.type()) {
            case ED25519 -> "Ed25519";
            case ECDSA_P256 -> "SHA256withECDSA";
            case RSA_PSS -> "SHA256withRSA";
        };
        try {
            var holder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(CERTIFICATE_BACKDATE)), Date.from(now.plus(Duration.ofDays(36500))),
                    name, key.jcaPublicKey())
                    .build((provider == null ? new JcaContentSignerBuilder(algorithm)
                            : new JcaContentSignerBuilder(algorithm).setProvider(provider)).build(key.privateKey()));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the keystore certificate with " + algorithm, e);
        }
    }

    /** Roles and key ids held, for status pages; never key material. */
    public Map<String, List<String>> keyIds(List<String> roles) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String role : roles) {
            out.put(role, keysFor(role).stream().map(SigningKey::keyId).toList());
        }
        return out;
    }
}
