package dev.ota.fleet;

import dev.ota.error.ErrorKind;
import dev.ota.protocol.ConfigBackup;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Configuration backups (device-api.md, "Configuration backup"): every version a device signs is kept as sent,
 * and the last one is handed back to the device, which verifies its own signature before restoring it.
 */
@Stateless
@PermitAll
public class DeviceConfigs {
    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private Checkins checkins;

    @Inject
    private Clock clock;

    /** Keeps {@code body}, a signed config document, as the device's newest version; 409 unless it is newer. */
    public long put(String pathDeviceId, byte[] body) {
        SignedRequest<ConfigBackup> request = SignedRequest.read(body, "config", ConfigBackup::fromJson);
        ConfigBackup config = request.document();
        SignedRequest.requireSameDevice(pathDeviceId, config.deviceId(), "config");
        Device device = em.find(Device.class, pathDeviceId);
        if (device == null) throw FleetFailure.unknownDevice(pathDeviceId);
        if (!request.signedBy(SignedRequest.storedKey(device))) throw FleetFailure.badSignature("configuration");
        if (device.status() != DeviceStatus.ACCEPTED) throw FleetFailure.notAccepted(pathDeviceId, device.status());
        Long last = lastVersion(pathDeviceId);
        if (!CheckinRules.configVersionAbove(last, config.version())) throw stale(config.version(), last);
        em.persist(new DeviceConfig(pathDeviceId, config.version(), body, DeviceTokens.sha256Hex(body),
                clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        try {
            em.flush();
        } catch (PersistenceException raced) {
            // The unique (device_id, version) refused a concurrent upload of the same version.
            throw stale(config.version(), config.version());
        }
        return config.version();
    }

    /** The newest backup as the device sent it, for a bearer of one of the device's live tokens. */
    public byte[] last(String deviceId, String bearer) {
        checkins.authorize(deviceId, bearer);
        List<DeviceConfig> newest = em.createNamedQuery(DeviceConfig.NEWEST_OF_DEVICE, DeviceConfig.class)
                .setParameter("deviceId", deviceId).setMaxResults(1).getResultList();
        if (newest.isEmpty()) {
            throw new FleetFailure("config.none", ErrorKind.NOT_FOUND, "the server holds no configuration of device '"
                    + deviceId + "'");
        }
        return newest.get(0).envelope();
    }

    /** Every version kept, newest first, without the documents. */
    public List<ConfigVersionView> versions(String deviceId) {
        return em.createNamedQuery(DeviceConfig.NEWEST_OF_DEVICE, DeviceConfig.class).setParameter("deviceId", deviceId)
                .getResultList().stream().map(c -> new ConfigVersionView(c.version(), c.sha256(), c.receivedAt())).toList();
    }

    private Long lastVersion(String deviceId) {
        return em.createNamedQuery(DeviceConfig.LAST_VERSION, Long.class).setParameter("deviceId", deviceId)
                .getSingleResult();
    }

    private static FleetFailure stale(long version, Long last) {
        return new FleetFailure("config.stale", ErrorKind.CONFLICT, "configuration version " + version
                + " is not above the last one kept (" + last + ")");
    }
}
