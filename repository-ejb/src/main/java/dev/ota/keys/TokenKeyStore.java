package dev.ota.keys;

import dev.ota.tuf.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Online keys in a PKCS#11 token instead of the PKCS#12 file ({@code OTA_KEY_CUSTODY=pkcs11}), through the JDK's
 * SunPKCS11 provider: {@code OTA_PKCS11_LIBRARY} (the token's module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}),
 * {@code OTA_PKCS11_SLOT} (the slot id, as {@code softhsm2-util --show-slots} prints it; SunPKCS11 cannot pick a
 * token by label), {@code OTA_PKCS11_TOKEN_LABEL} (the token's label, shown as the keys' custody) and
 * {@code OTA_PKCS11_PIN} (the user PIN; never logged, never in a message).
 *
 * <p>Key pairs are generated inside the token, ECDSA P-256 (JDK 17's SunPKCS11 has no Ed25519), sensitive and
 * non-extractable: the server only ever holds a handle. A new key is a session object until {@link #store} makes it
 * a token object under an alias {@code <repository>.<role>.<key id prefix>}, with a self-signed certificate (the
 * JDK's PKCS#11 keystore lists a private key only with one; it carries no trust). A key generated for a rotation that
 * never commits is thus never kept.
 */
public final class TokenKeyStore {
    private static final Logger LOG = Logger.getLogger(TokenKeyStore.class.getName());
    static final String CUSTODY = "OTA_KEY_CUSTODY";
    /** One provider and one logged-in keystore per module and slot, for the life of the application. */
    private static final Map<String, TokenKeyStore> OPEN = new ConcurrentHashMap<>();
    /** Tokens that refused to open, by library and slot: the message to answer with until a restart. */
    private static final Map<String, String> REFUSED = new ConcurrentHashMap<>();

    private final String label;
    private final long slot;
    private final Provider provider;
    private final KeyStore keyStore;

    private TokenKeyStore(String label, long slot, Provider provider, KeyStore keyStore) {
        this.label = label;
        this.slot = slot;
        this.provider = provider;
        this.keyStore = keyStore;
    }

    /**
     * The token this deployment keeps its online keys in; empty when {@code OTA_KEY_CUSTODY} is {@code file} or
     * unset (the PKCS#12 keystore, the default).
     *
     * @throws KeyCustodyException if the custody or the token's settings are wrong, or the token cannot be opened
     */
    public static Optional<TokenKeyStore> configured() {
        String custody = System.getenv(CUSTODY);
        if (custody == null || custody.isBlank() || custody.strip().equals("file")) {
            return Optional.empty();
        }
        if (!custody.strip().equals("pkcs11")) {
            throw new KeyCustodyException(CUSTODY + " must be 'file' (the PKCS#12 keystore, the default) or 'pkcs11'"
                    + " (a token), not '" + custody.strip().replaceAll("\\p{Cntrl}", "?") + "'");
        }
        String library = setting("OTA_PKCS11_LIBRARY");
        String slotText = setting("OTA_PKCS11_SLOT");
        long slot;
        try {
            slot = Long.parseLong(slotText);
        } catch (NumberFormatException e) {
            throw new KeyCustodyException("OTA_PKCS11_SLOT must be the token's slot id (a number, as softhsm2-util"
                    + " --show-slots prints it), not '" + slotText + "'");
        }
        String label = setting("OTA_PKCS11_TOKEN_LABEL");
        String key = library + "#" + slot;
        TokenKeyStore open = OPEN.get(key);
        if (open != null) return Optional.of(open);
        // A token that refused to open is not asked again until a restart (the settings come from the environment):
        // every signing would otherwise log in once more, and a real HSM locks its user PIN after a few wrong ones.
        String refused = REFUSED.get(key);
        if (refused != null) throw new KeyCustodyException(refused);
        try {
            return Optional.of(OPEN.computeIfAbsent(key, k -> open(library, slot, label)));
        } catch (KeyCustodyException e) {
            REFUSED.putIfAbsent(key, e.getMessage() + " (not tried again until the server restarts)");
            throw e;
        }
    }

    private static String setting(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new KeyCustodyException(CUSTODY + "=pkcs11 needs " + name);
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == '"')) {
            throw new KeyCustodyException(name + " must be one line without quotes");
        }
        return value.strip();
    }

    private static TokenKeyStore open(String library, long slot, String label) {
        if (!Files.isRegularFile(Path.of(library))) {
            throw new KeyCustodyException("OTA_PKCS11_LIBRARY: no PKCS#11 module at " + library
                    + " (for SoftHSM2 on Debian: /usr/lib/softhsm/libsofthsm2.so, package softhsm2)");
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new KeyCustodyException("this Java runtime has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
        }
        // Generated private keys: sensitive and non-extractable, a session object until stored; public keys are
        // never kept (the certificate carries the public key).
        String config = "--name = ota-token\n"
                + "library = \"" + library + "\"\n"
                + "slot = " + slot + "\n"
                + "attributes(generate, CKO_PRIVATE_KEY, CKK_EC) = {\n  CKA_TOKEN = false\n  CKA_PRIVATE = true\n"
                + "  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n  CKA_SIGN = true\n}\n"
                + "attributes(generate, CKO_PUBLIC_KEY, CKK_EC) = {\n  CKA_TOKEN = false\n}\n";
        // Taken as set: a PIN may hold any character, and it never goes into the provider's configuration.
        String pinSetting = System.getenv("OTA_PKCS11_PIN");
        if (pinSetting == null || pinSetting.isEmpty()) {
            throw new KeyCustodyException(CUSTODY + "=pkcs11 needs OTA_PKCS11_PIN");
        }
        char[] pin = pinSetting.toCharArray();
        try {
            Provider provider = base.configure(config);
            KeyStore ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
            LOG.info(() -> "online keys in PKCS#11 token '" + label + "' (slot " + slot + ", " + library + ")");
            return new TokenKeyStore(label, slot, provider, ks);
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            throw new KeyCustodyException("cannot open PKCS#11 token '" + label + "' in slot " + slot + " of " + library
                    + " (check OTA_PKCS11_SLOT and OTA_PKCS11_PIN): " + reason(e));
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
    }

    /** What the keys page and the API show as these keys' custody. */
    public String custody() {
        return "pkcs11 token " + label;
    }

    /** A new ECDSA P-256 key pair inside the token, not kept there until {@link #store}d. */
    SigningKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = g.generateKeyPair();
            return SigningKey.held(pair.getPrivate(), pair.getPublic(), provider);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("cannot generate a key pair", e);
        }
    }

    /** Keeps {@code key} (generated by this token) in the token under {@code alias}. */
    void store(String alias, String role, SigningKey key, Instant now) {
        try {
            X509Certificate certificate = OnlineKeyStore.selfSigned(role, key, now, provider);
            keyStore.setKeyEntry(alias, key.privateKey(), null, new Certificate[] {certificate});
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("cannot store the " + role + " key " + key.keyId(), e);
        }
        LOG.info(() -> custody() + ": stored " + role + " key " + key.keyId());
    }

    /** The aliases starting with {@code prefix}, sorted. */
    List<String> aliases(String prefix) {
        try {
            List<String> out = new ArrayList<>();
            for (String alias : Collections.list(keyStore.aliases())) {
                if (alias.startsWith(prefix) && keyStore.isKeyEntry(alias)) {
                    out.add(alias);
                }
            }
            Collections.sort(out);
            return out;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("cannot list its keys", e);
        }
    }

    /** The key under {@code alias} as a handle that signs in the token. */
    SigningKey key(String alias) {
        try {
            return SigningKey.held((PrivateKey) keyStore.getKey(alias, null),
                    keyStore.getCertificate(alias).getPublicKey(), provider);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("cannot read its key " + alias, e);
        }
    }

    /** When the key under {@code alias} was stored: its certificate's start. */
    Instant notBefore(String alias) {
        try {
            return keyStore.getCertificate(alias) instanceof X509Certificate x ? x.getNotBefore().toInstant() : null;
        } catch (GeneralSecurityException e) {
            throw failure("cannot read its key " + alias, e);
        }
    }

    /** Deletes the key under {@code alias} (private key and certificate) from the token; true if it was there. */
    boolean delete(String alias) {
        try {
            if (!keyStore.containsAlias(alias)) {
                return false;
            }
            keyStore.deleteEntry(alias);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("cannot delete its key " + alias, e);
        }
        LOG.info(() -> custody() + ": deleted " + alias);
        return true;
    }

    private KeyCustodyException failure(String what, Exception e) {
        // Not chained: a provider's own message could quote a secret, and stack traces print every cause.
        return new KeyCustodyException("PKCS#11 token '" + label + "' (slot " + slot + "): " + what + ": " + reason(e));
    }

    /**
     * The exception's type and, if PKCS#11 named one, its return code (e.g. CKR_PIN_INCORRECT): never a message that
     * could quote a secret.
     */
    static String reason(Throwable e) {
        String code = null;
        for (Throwable t = e; t != null && code == null; t = t.getCause()) {
            if (t.getMessage() != null) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("CKR_[A-Z_]+").matcher(t.getMessage());
                code = m.find() ? m.group() : null;
            }
        }
        return e.getClass().getSimpleName() + (code == null ? "" : " " + code);
    }
}
