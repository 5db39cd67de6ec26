package dev.ota.fleet;

import dev.ota.installation.DataDirectory;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The HMAC key of check-ins' bearer tokens ({@link DeviceTokens}): 32 random bytes in {@code
 * fleet/device-token-key} of the data directory, owner-only, made by the first server that needs it. A file every
 * server of the installation shares (they share the data directory), not a database column: a token minted by
 * one server is checked by another, and a reader of the database alone must not be able to mint tokens.
 * Rotation: move the file to {@code device-token-key.previous} and restart the servers; the first makes a new key,
 * tokens of the previous key keep working until they expire (at most the token lifetime), after which the
 * previous file may be deleted. Deleting both ends every token at once (devices get 401 and check in again).
 * Neither key is ever logged or put in a message.
 */
@ApplicationScoped
public class DeviceTokenSecret {
    static final String FILE = "device-token-key";
    static final String PREVIOUS_FILE = FILE + ".previous";

    private volatile List<byte[]> keys;
    private volatile List<DeviceTokens.Key> checkingKeys;

    /** The key new tokens are minted under, ready to mint ({@link DeviceTokens.Key}). */
    public DeviceTokens.Key mintingKey() {
        return checkingKeys().get(0);
    }

    /**
     * {@link #keys()} made once into {@link DeviceTokens.Key}s, which hold their key ids and an initialised HMAC per
     * thread: what every device GET checks its token against.
     */
    public List<DeviceTokens.Key> checkingKeys() {
        List<DeviceTokens.Key> k = checkingKeys;
        if (k == null) {
            synchronized (this) {
                if (checkingKeys == null) {
                    checkingKeys = DeviceTokens.keys(keys());
                }
                k = checkingKeys;
            }
        }
        return k;
    }

    /** The keys tokens are checked against: the current one, then the previous one if there is one. */
    public List<byte[]> keys() {
        List<byte[]> k = keys;
        if (k == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = loadAll(DataDirectory.ensurePrivateDirectory(DataDirectory.path().resolve("fleet")));
                }
                k = keys;
            }
        }
        return k;
    }

    /** The current key (made if there is none) and the previous one if its file is there. */
    static List<byte[]> loadAll(Path dir) {
        List<byte[]> loaded = new ArrayList<>(List.of(loadOrCreate(dir)));
        if (Files.exists(dir.resolve(PREVIOUS_FILE))) loaded.add(read(dir.resolve(PREVIOUS_FILE)));
        return List.copyOf(loaded);
    }

    /**
     * Reads the key, or makes it: written to a file of its own, then linked to the shared name, which fails
     * when another server was first; then both use the one that won.
     */
    static byte[] loadOrCreate(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path candidate = dir.resolve(FILE + "." + Long.toUnsignedString(new SecureRandom().nextLong(), 36));
                DataDirectory.writeSecretFile(candidate, Base64.getEncoder().encodeToString(fresh));
                try {
                    Files.createLink(file, candidate);
                } catch (FileAlreadyExistsException e) {
                    // another server made it first: use that one
                } finally {
                    Files.deleteIfExists(candidate);
                }
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the device token key in " + dir, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            byte[] k = Base64.getDecoder().decode(Files.readString(file).strip());
            if (k.length < 32) {
                throw new IllegalStateException(file + " holds fewer than 32 bytes of key; delete it to make a new one"
                        + " (devices then check in for new bearer tokens)");
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the device token key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not base64; delete it to make a new one", e);
        }
    }
}
