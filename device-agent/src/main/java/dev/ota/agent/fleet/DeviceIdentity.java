package dev.ota.agent.fleet;

import dev.ota.protocol.DeviceDocument;
import dev.ota.protocol.Envelope;
import dev.ota.tuf.client.MetadataStore;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Key;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;

/**
 * Who the device is: its id, its hardware id and its key. The key is made on the device the first time (ed25519,
 * device-api.md "Conventions") and kept in the data folder as PKCS#8 readable by the owner only; it is never sent,
 * logged or put in a message ({@link #toString()} shows the key id). Thread-safe.
 */
public final class DeviceIdentity {
    static final String KEY_FILE = "device-key.pk8";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String deviceId;
    private final String hardwareId;
    private final SigningKey key;

    public DeviceIdentity(String deviceId, String hardwareId, SigningKey key) {
        this.deviceId = deviceId;
        this.hardwareId = hardwareId;
        this.key = key;
    }

    /**
     * The device's key from {@code dataDir}, made and stored there first if there is none. The file is written
     * atomically (a power loss leaves no key or the whole key) and owner-only from its creation on.
     */
    public static DeviceIdentity loadOrCreate(Path dataDir, String deviceId, String hardwareId) {
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (Files.exists(file)) return new DeviceIdentity(deviceId, hardwareId, load(file));
            Files.createDirectories(dataDir);
            SigningKey key = SigningKey.generate();
            byte[] pkcs8 = key.privateKey().getEncoded();
            try {
                // createTempFile inside writeAtomically makes the file rw------- before any byte is written.
                MetadataStore.writeAtomically(file, pkcs8);
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
            ownerOnly(file);
            return new DeviceIdentity(deviceId, hardwareId, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the device key in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static SigningKey load(Path file) throws IOException {
        ownerOnly(file);
        byte[] pkcs8 = Files.readAllBytes(file);
        try {
            PrivateKey pk = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return SigningKey.fromPrivateKey(pk);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // No cause: parser messages may quote the encoding, which is private material.
            throw new IllegalStateException("the device key in " + file + " is not a readable ed25519 PKCS#8 key");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** A key file someone made readable to others is put back to owner-only before it is used again. */
    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null
                && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    public String deviceId() {
        return deviceId;
    }

    public String hardwareId() {
        return hardwareId;
    }

    /** The public key as the server lists it. */
    public Key publicKey() {
        return key.publicKey();
    }

    public Envelope sign(DeviceDocument document) {
        return Envelope.sign(document, key);
    }

    /** Whether this device's own key signed {@code envelope} (a configuration it backed up, for instance). */
    public boolean signed(Envelope envelope) {
        return envelope.verify(key.publicKey()).thresholdMet();
    }

    @Override
    public String toString() {
        return "DeviceIdentity[" + deviceId + ", hardwareId=" + hardwareId + ", keyid=" + key.keyId() + "]";
    }
}
