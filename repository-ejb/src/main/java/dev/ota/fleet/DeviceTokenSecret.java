package dev.ota.fleet;

import dev.ota.installation.DataDirectory;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key under which check-ins' bearer tokens are derived: 32 random bytes in {@code fleet/device-token-key}
 * of the data directory, owner-only, made by the first server that needs it. A file every server of the
 * installation shares (they share the data directory), not a database column: a resend answered by another
 * server must carry the same token, and a reader of the database alone must not be able to mint tokens.
 */
@ApplicationScoped
public class DeviceTokenSecret {
    static final String FILE = "device-token-key";

    private volatile byte[] key;

    public byte[] key() {
        byte[] k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = loadOrCreate(DataDirectory.ensurePrivateDirectory(DataDirectory.path().resolve("fleet")));
                }
                k = key;
            }
        }
        return k;
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
            byte[] k = Base64.getDecoder().decode(Files.readString(file).strip());
            if (k.length < 32) {
                throw new IllegalStateException(file + " holds fewer than 32 bytes of key; delete it to make a new one"
                        + " (devices then check in for new bearer tokens)");
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the device token key in " + dir, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not base64; delete it to make a new one", e);
        }
    }
}
