package dev.ota.director;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.fleet.Device;
import dev.ota.fleet.DeviceAdministration;
import dev.ota.fleet.DeviceBearer;
import dev.ota.fleet.DeviceFilter;
import dev.ota.fleet.DevicePage;
import dev.ota.fleet.DeviceStatus;
import dev.ota.fleet.DeviceSummary;
import dev.ota.fleet.DeviceTokenSecret;
import dev.ota.fleet.DeviceView;
import dev.ota.fleet.Inventory;
import dev.ota.fleet.SavedFilters;
import dev.ota.release.ReleaseView;
import dev.ota.release.Releases;
import dev.ota.protocol.DirectorTarget.InstallPolicy;
import dev.ota.protocol.DirectorTarget.InstallWindow;
import dev.ota.rollout.InstallRule;
import dev.ota.rollout.WindowRule;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The director's service: assignments by hand (checked, signed in the assignment's transaction, audited, refusals
 * too) and the files devices fetch (the timestamp signed again on fetch when it is older than half its life).
 * Every signing for a device holds the device's fleet row locked ({@code SELECT ... FOR UPDATE}) to its commit,
 * so one signing per device happens at a time, also across servers sharing the database.
 */
@Stateless
public class Director {
    /** A filter assignment signs for at most this many devices in one transaction; rollouts do larger fleets. */
    public static final int MAX_FILTER_DEVICES = 1000;
    private static final int MAX_TARGET_PATH = 1024;
    private static final Pattern FILE = Pattern.compile("timestamp\\.json|([1-9][0-9]{0,8})\\.(root|snapshot|targets)\\.json");

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @EJB
    private DirectorKeyring keyring;

    @EJB
    private Releases releases;

    @EJB
    private Inventory inventory;

    @EJB
    private SavedFilters savedFilters;

    @Inject
    private Clock clock;

    @Inject
    private DeviceTokenSecret tokenSecret;

    @Inject
    private TimestampCache timestamps;

    @Resource
    private SessionContext context;

    /** Version {@code version} of the director root, the same for every device; empty if there is none. */
    @PermitAll
    public Optional<DirectorDocument> root(int version) {
        return Optional.ofNullable(em.find(DirectorRoot.class, version))
                .map(r -> document(r.content(), r.createdAt()));
    }

    /**
     * A file of {@code deviceId}'s director repository by its served name ({@code N.root.json}, {@code
     * timestamp.json}, {@code V.snapshot.json}, {@code V.targets.json}) for the device's GET with {@code bearer};
     * 401 unless the token opens the device's GETs ({@link DeviceBearer}), empty if there is no such file. The
     * poll of an unchanged timestamp is one statement (the device's status and token generation with its
     * timestamp's version and expiry) and, from the second poll on, no other read: the file comes from {@link
     * TimestampCache} under the version just read. The first fetch of a device without an order signs its empty
     * targets, and a timestamp past half its life is signed again, as before. Devices' polls of an unchanged
     * timestamp are answered by {@link DirectorPolls}, which comes here for the rest.
     */
    @PermitAll
    public Optional<DirectorDocument> deviceFile(String deviceId, String fileName, String bearer) {
        Object[] row = authorizedPoll(deviceId, bearer);
        if (!fileName.equals("timestamp.json")) return file(deviceId, fileName);
        DirectorDocument current = currentUnlessDue(deviceId, row);
        return current != null ? Optional.of(current) : file(deviceId, fileName);
    }

    /**
     * The poll's one statement (the device's status and token generation, its timestamp's version and expiry), after
     * the bearer check: 401 unless {@code bearer} opens the device's GETs ({@link DeviceBearer}).
     */
    private Object[] authorizedPoll(String deviceId, String bearer) {
        DeviceBearer.requirePresent(bearer);
        List<Object[]> found = em.createNamedQuery(DirectorState.POLL, Object[].class).setParameter("id", deviceId)
                .getResultList();
        Object[] row = found.isEmpty() ? null : found.get(0);
        DeviceBearer.require(deviceId, bearer, row == null ? null : (DeviceStatus) row[0],
                row == null ? 0 : ((Number) row[1]).longValue(), clock.instant(), tokenSecret.checkingKeys());
        return row;
    }

