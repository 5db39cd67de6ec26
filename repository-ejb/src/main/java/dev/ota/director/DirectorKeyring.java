package dev.ota.director;

import dev.ota.error.ErrorKind;
import dev.ota.keys.OnlineKeyStore;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;

/**
 * The director's keys, read once from its own keystore ({@link OnlineKeyStore#director()}) and kept in memory:
 * opening a PKCS#12 file costs a key derivation, and the director signs on every assignment.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class DirectorKeyring {
    private volatile DirectorKeys keys;
    /** The keystore's {@link OnlineKeyStore#stamp} when the keys were read: a rotation rewrites the file. */
    private volatile String readAt;

    public DirectorKeys keys() {
        String stamp = OnlineKeyStore.director().stamp();
        if (!stamp.equals(readAt)) {
            synchronized (this) {
                if (!stamp.equals(readAt)) {
                    keys = null;
                    readAt = stamp;
                }
            }
        }
        DirectorKeys k = keys;
        if (k == null) {
            synchronized (this) {
                k = keys;
                if (k == null) {
                    OnlineKeyStore store = OnlineKeyStore.director();
                    if (!store.exists()) {
                        throw new DirectorFailure("keys.custody", ErrorKind.UNAVAILABLE, "no director keystore at " + store.file()
                                + " (set OTA_DIRECTOR_KEYSTORE_FILE to the keystore this director was created with)");
                    }
                    k = new DirectorKeys(store.keysFor("root"), store.keysFor("targets"), store.keysFor("snapshot"),
                            store.keysFor("timestamp"));
                    keys = k;
                }
            }
        }
        return k;
    }
}
