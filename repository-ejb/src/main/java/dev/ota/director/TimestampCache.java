package dev.ota.director;

import dev.ota.fleet.FleetSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each device's current director {@code timestamp.json} as served (bytes, signing time, SHA-256 for the ETag),
 * kept in memory so the poll a fleet makes all day needs no read of the file and no hash (bench/README.md).
 * Keyed by device and timestamp version, and a hit needs the version the caller just read from the database:
 * a (device, version) file is written once by a committed signing and never changed (director_file's unique
 * key), so an entry can be old but never wrong, also with several servers signing into one database. Only
 * files read back from the database go in, never one signed in the caller's still open transaction (a
 * rollback would free its version for other bytes). One entry per device, at most {@link #maxDevices()}.
 */
@ApplicationScoped
public class TimestampCache {
    private record Entry(int version, DirectorDocument document) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The device's timestamp of {@code version}, if it is the one held. */
    DirectorDocument get(String deviceId, int version) {
        Entry e = entries.get(deviceId);
        return e != null && e.version() == version ? e.document() : null;
    }

    /** Holds {@code document} as the device's timestamp of {@code version}; a newer version held stays. */
    void put(String deviceId, int version, DirectorDocument document) {
        if (maxDevices() == 0) return;
        if (entries.size() >= maxDevices() && !entries.containsKey(deviceId)) evictSome();
        entries.merge(deviceId, new Entry(version, document), (old, fresh) -> old.version() > fresh.version() ? old : fresh);
    }

    /**
     * Drops about a tenth of the entries, whichever the map yields first: cheaper than keeping an access order on
     * every poll, and a dropped device costs one read on its next poll.
     */
    private void evictSome() {
        int drop = Math.max(1, maxDevices() / 10);
        Iterator<String> it = entries.keySet().iterator();
        while (drop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /**
     * Devices whose timestamp is held (OTA_DIRECTOR_TIMESTAMP_CACHE, default 20,000: about 1 KiB each, a
     * timestamp file is under 500 bytes); 0 turns the cache off.
     */
    static int maxDevices() {
        return MAX_DEVICES;
    }

    private static final int MAX_DEVICES = (int) FleetSettings.longValue("OTA_DIRECTOR_TIMESTAMP_CACHE", 20_000, 0, 10_000_000);
}
