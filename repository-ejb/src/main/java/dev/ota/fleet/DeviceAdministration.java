package dev.ota.fleet;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.protocol.Checkin;
import dev.ota.tuf.TufException;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Key;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an administrator does to one device (accept, reject, decommission, replace its key) and how anyone who
 * may read the fleet sees it. Every change and every refused change is audited; each status change is a
 * compare-and-set on the status read.
 */
@Stateless
public class DeviceAdministration {
    static final int REPORTS_SHOWN = 100;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @EJB
    private DeviceConfigs configs;

    @Inject
    private Clock clock;

    @Resource
    private SessionContext context;

    @RolesAllowed(Roles.ADMINISTRATOR)
    public DeviceView accept(String deviceId) {
        return transition(deviceId, DeviceTransitions.Action.ACCEPT);
    }

    @RolesAllowed(Roles.ADMINISTRATOR)
    public DeviceView reject(String deviceId) {
        return transition(deviceId, DeviceTransitions.Action.REJECT);
    }

    /** The device is refused from now on; its bearer tokens end at once. */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public DeviceView decommission(String deviceId) {
        return transition(deviceId, DeviceTransitions.Action.DECOMMISSION);
    }

    private DeviceView transition(String deviceId, DeviceTransitions.Action action) {
        String actor = context.getCallerPrincipal().getName();
        String name = "device." + action.name().toLowerCase(java.util.Locale.ROOT);
        try {
            Device device = require(deviceId);
            DeviceStatus from = device.status();
            if (DeviceTransitions.alreadyDone(from, action)) {
                audit.record(actor, name, deviceId, Outcome.SUCCESS, "already " + from + "; unchanged");
                return view(deviceId);
            }
            DeviceStatus to = DeviceTransitions.next(from, action).orElseThrow(() -> new FleetFailure("device.wrong-status",
                    ErrorKind.CONFLICT, "device '" + deviceId + "' is " + from + "; " + action.name().toLowerCase(
                    java.util.Locale.ROOT) + " does not apply"));
            int moved = em.createQuery("UPDATE Device d SET d.status = :to, d.statusChangedAt = :now"
                            + " WHERE d.deviceId = :id AND d.status = :from")
                    .setParameter("to", to).setParameter("now", clock.instant().truncatedTo(ChronoUnit.SECONDS))
                    .setParameter("id", deviceId).setParameter("from", from).executeUpdate();
            if (moved != 1) {
                throw new FleetFailure("device.changed", ErrorKind.CONFLICT, "device '" + deviceId
                        + "' changed meanwhile; look again");
            }
            if (to == DeviceStatus.DECOMMISSIONED) revokeTokens(deviceId);
            audit.record(actor, name, deviceId, Outcome.SUCCESS, from + " -> " + to);
            em.clear();
            return view(deviceId);
        } catch (OtaException e) {
            audit.recordAttempt(actor, name, deviceId, Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * Replaces the device's key with {@code keyJson}, a TUF key object: for a device whose key was lost or whose
     * hardware was swapped. The replacement starts over, so the counter and the last check-in are forgotten and
     * the old key's bearer tokens end.
     */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public DeviceView replaceKey(String deviceId, JsonObject keyJson) {
        String actor = context.getCallerPrincipal().getName();
        try {
            if (keyJson == null) throw new FleetFailure("device.key-invalid", ErrorKind.INVALID_INPUT, "send {\"publicKey\": {<TUF key object>}}");
            Key key;
            try {
                key = Key.fromJson(keyJson, "publicKey");
            } catch (TufException | IllegalArgumentException e) {
                throw new FleetFailure("device.key-invalid", ErrorKind.INVALID_INPUT, "publicKey is not a TUF key object: "
                        + e.getMessage());
            }
            try {
                DeviceKeys.requireSupported(key, "key", "publicKey");
            } catch (FleetFailure f) {
                throw new FleetFailure("device.key-invalid", ErrorKind.INVALID_INPUT, f.getMessage());
            }
            Device device = require(deviceId);
            String oldKeyId = device.keyId();
            int moved = em.createQuery("UPDATE Device d SET d.publicKey = :key, d.keyId = :keyId, d.lastCounter = NULL,"
                            + " d.lastCheckinSha256 = NULL, d.lastCheckinResponse = NULL, d.lastTokenExpires = NULL"
                            + " WHERE d.deviceId = :id AND d.keyId = :oldKeyId")
                    .setParameter("key", SignedRequest.keyJson(key)).setParameter("keyId", key.keyId())
                    .setParameter("id", deviceId).setParameter("oldKeyId", oldKeyId).executeUpdate();
            if (moved != 1) {
                throw new FleetFailure("device.changed", ErrorKind.CONFLICT, "device '" + deviceId
                        + "' changed meanwhile; look again");
            }
            revokeTokens(deviceId);
            audit.record(actor, "device.key-replace", deviceId, Outcome.SUCCESS, "key " + oldKeyId + " replaced by "
                    + key.keyId() + "; counter reset");
            em.clear();
            return view(deviceId);
        } catch (OtaException e) {
            audit.recordAttempt(actor, "device.key-replace", deviceId, Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public DeviceView device(String deviceId) {
        require(deviceId);
        return view(deviceId);
    }

    private DeviceView view(String deviceId) {
        Device d = require(deviceId);
        List<DeviceView.ReportView> reports = em.createNamedQuery(DeviceReport.OF_DEVICE, DeviceReport.class)
                .setParameter("deviceId", deviceId).setMaxResults(REPORTS_SHOWN).getResultList().stream()
                .map(r -> new DeviceView.ReportView(r.actionId(), r.seq(), r.state(), r.reportedAt(), r.detail(),
                        r.receivedAt(), r.checkinCounter())).toList();
        return new DeviceView(d.deviceId(), d.hardwareId(), d.status(), d.keyId(), d.agentVersion(), d.enrolledAt(),
                d.statusChangedAt(), d.lastCheckinAt(), d.lastCounter(), d.state(), d.stateSince(), d.stateReason(),
                ecus(d.ecus()), d.directorTimestampVersion(), d.reportedConfigVersion(), d.tags().stream().sorted().toList(),
                new TreeMap<>(d.attributes()), reports, configs.versions(deviceId));
    }

    private Device require(String deviceId) {
        Device d = deviceId == null ? null : em.find(Device.class, deviceId);
        if (d == null) throw FleetFailure.noSuchDevice(deviceId);
        return d;
    }

    /** Ends every bearer token of the device at once: they were minted under the generation it had. */
    private void revokeTokens(String deviceId) {
        em.createQuery("UPDATE Device d SET d.tokenGeneration = d.tokenGeneration + 1 WHERE d.deviceId = :id")
                .setParameter("id", deviceId).executeUpdate();
    }

    /** The stored {@code ecus} object (as the device's check-in carried it, read strictly then) as views. */
    public static Map<String, DeviceView.EcuView> ecus(String stored) {
        Map<String, DeviceView.EcuView> out = new LinkedHashMap<>();
        if (stored == null) return out;
        // Stored canonical (the form the filters match), where a control character a device sent inside a string
        // (a newline in attacksDetected) stands raw: escaped again, or the device could never be shown or ordered.
        JsonValue ecus = Json.parse(CanonicalJson.toParsableJson(stored.getBytes(StandardCharsets.UTF_8)),
                "device.ecus");
        // Read back through the protocol's own reader: the stored text is what a check-in it accepted carried.
        JsonObject doc = JsonValue.obj("_type", JsonValue.of(Checkin.TYPE), "deviceId", JsonValue.of("x"),
                "counter", JsonValue.of(0), "time", JsonValue.of("1970-01-01T00:00:00Z"), "state", JsonValue.of("idle"),
                "ecus", ecus);
        Checkin.fromJson(doc).ecus().forEach((id, ecu) -> out.put(id, new DeviceView.EcuView(ecu.hardwareId(),
                ecu.installed().map(i -> new DeviceView.InstalledImageView(i.filepath(), i.length(), new TreeMap<>(i.hashes()),
                        i.releaseCounter().isPresent() ? i.releaseCounter().getAsLong() : null)).orElse(null),
                ecu.attacksDetected())));
        return out;
    }
}
