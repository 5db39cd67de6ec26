package dev.ota.fleet;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.protocol.KeyRotation;
import dev.ota.tuf.metadata.Key;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * A device replaces its key (device-api.md, "Key rotation"): the document must be signed by the stored key and
 * by the new one, and carry a counter above the last accepted, which moves with a compare-and-set.
 */
@Stateless
@PermitAll
public class KeyRotations {
    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    /** Replaces the key; the new key id. */
    public String rotate(String pathDeviceId, byte[] body) {
        SignedRequest<KeyRotation> request = SignedRequest.read(body, "key-rotation", KeyRotation::fromJson);
        KeyRotation rotation = request.document();
        SignedRequest.requireSameDevice(pathDeviceId, rotation.deviceId(), "key-rotation");
        DeviceKeys.requireSupported(rotation.newKey(), "key-rotation", "newKey");
        Device device = em.find(Device.class, pathDeviceId);
        if (device == null) throw FleetFailure.unknownDevice(pathDeviceId);
        Key old = SignedRequest.storedKey(device);
        if (!request.signedBy(old, rotation.newKey())) {
            throw new FleetFailure("device.bad-signature", ErrorKind.UNAUTHENTICATED,
                    "a key rotation must be signed by the device's current key and by the new key");
        }
        if (device.status() == DeviceStatus.REJECTED || device.status() == DeviceStatus.DECOMMISSIONED) {
            throw FleetFailure.notAccepted(pathDeviceId, device.status());
        }
        if (old.keyId().equals(rotation.newKey().keyId())) {
            throw new FleetFailure("key-rotation.same-key", ErrorKind.CONFLICT, "the new key is the current key");
        }
        if (!CheckinRules.counterAbove(device.lastCounter(), rotation.counter())) throw replayed(device.lastCounter());
        int moved = em.createQuery("UPDATE Device d SET d.publicKey = :key, d.keyId = :keyId, d.lastCounter = :counter"
                        + " WHERE d.deviceId = :id AND d.keyId = :oldKeyId"
                        + " AND (d.lastCounter IS NULL OR d.lastCounter < :counter)")
                .setParameter("key", SignedRequest.keyJson(rotation.newKey())).setParameter("keyId", rotation.newKey().keyId())
                .setParameter("counter", rotation.counter()).setParameter("id", pathDeviceId)
                .setParameter("oldKeyId", old.keyId()).executeUpdate();
        if (moved != 1) throw replayed(null);
        audit.record("device:" + pathDeviceId, "device.key-rotate", pathDeviceId, Outcome.SUCCESS,
                "key " + old.keyId() + " replaced by " + rotation.newKey().keyId() + " (signed by both)");
        return rotation.newKey().keyId();
    }

    private static FleetFailure replayed(Long last) {
        return new FleetFailure("key-rotation.replayed", ErrorKind.CONFLICT, "the key rotation's counter is not above"
                + " the last accepted one" + (last == null ? "" : " (" + last + ")"));
    }
}
