package dev.ota.keys;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.repository.Keyring;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.List;

/**
 * The online keys a publish or a timer signs with (the delegated releases role, snapshot and
 * timestamp), read once from the keystore and kept in memory: opening a PKCS#12 file costs a key
 * derivation each time. Root and top-level targets keys are not loaded for publishing; the refresh
 * timer alone also gets them when the keystore holds them (embedded mode), to renew those roles
 * before they expire. A production keystore holds neither: their officers sign.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class OnlineKeys {
    private volatile Keyring keyring;
    private volatile Keyring refreshKeyring;
    /** The keystore file's {@link OnlineKeyStore#stamp} when the keyrings were read; another one empties them. */
    private volatile String readAt;

    /**
     * Forgets the keyrings when the keystore file changed since they were read (a key rotated here or by another
     * server sharing the file): one file attribute read per call, no key derivation.
     */
    private void forgetIfChanged() {
        String now = OnlineKeyStore.configured().stamp();
        if (!now.equals(readAt)) {
            synchronized (this) {
                if (!now.equals(readAt)) {
                    keyring = null;
                    refreshKeyring = null;
                    readAt = now;
                }
            }
        }
    }

    /** The keyring for publishing, with the delegated role's keys under {@code delegatedRole}. */
    public Keyring forPublishing(String delegatedRole) {
        forgetIfChanged();
        Keyring k = keyring;
        if (k == null) {
            synchronized (this) {
                k = keyring;
                if (k == null) {
                    OnlineKeyStore store = OnlineKeyStore.configured();
                    if (!store.exists()) {
                        throw new KeyCustodyException("no keystore at " + store.file()
                                + " (set OTA_KEYSTORE_FILE to the keystore this repository was created with)");
                    }
                    List<SigningKey> delegated = store.keysFor(delegatedRole);
                    k = Keyring.online(delegated, store.keysFor("snapshot"), store.keysFor("timestamp"));
                    keyring = k;
                }
            }
        }
        return k;
    }

    /**
     * The keyring for the expiry refresh: that of {@link #forPublishing} plus whatever root and
     * top-level targets keys the keystore holds (none in production).
     */
    public Keyring forRefresh(String delegatedRole) {
        forgetIfChanged();
        Keyring k = refreshKeyring;
        if (k == null) {
            synchronized (this) {
                k = refreshKeyring;
                if (k == null) {
                    Keyring online = forPublishing(delegatedRole);
                    OnlineKeyStore store = OnlineKeyStore.configured();
                    k = new Keyring(store.keysFor("root"), store.keysFor("targets"), online.snapshot(),
                            online.timestamp(), online.delegated());
                    refreshKeyring = k;
                }
            }
        }
        return k;
    }
}