    /**
     * The device's timestamp of the version in {@code row}, from {@link TimestampCache} or read (committed: the
     * caller has no transaction of its own, or has signed nothing in it) and then held; null when there is none yet
     * or it is due for re-signing.
     */
    private DirectorDocument currentUnlessDue(String deviceId, Object[] row) {
        // No director_state row yet: the join gives a null expiry (and the provider may give 0 for the version).
        if (row[2] == null || row[3] == null) return null;
        int version = ((Number) row[2]).intValue();
        if (DirectorMetadata.dueForResigning((Instant) row[3], now())) return null;
        DirectorDocument held = timestamps.get(deviceId, version);
        if (held != null) return held;
        DirectorDocument stored = storedTimestamp(deviceId, version);
        timestamps.put(deviceId, version, stored);
        return stored;
    }

    private Optional<DirectorDocument> file(String deviceId, String fileName) {
        Matcher m = FILE.matcher(fileName);
        if (!m.matches()) return Optional.empty();
        if (m.group(1) == null) return Optional.of(currentTimestamp(deviceId));
        int version = Integer.parseInt(m.group(1));
        String role = m.group(2);
        if (role.equals("root")) return root(version);
        return em.createNamedQuery(DirectorFile.BY_DEVICE_ROLE_VERSION, DirectorFile.class)
                .setParameter("deviceId", deviceId).setParameter("role", role).setParameter("version", version)
                .getResultList().stream().findFirst().map(f -> document(f.content(), f.createdAt()));
    }

