package dev.ota.fleet;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The inventory: devices listed by filter a keyset page at a time, their tags and attributes (changed by
 * administrators, every change and refusal audited), report history and kept configuration versions with
 * the difference between two. Reading is for administrators, release managers and auditors.
 */
@Stateless
public class Inventory {
    /** The largest page: a list is for reading, a rollout plans over its filter on the server. */
    public static final int MAX_LIMIT = 500;
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    private static final int MAX_AUDITED = 1800;
    static final int MAX_TAGS = 32;
    static final int MAX_ATTRIBUTES = 32;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @Resource
    private SessionContext context;

    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public DevicePage page(DeviceFilter filter, String after, int limit, boolean count) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT,
                    "limit must be from 1 to " + MAX_LIMIT);
        }
        if (after != null) {
            checkDeviceId(after, "after");
        }
        DeviceFilterQuery q = DeviceFilterQuery.of(filter);
        TypedQuery<Device> query = em.createQuery(q.pageJpql(after != null), Device.class);
        q.params().forEach(query::setParameter);
        if (after != null) {
            query.setParameter("after", after);
        }
        // One row more than asked tells whether another page follows, without counting.
        List<Device> rows = query.setMaxResults(limit + 1).getResultList();
        boolean more = rows.size() > limit;
        List<Device> shown = more ? rows.subList(0, limit) : rows;
        Long total = null;
        if (count) {
            TypedQuery<Long> c = em.createQuery(q.countJpql(), Long.class);
            q.params().forEach(c::setParameter);
            total = c.getSingleResult();
        }
        return new DevicePage(summaries(shown), more ? shown.get(shown.size() - 1).deviceId() : null, total);
    }

    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public long count(DeviceFilter filter) {
        DeviceFilterQuery q = DeviceFilterQuery.of(filter);
        TypedQuery<Long> c = em.createQuery(q.countJpql(), Long.class);
        q.params().forEach(c::setParameter);
        return c.getSingleResult();
    }

    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public DeviceSummary summary(String deviceId) {
        return summaries(List.of(device(deviceId, false))).get(0);
    }

    /** Replaces the device's tags with {@code tags}; audited, a refusal too. */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public DeviceSummary replaceTags(String deviceId, List<String> tags) {
        String actor = context.getCallerPrincipal().getName();
        try {
            if (tags == null) {
                throw new OtaException("device.tags-invalid", ErrorKind.INVALID_INPUT, "send {\"tags\": [...]}");
            }
            Set<String> wanted = new TreeSet<>();
            for (String tag : tags) {
                if (tag == null || !DeviceFilter.TAG.matcher(tag).matches()) {
                    throw new OtaException("device.tags-invalid", ErrorKind.INVALID_INPUT, "each tag must be 1 to 100 "
                            + "characters of letters, digits and . _ : - (starting with a letter or digit)"
                            + (tag == null ? "" : ", not '" + DeviceFilter.shown(tag) + "'"));
                }
                if (!wanted.add(tag)) {
                    throw new OtaException("device.tags-invalid", ErrorKind.INVALID_INPUT,
                            "tag '" + DeviceFilter.shown(tag) + "' is listed twice");
                }
            }
            if (wanted.size() > MAX_TAGS) {
                throw new OtaException("device.tags-invalid", ErrorKind.INVALID_INPUT, "a device has at most "
                        + MAX_TAGS + " tags");
            }
            Device d = device(deviceId, true);
            for (String old : new ArrayList<>(d.tags())) {
                if (!wanted.contains(old)) {
                    d.untag(old);
                }
            }
            wanted.forEach(d::tag);
            em.flush();
            audit.record(actor, "device.tags", deviceId, Outcome.SUCCESS, clip("tags: " + String.join(", ", wanted)));
            return summaries(List.of(d)).get(0);
        } catch (OtaException e) {
            refused(actor, "device.tags", deviceId, e);
            throw e;
        }
    }

    /** Replaces the device's attributes; {@value DeviceFilter#TIME_ZONE} must be a java.time zone id. Audited. */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public DeviceSummary replaceAttributes(String deviceId, Map<String, String> attributes) {
        String actor = context.getCallerPrincipal().getName();
        try {
            if (attributes == null) {
                throw new OtaException("device.attributes-invalid", ErrorKind.INVALID_INPUT,
                        "send {\"attributes\": {\"name\": \"value\", ...}}");
            }
            if (attributes.size() > MAX_ATTRIBUTES) {
                throw new OtaException("device.attributes-invalid", ErrorKind.INVALID_INPUT, "a device has at most "
                        + MAX_ATTRIBUTES + " attributes");
            }
            Map<String, String> wanted = new TreeMap<>();
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                try {
                    DeviceFilter.checkAttribute(a.getKey(), a.getValue(), "attributes");
                } catch (OtaException e) {
                    throw e.code().equals(DeviceFilter.CODE)
                            ? new OtaException("device.attributes-invalid", ErrorKind.INVALID_INPUT, e.getMessage()) : e;
                }
                wanted.put(a.getKey(), a.getValue());
            }
            Device d = device(deviceId, true);
            for (String old : new ArrayList<>(d.attributes().keySet())) {
                if (!wanted.containsKey(old)) {
                    d.removeAttribute(old);
                }
            }
            wanted.forEach(d::attribute);
            em.flush();
            StringBuilder detail = new StringBuilder("attributes: ");
            wanted.forEach((k, v) -> detail.append(k).append('=').append(v).append("; "));
            audit.record(actor, "device.attributes", deviceId, Outcome.SUCCESS, clip(detail.toString()));
            return summaries(List.of(d)).get(0);
        } catch (OtaException e) {
            refused(actor, "device.attributes", deviceId, e);
            throw e;
        }
    }

    /** The device's reports newest first, {@code limit} at a time; {@code before} is the previous page's {@code next}. */
    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public ReportPage reports(String deviceId, Long before, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new OtaException("request.invalid-parameter", ErrorKind.INVALID_INPUT,
                    "limit must be from 1 to " + MAX_LIMIT);
        }
        device(deviceId, false);
        TypedQuery<Object[]> query = em.createQuery("SELECT r.id, r.actionId, r.seq, r.state, r.reportedAt, r.detail, "
                + "r.receivedAt, r.checkinCounter FROM DeviceReport r WHERE r.deviceId = :deviceId"
                + (before != null ? " AND r.id < :before" : "") + " ORDER BY r.id DESC", Object[].class)
                .setParameter("deviceId", deviceId);
        if (before != null) {
            query.setParameter("before", before);
        }
        List<Object[]> rows = query.setMaxResults(limit + 1).getResultList();
        List<ReportEntry> out = new ArrayList<>();
        for (Object[] r : rows.subList(0, Math.min(limit, rows.size()))) {
            out.add(new ReportEntry((Long) r[0], (String) r[1], (Long) r[2], (String) r[3], (java.time.Instant) r[4],
                    (String) r[5], (java.time.Instant) r[6], (Long) r[7]));
        }
        return new ReportPage(out, rows.size() > limit ? out.get(out.size() - 1).id() : null);
    }

    /** Every configuration version kept for the device, newest first. */
    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public List<KeptConfig> configVersions(String deviceId) {
        device(deviceId, false);
        return em.createQuery("SELECT c.version, c.sha256, c.receivedAt FROM DeviceConfig c "
                        + "WHERE c.deviceId = :deviceId ORDER BY c.version DESC", Object[].class)
                .setParameter("deviceId", deviceId).getResultList().stream()
                .map(r -> new KeptConfig((Long) r[0], (String) r[1], (java.time.Instant) r[2])).toList();
    }

    /** The properties added, removed and changed from version {@code from} to version {@code to}. */
    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public ConfigDiff configDiff(String deviceId, long from, long to) {
        device(deviceId, false);
        return ConfigDiff.of(from, properties(deviceId, from), to, properties(deviceId, to));
    }

    /** The basic properties of one kept version, as the device signed them. */
    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public Map<String, String> configProperties(String deviceId, long version) {
        device(deviceId, false);
        Map<String, String> out = new TreeMap<>();
        properties(deviceId, version).members().forEach((k, v) ->
                out.put(k, dev.ota.tuf.json.CanonicalJson.encodeToString(v)));
        return out;
    }

    private JsonValue.JsonObject properties(String deviceId, long version) {
        List<byte[]> envelope = em.createQuery("SELECT c.envelope FROM DeviceConfig c WHERE c.deviceId = :deviceId "
                        + "AND c.version = :version", byte[].class)
                .setParameter("deviceId", deviceId).setParameter("version", version).getResultList();
        if (envelope.isEmpty()) {
            throw new OtaException("config.unknown-version", ErrorKind.NOT_FOUND, "device " + deviceId
                    + " has no configuration version " + version);
        }
        try {
            // Stored only after its signature verified, so its shape is the protocol's.
            JsonValue.JsonObject doc = (JsonValue.JsonObject) Json.parse(envelope.get(0), "config envelope");
            JsonValue props = ((JsonValue.JsonObject) doc.get("signed")).get("properties");
            return props instanceof JsonValue.JsonObject o ? o : new JsonValue.JsonObject(Map.of());
        } catch (MalformedMetadataException | ClassCastException e) {
            throw new OtaException("config.unreadable", ErrorKind.UNAVAILABLE, "kept configuration version "
                    + version + " of " + deviceId + " cannot be read", e);
        }
    }

    private Device device(String deviceId, boolean forUpdate) {
        checkDeviceId(deviceId, "deviceId");
        Device d = forUpdate ? em.find(Device.class, deviceId, LockModeType.PESSIMISTIC_WRITE)
                : em.find(Device.class, deviceId);
        if (d == null) {
            throw new OtaException("device.unknown", ErrorKind.NOT_FOUND, "no device " + deviceId);
        }
        return d;
    }

    private static void checkDeviceId(String id, String what) {
        if (id == null || !DEVICE_ID.matcher(id).matches()) {
            throw new OtaException("device.id-invalid", ErrorKind.INVALID_INPUT, what
                    + " must be a device id: 1 to 64 characters of letters, digits and . _ - not starting with .");
        }
    }

    /** Rows with their tags and attributes read in two queries for the whole page, not two per device. */
    private List<DeviceSummary> summaries(List<Device> devices) {
        if (devices.isEmpty()) {
            return List.of();
        }
        List<String> ids = devices.stream().map(Device::deviceId).toList();
        Map<String, List<String>> tags = new HashMap<>();
        for (Object[] r : em.createQuery("SELECT d.deviceId, t FROM Device d JOIN d.tags t WHERE d.deviceId IN :ids",
                Object[].class).setParameter("ids", ids).getResultList()) {
            tags.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add((String) r[1]);
        }
        Map<String, Map<String, String>> attributes = new HashMap<>();
        for (Object[] r : em.createQuery("SELECT d.deviceId, KEY(a), VALUE(a) FROM Device d JOIN d.attributes a "
                + "WHERE d.deviceId IN :ids", Object[].class).setParameter("ids", ids).getResultList()) {
            attributes.computeIfAbsent((String) r[0], k -> new TreeMap<>()).put((String) r[1], (String) r[2]);
        }
        List<DeviceSummary> out = new ArrayList<>();
        for (Device d : devices) {
            List<String> t = new ArrayList<>(tags.getOrDefault(d.deviceId(), List.of()));
            t.sort(null);
            out.add(new DeviceSummary(d.deviceId(), d.hardwareId(), d.status(), d.agentVersion(), d.enrolledAt(),
                    d.lastCheckinAt(), d.state(), d.stateSince(), d.stateReason(), t,
                    attributes.getOrDefault(d.deviceId(), Map.of()), installedPaths(d.ecus())));
        }
        return out;
    }

    /** ECU id to the target path it last reported; pure, tolerant of a device that never reported one. */
    static Map<String, String> installedPaths(String ecusJson) {
        Map<String, String> out = new LinkedHashMap<>();
        if (ecusJson == null) {
            return out;
        }
        JsonValue parsed;
        try {
            parsed = Json.parse(ecusJson.getBytes(StandardCharsets.UTF_8), "ecus");
        } catch (MalformedMetadataException e) {
            return out;
        }
        if (parsed instanceof JsonValue.JsonObject ecus) {
            for (Map.Entry<String, JsonValue> ecu : ecus.members().entrySet()) {
                if (ecu.getValue() instanceof JsonValue.JsonObject o && o.get("installed") instanceof JsonValue.JsonObject i
                        && i.get("filepath") instanceof JsonValue.JsonString path) {
                    out.put(ecu.getKey(), path.value());
                }
            }
        }
        return out;
    }

    private void refused(String actor, String action, String deviceId, OtaException e) {
        audit.recordAttempt(actor, action, deviceId == null ? "(none)" : DeviceFilter.shown(deviceId), Outcome.FAILED,
                clip(e.code() + ": " + e.getMessage()));
    }

    private static String clip(String s) {
        String shown = DeviceFilter.printable(s) ? s : s.codePoints().map(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (shown.length() <= MAX_AUDITED) {
            return shown;
        }
        int end = Character.isHighSurrogate(shown.charAt(MAX_AUDITED - 1)) ? MAX_AUDITED - 1 : MAX_AUDITED;
        return shown.substring(0, end) + "...";
    }
}