    /** The device's orders, newest (the one in force) first; at most {@code limit} (1 to 200). */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR, Roles.SECURITY_OFFICER})
    public List<OrderHistoryEntry> orders(String deviceId, int limit) {
        return em.createNamedQuery(DirectorAssignment.NEWEST_OF_DEVICE, DirectorAssignment.class)
                .setParameter("deviceId", deviceId).setMaxResults(Math.max(1, Math.min(limit, 200)))
                .getResultList().stream().map(DirectorAssignment::toHistoryEntry).toList();
    }

    /** Orders {@code deviceId} to install {@code targetPath}; refused (and audited) before anything is signed. */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public AssignmentView assign(String deviceId, String targetPath) {
        String actor = context.getCallerPrincipal().getName();
        try {
            requirePath(targetPath);
            AssignmentView view = assignOne(deviceId, targetPath, actor, now(), null, null, 1);
            audit.record(actor, "assignment.create", deviceId, Outcome.SUCCESS, "target '" + targetPath + "', action "
                    + view.actionId() + ", director timestamp version " + view.timestampVersion());
            return view;
        } catch (OtaException e) {
            audit.recordAttempt(actor, "assignment.create", deviceId == null ? "-" : deviceId, Outcome.DENIED,
                    e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * Orders every accepted device matching {@code filter} to install {@code targetPath}: all of them or, when one
     * is refused, none (nothing is signed). {@code filterJson} as {@link DeviceFilter#fromJson} reads it. At most {@link #MAX_FILTER_DEVICES} devices.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public List<AssignmentView> assignFilter(JsonValue filterJson, String targetPath) {
        String actor = context.getCallerPrincipal().getName();
        String subject = "filter";
        try {
            if (filterJson == null) {
                throw new DirectorFailure("assignment.invalid", ErrorKind.INVALID_INPUT, "send a 'deviceId' or a 'filter'");
            }
            DeviceFilter filter = DeviceFilter.fromJson(filterJson);
            subject = "filter " + CanonicalJson.encodeToString(filter.toJson());
            requirePath(targetPath);
            List<String> deviceIds = matchingAccepted(filter);
            Instant now = now();
            List<AssignmentView> out = new ArrayList<>();
            for (String id : deviceIds) {
                out.add(assignOne(id, targetPath, actor, now, null, null, 1));
            }
            // Audited once all are signed: the audit chain's head stays locked to the commit, and a refusal of a
            // later device records its attempt in a transaction of its own, which would wait for that lock.
            for (AssignmentView view : out) {
                audit.record(actor, "assignment.create", view.deviceId(), Outcome.SUCCESS, "target '" + targetPath
                        + "', action " + view.actionId() + " (" + subject + ")");
            }
            return List.copyOf(out);
        } catch (OtaException e) {
            audit.recordAttempt(actor, "assignment.create", subject.length() > 500 ? subject.substring(0, 500) : subject,
                    Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * Orders a batch of a rollout's members, each with its attempt number (each retry a new signed attempt number,
     * under a new action id), inside the rollout's maintenance windows ({@code windows} expanded into concrete UTC
     * windows in the device's {@code timeZone} attribute) at every signing, the next {@value OrderWindows#DAYS}
     * days' worth; the force-after of {@code rule} counts from now. Called only by the rollout service's scheduler
     * and commands (the architecture tests let no other package call it): the rollout's four-eyes approval is the
     * authority. Each signed order is audited under the actor {@code rollout:<id>}.
     *
     * <p>A device the director would not order (no longer accepted, another hardware id, the release no longer
     * listed or below the counter the device runs) is refused in its outcome, not by an exception: one ineligible
     * device must not roll back the rest of its batch, and a refusal is the caller's to record. The batch costs a
     * fixed number of statements before its signing (the devices locked in one {@code SELECT ... FOR UPDATE}, in
     * device id order like every batch, their director states and desired configurations read in one statement
     * each, the release looked up once), so the persistence context is flushed once, at the end, instead of by
     * every per-device query (bench/README.md, "Batched orders").
     *
     * @return an outcome per order, in the orders' order
     */
    @PermitAll
    public List<RolloutOrderOutcome> assignForRollout(String rolloutId, List<RolloutOrder> orders, String targetPath,
                                                      List<WindowRule> windows, InstallRule rule) {
        String actor = "rollout:" + rolloutId;
        requirePath(targetPath);
        if (orders.isEmpty()) {
            return List.of();
        }
        Instant now = now();
        Instant forceAfter = rule.directorPolicy(now).forceAfter().orElse(null);
        String windowRules = windows.isEmpty() ? null : CanonicalJson.encodeToString(WindowRule.toJson(windows));
        Batch batch = readBatch(orders.stream().map(RolloutOrder::deviceId).toList());
        Optional<ListedImage> image = listed(targetPath);
        List<RolloutOrderOutcome> outcomes = new ArrayList<>();
        for (RolloutOrder o : orders) {
            Device device = batch.devices().get(o.deviceId());
            Eligible eligible;
            try {
                eligible = eligible(o.deviceId(), device, targetPath, image);
            } catch (DirectorFailure e) {
                outcomes.add(new RolloutOrderOutcome(o.deviceId(), null, e.code() + ": " + e.getMessage()));
                continue;
            }
            DirectorAssignment row = new DirectorAssignment(o.deviceId(), targetPath, newActionId(), o.attempt(), actor,
                    now, windowRules, forceAfter);
            em.persist(row);
            DirectorState state = batch.sign(o.deviceId(), Optional.of(order(device, eligible.ecu().id(),
                    eligible.image(), row, now)), now);
            outcomes.add(new RolloutOrderOutcome(o.deviceId(), new AssignmentView(o.deviceId(), targetPath,
                    row.actionId(), row.attempt(), state.timestampVersion()), null));
        }
        for (RolloutOrderOutcome o : outcomes) {
            if (o.refused()) continue;
            AssignmentView view = o.assignment();
            audit.record(actor, "assignment.create", view.deviceId(), Outcome.SUCCESS, "target '" + targetPath
                    + "', action " + view.actionId() + ", attempt " + view.attempt() + ", director timestamp version "
                    + view.timestampVersion() + (windows.isEmpty() ? "" : ", inside " + windows.size()
                    + " window rule(s)"));
        }
        return outcomes;
    }

    /**
     * Withdraws a rollout's orders from devices (fleet.md, "cancel": devices not yet installing get an empty signed
     * assignment), {@code actionOfDevice} the action id to withdraw by device id: the director signs targets listing
     * nothing, but only while that action is still the device's order in force; an order given since (by hand, or
     * by a heavier rollout) is left alone. Read and locked in one batch as {@link #assignForRollout} does. Same
     * authority as {@link #assignForRollout}; each withdrawal audited.
     *
     * @return the withdrawals signed, in device id order
     */
    @PermitAll
    public List<AssignmentView> cancelForRollout(String rolloutId, Map<String, String> actionOfDevice) {
        if (actionOfDevice.isEmpty()) {
            return List.of();
        }
        Batch batch = readBatch(List.copyOf(actionOfDevice.keySet()));
        Map<String, DirectorAssignment> newest = new HashMap<>();
        for (DirectorAssignment a : em.createQuery("SELECT a FROM DirectorAssignment a WHERE a.id IN (SELECT MAX(b.id)"
                + " FROM DirectorAssignment b WHERE b.deviceId IN :ids GROUP BY b.deviceId)", DirectorAssignment.class)
                .setParameter("ids", batch.ids()).getResultList()) {
            newest.put(a.deviceId(), a);
        }
        String actor = "rollout:" + rolloutId;
        Instant now = now();
        List<AssignmentView> withdrawn = new ArrayList<>();
        for (String deviceId : batch.ids()) {
            DirectorAssignment inForce = newest.get(deviceId);
            if (!batch.devices().containsKey(deviceId) || inForce == null || inForce.targetPath() == null
                    || !inForce.actionId().equals(actionOfDevice.get(deviceId))) {
                continue;
            }
            DirectorAssignment row = new DirectorAssignment(deviceId, null, newActionId(), 0, actor, now);
            em.persist(row);
            DirectorState state = batch.sign(deviceId, Optional.empty(), now);
            withdrawn.add(new AssignmentView(deviceId, null, row.actionId(), 0, state.timestampVersion()));
        }
        for (AssignmentView view : withdrawn) {
            audit.record(actor, "assignment.cancel", view.deviceId(), Outcome.SUCCESS, "action "
                    + actionOfDevice.get(view.deviceId()) + " withdrawn, director timestamp version "
                    + view.timestampVersion());
        }
        return withdrawn;
    }

    /**
     * A batch of devices read for signing: the devices locked ({@code SELECT ... FOR UPDATE} in device id order, as
     * every batch locks, so two batches cannot each hold a device the other waits for), their director states and
     * desired configurations, one statement each. With everything read before the first signing, no query flushes
     * what the batch signs: one flush at the commit instead of one per query per device, each walking the whole
     * persistence context (bench/README.md, "Batched orders").
     */
    private Batch readBatch(List<String> deviceIds) {
        List<String> ids = deviceIds.stream().distinct().sorted().toList();
        Map<String, Device> devices = new HashMap<>();
        for (Device d : em.createQuery("SELECT d FROM Device d WHERE d.deviceId IN :ids ORDER BY d.deviceId",
                Device.class).setParameter("ids", ids).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()) {
            devices.put(d.deviceId(), d);
        }
        Map<String, DirectorState> states = new HashMap<>();
        for (DirectorState s : em.createQuery("SELECT s FROM DirectorState s WHERE s.deviceId IN :ids",
                DirectorState.class).setParameter("ids", ids).getResultList()) {
            states.put(s.deviceId(), s);
        }
        Map<String, Optional<ConfigTarget>> desired = new HashMap<>();
        for (DesiredConfig c : em.createQuery("SELECT c FROM DesiredConfig c WHERE c.id IN (SELECT MAX(b.id)"
                + " FROM DesiredConfig b WHERE b.deviceId IN :ids GROUP BY b.deviceId)", DesiredConfig.class)
                .setParameter("ids", ids).getResultList()) {
            desired.put(c.deviceId(), c.target());
        }
        return new Batch(ids, devices, states, desired);
    }

    /** What {@link #readBatch} read; {@link #sign(String, Optional, Instant)} keeps the states current. */
    private final class Batch {
        private final List<String> ids;
        private final Map<String, Device> devices;
        private final Map<String, DirectorState> states;
        private final Map<String, Optional<ConfigTarget>> desired;

        Batch(List<String> ids, Map<String, Device> devices, Map<String, DirectorState> states,
              Map<String, Optional<ConfigTarget>> desired) {
            this.ids = ids;
            this.devices = devices;
            this.states = states;
            this.desired = desired;
        }

        List<String> ids() {
            return ids;
        }

        Map<String, Device> devices() {
            return devices;
        }

        DirectorState sign(String deviceId, Optional<Assignment> order, Instant now) {
            DirectorState state = Director.this.sign(devices.get(deviceId), states.get(deviceId), order,
                    desired.getOrDefault(deviceId, Optional.empty()), now);
            states.put(deviceId, state);
            return state;
        }
    }

    /**
     * The management API's order: exactly one of a device, an inline filter or a saved filter's name chooses the
     * devices; anything else is refused (400 {@code assignment.invalid}) and audited like every other refusal.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public List<AssignmentView> assign(String deviceId, JsonValue filterJson, String savedFilter, String targetPath) {
        long chosen = java.util.stream.Stream.of(deviceId, filterJson, savedFilter).filter(java.util.Objects::nonNull).count();
        if (chosen != 1) {
            DirectorFailure e = new DirectorFailure("assignment.invalid", ErrorKind.INVALID_INPUT,
                    "send one of 'deviceId', 'filter' or 'savedFilter', with 'targetPath'");
            audit.recordAttempt(context.getCallerPrincipal().getName(), "assignment.create", "-", Outcome.DENIED,
                    e.code() + ": " + e.getMessage());
            throw e;
        }
        if (deviceId != null) return List.of(assign(deviceId, targetPath));
        return filterJson != null ? assignFilter(filterJson, targetPath) : assignSavedFilter(savedFilter, targetPath);
    }

    /**
     * Orders every accepted device the saved filter {@code name} matches now to install {@code targetPath}, as
     * {@link #assignFilter} does with the filter written out; an unknown name is refused (404) and audited.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public List<AssignmentView> assignSavedFilter(String name, String targetPath) {
        DeviceFilter filter;
        try {
            filter = savedFilters.get(name).filter();
        } catch (OtaException e) {
            audit.recordAttempt(context.getCallerPrincipal().getName(), "assignment.create",
                    "saved filter " + (name == null ? "-" : name.length() > 200 ? name.substring(0, 200) : name),
                    Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
        return assignFilter(filter.toJson(), targetPath);
    }

    /** Cancels the device's order: the director signs targets listing nothing (still naming the device). */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public AssignmentView cancel(String deviceId) {
        String actor = context.getCallerPrincipal().getName();
        try {
            Device device = lockDevice(deviceId);
            Instant now = now();
            DirectorAssignment row = new DirectorAssignment(deviceId, null, newActionId(), 0, actor, now);
            em.persist(row);
            DirectorState state = sign(device, Optional.empty(), now);
            audit.record(actor, "assignment.cancel", deviceId, Outcome.SUCCESS,
                    "director timestamp version " + state.timestampVersion());
            return new AssignmentView(deviceId, null, row.actionId(), 0, state.timestampVersion());
        } catch (OtaException e) {
            audit.recordAttempt(actor, "assignment.cancel", deviceId == null ? "-" : deviceId, Outcome.DENIED,
                    e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /** The device's desired configuration in force, if any, and the director timestamp version now current. */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR, Roles.SECURITY_OFFICER})
    public Optional<DesiredConfigView> desiredConfig(String deviceId) {
        if (deviceId == null || em.find(Device.class, deviceId) == null) {
            throw new DirectorFailure("device.not-found", ErrorKind.NOT_FOUND, "no device '" + deviceId + "'");
        }
        DirectorState state = em.find(DirectorState.class, deviceId);
        long version = state == null ? 0 : state.timestampVersion();
        return newestDesired(deviceId).filter(d -> d.target().isPresent()).map(d -> view(deviceId, d, version));
    }

    /**
     * Sets the device's desired configuration to {@code properties} (checked by {@link ConfigTarget#of}): the director
     * signs new targets listing it as {@code config/{deviceId}.json} next to the order in force. The same properties
     * as those in force sign nothing, unless the device reported them REFUSED (then they are signed again, so the device
     * fetches them once more). Audited, refusals too.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public DesiredConfigView setDesiredConfig(String deviceId, JsonValue properties) {
        return setDesired(deviceId, () -> properties);
    }

    /**
     * As {@link #setDesiredConfig}, from {@code name=value} lines (the portal's form, {@link ConfigTarget#propertiesOfLines}),
     * read here so that malformed lines are refused and audited like every other refusal.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public DesiredConfigView setDesiredConfigLines(String deviceId, String lines) {
        return setDesired(deviceId, () -> ConfigTarget.propertiesOfLines(lines));
    }

    private DesiredConfigView setDesired(String deviceId, java.util.function.Supplier<JsonValue> properties) {
        String actor = context.getCallerPrincipal().getName();
        try {
            ConfigTarget target = ConfigTarget.of(deviceId == null ? "-" : deviceId, properties.get());
            Device device = lockAccepted(deviceId);
            Optional<DesiredConfig> current = newestDesired(deviceId);
            if (current.flatMap(DesiredConfig::target).filter(t -> t.sha256().equals(target.sha256())).isPresent()) {
                if (refusedByDevice(deviceId, target)) {
                    // The device refused these bytes (altered on the way, an attack): it fetches them again only when
                    // the director signs anew, so setting them again is how an operator has it try once more.
                    return signDesired(device, Optional.of(target), actor, "desired-config.set", "re-signed after the device"
                            + " refused it, sha256 " + target.sha256());
                }
                DirectorState state = em.find(DirectorState.class, deviceId);
                audit.record(actor, "desired-config.set", deviceId, Outcome.SUCCESS, "unchanged, sha256 " + target.sha256());
                return view(deviceId, current.get(), state == null ? 0 : state.timestampVersion());
            }
            return signDesired(device, Optional.of(target), actor, "desired-config.set", "sha256 " + target.sha256()
                    + ", " + target.bytes().length + " bytes");
        } catch (OtaException e) {
            audit.recordAttempt(actor, "desired-config.set", deviceId == null ? "-" : deviceId, Outcome.DENIED,
                    e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * Clears the device's desired configuration: the director signs targets without {@code config/{deviceId}.json}
     * (the order in force stays). The device keeps the properties it has. 404 {@code desired-config.none} when none
     * is set. Audited, refusals too.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public DesiredConfigView clearDesiredConfig(String deviceId) {
        String actor = context.getCallerPrincipal().getName();
        try {
            Device device = lockAccepted(deviceId);
            if (newestDesired(deviceId).flatMap(DesiredConfig::target).isEmpty()) {
                throw new DirectorFailure("desired-config.none", ErrorKind.NOT_FOUND, "device '" + deviceId
                        + "' has no desired configuration to clear");
            }
            return signDesired(device, Optional.empty(), actor, "desired-config.clear", "cleared");
        } catch (OtaException e) {
            audit.recordAttempt(actor, "desired-config.clear", deviceId == null ? "-" : deviceId, Outcome.DENIED,
                    e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * The device's config target by its served name under {@code targets/config/} ({@code {deviceId}.json} or
     * {@code {sha256}.{deviceId}.json}): the bytes of the desired configuration in force only, so a cleared or
     * replaced one is no longer served. The caller has checked the device's bearer token.
     */
    @PermitAll
    public Optional<DirectorDocument> configTarget(String deviceId, String fileName) {
        return newestDesired(deviceId).flatMap(d -> d.target().filter(t -> t.servedAs(fileName))
                .map(t -> new DirectorDocument(t.bytes(), d.setAt(), t.sha256())));
    }

    private DesiredConfigView signDesired(Device device, Optional<ConfigTarget> target, String actor, String action,
                                          String detail) {
        Instant now = now();
        DesiredConfig row = new DesiredConfig(device.deviceId(), target, actor, now);
        em.persist(row);
        em.flush();
        DirectorState state = sign(device, currentOrder(device), now);
        audit.record(actor, action, device.deviceId(), Outcome.SUCCESS, detail + ", director timestamp version "
                + state.timestampVersion());
        return view(device.deviceId(), row, state.timestampVersion());
    }

    private static DesiredConfigView view(String deviceId, DesiredConfig d, long timestampVersion) {
        Optional<ConfigTarget> t = d.target();
        return new DesiredConfigView(deviceId, t.map(ConfigTarget::properties).orElse(null),
                t.map(ConfigTarget::path).orElse(null), t.map(c -> (long) c.bytes().length).orElse(null),
                t.map(ConfigTarget::sha256).orElse(null), d.setBy(), d.setAt(), timestampVersion);
    }

    /**
     * Whether the device reported this configuration REFUSED: the agent files such reports under
     * {@code config-<first 16 hex digits of its sha256>}, as it has no action id of the director's.
     */
    private boolean refusedByDevice(String deviceId, ConfigTarget target) {
        return em.createQuery("SELECT COUNT(r) FROM DeviceReport r WHERE r.deviceId = :deviceId AND r.actionId = :actionId"
                        + " AND r.state = 'REFUSED'", Long.class).setParameter("deviceId", deviceId)
                .setParameter("actionId", "config-" + target.sha256().substring(0, 16)).getSingleResult() > 0;
    }

    private Optional<DesiredConfig> newestDesired(String deviceId) {
        return em.createNamedQuery(DesiredConfig.NEWEST_OF_DEVICE, DesiredConfig.class).setParameter("deviceId", deviceId)
                .setMaxResults(1).getResultList().stream().findFirst();
    }

    private Optional<ConfigTarget> desiredTarget(String deviceId) {
        return newestDesired(deviceId).flatMap(DesiredConfig::target);
    }

    private Device lockAccepted(String deviceId) {
        Device device = lockDevice(deviceId);
        if (device.status() != DeviceStatus.ACCEPTED) {
            throw new DirectorFailure("desired-config.device-not-accepted", ErrorKind.CONFLICT, "device '" + deviceId
                    + "' is " + device.status() + "; only accepted devices get a desired configuration");
        }
        return device;
    }

    private AssignmentView assignOne(String deviceId, String targetPath, String actor, Instant now, String windowRules,
                                     Instant forceAfter, int attempt) {
        Device device = lockDevice(deviceId);
        Eligible eligible = eligible(deviceId, device, targetPath, listed(targetPath));
        DirectorAssignment row = new DirectorAssignment(deviceId, targetPath, newActionId(), attempt, actor, now,
                windowRules, forceAfter);
        em.persist(row);
        DirectorState state = sign(device, Optional.of(order(device, eligible.ecu().id(), eligible.image(), row, now)),
                now);
        return new AssignmentView(deviceId, targetPath, row.actionId(), row.attempt(), state.timestampVersion());
    }

    /** The device's primary ECU and the image it may be ordered. */
    private record Eligible(Ecu ecu, ListedImage image) {
    }

    /**
     * Whether the director orders {@code targetPath} ({@code listed} in the image repository) for the device now, by
     * hand or by a rollout: an existing, accepted device whose primary ECU takes the image; otherwise the refusal is
     * thrown (AssignmentRules for the image's rules).
     */
    private Eligible eligible(String deviceId, Device device, String targetPath, Optional<ListedImage> listed) {
        if (device == null) {
            throw new DirectorFailure("device.not-found", ErrorKind.NOT_FOUND, "no device '" + deviceId + "'");
        }
        if (device.status() != DeviceStatus.ACCEPTED) {
            throw new DirectorFailure("assignment.device-not-accepted", ErrorKind.CONFLICT, "device '" + deviceId
                    + "' is " + device.status() + "; only accepted devices get orders");
        }
        Ecu ecu = primaryEcu(device);
        return new Eligible(ecu, AssignmentRules.accept(targetPath, listed, device.hardwareId(), ecu.installed()));
    }

    private DirectorDocument currentTimestamp(String deviceId) {
        Instant now = now();
        DirectorState state = em.find(DirectorState.class, deviceId);
        if (state == null || DirectorMetadata.dueForResigning(state.timestampExpires(), now)) {
            Device device = em.find(Device.class, deviceId, LockModeType.PESSIMISTIC_WRITE);
            if (device == null) {
                throw new DirectorFailure("device.not-found", ErrorKind.NOT_FOUND, "no device '" + deviceId + "'");
            }
            if (state != null) {
                em.refresh(state);
            } else {
                state = em.find(DirectorState.class, deviceId);
            }
            // Another server may have signed while this one waited for the lock: sign only if still due.
            if (state == null || DirectorMetadata.dueForResigning(state.timestampExpires(), now)) {
                state = sign(device, currentOrder(device), now);
            }
        }
        return storedTimestamp(deviceId, state.timestampVersion());
    }

    private DirectorDocument storedTimestamp(String deviceId, int version) {
        return em.createNamedQuery(DirectorFile.BY_DEVICE_ROLE_VERSION, DirectorFile.class)
                .setParameter("deviceId", deviceId).setParameter("role", "timestamp")
                .setParameter("version", version).getResultList().stream().findFirst()
                .map(f -> document(f.content(), f.createdAt()))
                .orElseThrow(() -> new IllegalStateException("director timestamp version " + version
                        + " of '" + deviceId + "' is not stored"));
    }

    /**
     * The order of the device's newest assignment, as the image repository lists its target now: a release removed
     * since is no longer ordered (the device would refuse it anyway), so re-signing drops it.
     */
    private Optional<Assignment> currentOrder(Device device) {
        List<DirectorAssignment> newest = em.createNamedQuery(DirectorAssignment.NEWEST_OF_DEVICE, DirectorAssignment.class)
                .setParameter("deviceId", device.deviceId()).setMaxResults(1).getResultList();
        if (newest.isEmpty() || newest.get(0).targetPath() == null) return Optional.empty();
        DirectorAssignment a = newest.get(0);
        Optional<ListedImage> image = listed(a.targetPath())
                .filter(i -> i.hardwareIds().contains(device.hardwareId()) && i.releaseCounter().isPresent());
        return image.map(i -> order(device, primaryEcu(device).id(), i, a, now()));
    }

    /**
     * The order {@code row} as signed at {@code now}: a rollout's window rules expanded into the next concrete UTC
     * windows in the device's zone (fleet.md: devices never parse rules), its force-after as the policy.
     */
    private static Assignment order(Device device, String ecuId, ListedImage image, DirectorAssignment row, Instant now) {
        List<InstallWindow> windows = OrderWindows.at(row.windowRules(), device.attributes(), now);
        InstallPolicy policy = new InstallPolicy(Optional.ofNullable(row.forceAfter()));
        return new Assignment(device.deviceId(), ecuId, device.hardwareId(), image, row.actionId(), row.attempt(),
                windows, policy);
    }

    /**
     * Signs the next targets, snapshot and timestamp of the (locked) device and moves its state to them; the targets
     * list {@code order} and, when one is set, the device's desired configuration: every signing carries both.
     */
    private DirectorState sign(Device device, Optional<Assignment> order, Instant now) {
        return sign(device, em.find(DirectorState.class, device.deviceId()), order, desiredTarget(device.deviceId()),
                now);
    }

    /** As {@link #sign(Device, Optional, Instant)}, with the device's state (null if none yet) and desired configuration read by the caller. */
    private DirectorState sign(Device device, DirectorState current, Optional<Assignment> order,
                               Optional<ConfigTarget> desired, Instant now) {
        String deviceId = device.deviceId();
        DirectorState state = current;
        boolean created = state == null;
        if (created) state = new DirectorState(deviceId);
        int targets = state.targetsVersion() + 1;
        int snapshot = state.snapshotVersion() + 1;
        int timestamp = state.timestampVersion() + 1;
        List<DirectorMetadata.SignedFile> files = DirectorMetadata.deviceFiles(keyring.keys(), deviceId, order,
                desired, targets, snapshot, timestamp, now);
        for (DirectorMetadata.SignedFile f : files) {
            em.persist(new DirectorFile(deviceId, f.role(), Math.toIntExact(f.version()), f.expires(), f.bytes(), now));
        }
        state.signed(targets, snapshot, timestamp, now.plus(DirectorMetadata.EXPIRY), now);
        if (created) em.persist(state);
        // No flush of its own: each flush walks every entity the transaction holds, and the next query reading these
        // rows flushes them anyway. A rollout's batch reads everything before its first signing, so nothing it
        // signs is flushed before the commit; a single order's reads (listed, desiredTarget) still flush.
        return state;
    }

    private Device lockDevice(String deviceId) {
        Device device = deviceId == null ? null : em.find(Device.class, deviceId, LockModeType.PESSIMISTIC_WRITE);
        if (device == null) {
            throw new DirectorFailure("device.not-found", ErrorKind.NOT_FOUND, "no device '" + deviceId + "'");
        }
        return device;
    }

    private List<String> matchingAccepted(DeviceFilter filter) {
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            DevicePage page = inventory.page(filter, after, Inventory.MAX_LIMIT, false);
            for (DeviceSummary d : page.devices()) {
                if (d.status() == DeviceStatus.ACCEPTED) ids.add(d.deviceId());
            }
            if (ids.size() > MAX_FILTER_DEVICES) {
                throw new DirectorFailure("assignment.too-many-devices", ErrorKind.INVALID_INPUT, "the filter matches"
                        + " more than " + MAX_FILTER_DEVICES + " accepted devices; narrow it or use a rollout");
            }
            after = page.next();
        } while (after != null);
        if (ids.isEmpty()) {
            throw new DirectorFailure("assignment.no-devices", ErrorKind.CONFLICT, "the filter matches no accepted device");
        }
        return ids;
    }

    private Optional<ListedImage> listed(String targetPath) {
        return releases.listed(targetPath).map(Director::image);
    }

    private static ListedImage image(ReleaseView r) {
        // Releases made before the counter had a column of their own kept it in custom only.
        return new ListedImage(r.targetPath(), r.length(), Map.of("sha256", r.sha256()), r.hardwareIds(),
                r.releaseCounter() != null ? OptionalLong.of(r.releaseCounter())
                        : ListedImage.releaseCounterOf(r.customJson()));
    }

    /** The ECU an order is for and the release counter it last reported running. */
    private record Ecu(String id, OptionalLong installed) {
    }

    /** The device's own ECU (named by its id), else the first reported with its hardware id, else the device id. */
    private static Ecu primaryEcu(Device device) {
        Map<String, DeviceView.EcuView> ecus = DeviceAdministration.ecus(device.ecus());
        String id = ecus.containsKey(device.deviceId()) ? device.deviceId() : ecus.entrySet().stream()
                .filter(e -> device.hardwareId().equals(e.getValue().hardwareId())).map(Map.Entry::getKey)
                .findFirst().orElse(device.deviceId());
        DeviceView.EcuView ecu = ecus.get(id);
        OptionalLong installed = ecu == null || ecu.installed() == null || ecu.installed().releaseCounter() == null
                ? OptionalLong.empty() : OptionalLong.of(ecu.installed().releaseCounter());
        return new Ecu(id, installed);
    }

    private static void requirePath(String targetPath) {
        if (targetPath == null || targetPath.isBlank() || targetPath.length() > MAX_TARGET_PATH) {
            throw new DirectorFailure("assignment.invalid", ErrorKind.INVALID_INPUT,
                    "'targetPath' must be the path of a release, 1 to " + MAX_TARGET_PATH + " characters");
        }
    }

    private static String newActionId() {
        return "a-" + UUID.randomUUID();
    }

    private Instant now() {
        // TUF expiry has one-second resolution; signing at a whole second keeps stored and signed times equal.
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static DirectorDocument document(byte[] bytes, Instant signedAt) {
        return new DirectorDocument(bytes, signedAt, Bytes.of(bytes).sha256Hex());
    }
}
