package dev.ota.rollouts;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.director.RolloutOrder;
import dev.ota.director.RolloutOrderOutcome;
import dev.ota.director.Director;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.fleet.DeviceFilter;
import dev.ota.fleet.DeviceFilterQuery;
import dev.ota.fleet.DeviceReport;
import dev.ota.fleet.DeviceStatus;
import dev.ota.fleet.Device;
import dev.ota.rollout.Criticality;
import dev.ota.rollout.IllegalTransition;
import dev.ota.rollout.MaintenanceWindows;
import dev.ota.rollout.Retries;
import dev.ota.rollout.WindowRule;
import dev.ota.rollout.RolloutDefinition;
import dev.ota.rollout.RolloutMachine.Decision;
import dev.ota.rollout.RolloutMachine.RolloutState;
import dev.ota.rollout.RolloutMachine.RolloutStatus;
import dev.ota.rollout.RolloutMachine.Step;
import dev.ota.rollout.RolloutMachine.WaveState;
import dev.ota.rollout.RolloutMachine;
import dev.ota.rollout.WavePlanner;
import dev.ota.rollout.WaveTally;
import dev.ota.repository.Settings;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.logging.Logger;

/**
 * Rollouts as the management API drives them (device-api.md, "Management calls"; fleet.md, "Rollouts"): create,
 * submit, approve (four eyes, bound to the definition hash), start, pause, resume, cancel; read by auditors too.
 * Each command is RolloutMachine's decision on the stored state, written with a compare-and-set on the revision
 * and audited; each refusal is audited and changes nothing.
 */
@Stateless
public class Rollouts {
    /** How many rollouts a list shows, newest first. */
    public static final int LIST_LIMIT = 200;
    private static final Logger LOG = Logger.getLogger(Rollouts.class.getName());
    /** Action states a report no longer moves: the final ones, a retry waiting for its time (its failed attempt's
     * reports are behind it), and an order being withdrawn (its batch reads its reports, {@link #withdrawBatch}). */
    private static final List<String> CLOSED_TO_REPORTS = java.util.stream.Stream.concat(
            RolloutCounts.FINAL.stream(), java.util.stream.Stream.of(RolloutAction.RETRY_WAIT,
                    RolloutAction.WITHDRAWING)).sorted().toList();

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @EJB
    private Director director;

    @Inject
    private Clock clock;

    @Resource
    private SessionContext context;

    /** A new DRAFT rollout from a create request's JSON body; 400 {@code rollout.invalid} naming the field. */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public RolloutView create(byte[] body) {
        String actor = actor();
        try {
            RolloutDefinition d = RolloutRequests.definition(body);
            Instant now = now();
            String id = "r-" + UUID.randomUUID();
            RolloutState draft = RolloutState.draft(d);
            em.persist(new Rollout(id, d, draft, actor, now));
            for (int i = 0; i < draft.waves().size(); i++) {
                em.persist(new RolloutWave(id, i, draft.waves().get(i)));
            }
            em.flush();
            audit.record(actor, "rollout.create", id, Outcome.SUCCESS, "'" + d.name() + "', target '"
                    + d.targetPath() + "', definition " + d.hash());
            return view(em.find(Rollout.class, id));
        } catch (OtaException e) {
            audit.recordAttempt(actor, "rollout.create", "-", Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public RolloutView submit(String id) {
        return command(id, "rollout.submit", (r) -> RolloutMachine.submit(r.state));
    }

    /**
     * Four eyes: someone other than the creator approves the definition whose hash they were shown;
     * {@code shownHash} null approves the stored one (the definition cannot be edited after creation).
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public RolloutView approve(String id, String shownHash) {
        String actor = actor();
        return command(id, "rollout.approve", (r) -> RolloutMachine.approve(r.state, r.definition,
                r.row.createdBy(), actor, shownHash == null ? r.row.definitionHash() : shownHash));
    }

    /**
     * SCHEDULED to RUNNING: the waves are planned over the ACCEPTED devices the filter matches now (WavePlanner,
     * seeded with the rollout id), every member gets its action row, and the director signs the first batch of the
     * canary's orders in this transaction ({@link #orderScheduled} signs the rest after each tick). A device the
     * director would refuse is SKIPPED, so one ineligible device never refuses the start.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public RolloutView start(String id) {
        Instant now = now();
        return command(id, "rollout.start", (r) -> RolloutMachine.start(r.state, r.definition, now));
    }

    /** The ids of the running rollouts, for the scheduler's tick. */
    @PermitAll
    public List<String> running() {
        return em.createNamedQuery(Rollout.IDS_IN_STATE, String.class).setParameter("state", RolloutStatus.RUNNING.name())
                .getResultList();
    }

    /**
     * The scheduler's decision for one running rollout, in a transaction of its own: the actions take the state of
     * their devices' newest stored reports, the machine decides on the counts at the server's time, and its new
     * state is written with a compare-and-set (a lost race changes nothing; the next tick decides again) and its
     * steps carried out: the next wave started (its orders follow in {@link #orderScheduled}), withdrawals, audit
     * entries for ended waves and alerts. No person is signed in; the rollout's approval is the authority.
     */
    @PermitAll
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void tick(String id) {
        Rollout row = findLocked(id);
        List<RolloutWave> waves = waves(id);
        RolloutState state = row.state(waves.stream().map(RolloutWave::state).toList());
        if (state.status() != RolloutStatus.RUNNING) {
            return;
        }
        Instant now = now();
        RolloutDefinition d = row.definition();
        refreshFromReports(id, d, now);
        // Read again: taking in the reports cleared the persistence context (the row lock is the transaction's).
        row = em.find(Rollout.class, id);
        waves = waves(id);
        // Each of these reads only the actions it may act on: at 100,000 open actions, reading them all every
        // tick was most of its work.
        deferralAlerts(id, d, now);
        timeOut(id, d, now);
        retryDue(id, d, now);
        if (!d.isRollbackCampaign()) {
            join(row, d, state, now);
        }
        Decision decision = RolloutMachine.tick(d, state, tallies(id, waves.size()), now);
        if (decision.state().revision() == state.revision()) {
            return;
        }
        String actor = "rollout:" + id;
        write(row, state, decision.state(), waves, actor);
        carryOut(row, d, decision.steps(), now);
        for (Step step : decision.steps()) {
            if (step instanceof RolloutMachine.WaveEnded ended) {
                audit.record(actor, "rollout.wave-ended", id, Outcome.SUCCESS, "wave " + ended.wave() + " "
                        + ended.status());
            } else if (step instanceof RolloutMachine.Alert alert) {
                LOG.warning(() -> "rollout " + id + ": " + alert.code() + ": " + alert.message());
                audit.record(actor, alert.code(), id, Outcome.SUCCESS, alert.message());
            }
        }
        audit.record(actor, "rollout.tick", id, Outcome.SUCCESS, state.status() + " -> "
                + decision.state().status() + ", revision " + decision.state().revision());
    }

    /**
     * Orders the next {@link Settings#rolloutOrderBatch} SCHEDULED members of the running rollout's started waves
     * (canary and waves that started: members planned with them, devices that joined them), in a transaction of its
     * own after the rollout's row lock, so ticks and commands take turns with it as with each other. A wave is
     * ordered batch by batch: one transaction holding a whole wave made every order's flush walk every order before
     * it (O(n^2): a wave of 6,000 never committed inside the transaction timeout). SCHEDULED to ASSIGNED (or SKIPPED)
     * is the progress: a batch cut by a restart is ordered again by whichever server ticks next, and one that rolled
     * back is ordered by the scheduler device by device ({@link #orderOne}), a device whose own ordering fails
     * SKIPPED ({@link #skipUnorderable}). A paused or cancelled rollout orders nothing more.
     *
     * @return whether the batch was full, so more members may be waiting
     */
    @PermitAll
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean orderScheduled(String id) {
        Rollout row = findLocked(id);
        List<RolloutWave> waves = waves(id);
        RolloutState state = row.state(waves.stream().map(RolloutWave::state).toList());
        return state.status() == RolloutStatus.RUNNING && orderBatch(id, row.definition(), state.waveStatuses(), now());
    }

    /**
     * The row ids of the members {@link #orderScheduled}'s next batch orders, in its order; none when the rollout is
     * not running. For the scheduler when a batch rolled back: it then orders them one by one ({@link #orderOne}).
     */
    @PermitAll
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<Long> nextBatch(String id) {
        Rollout row = find(id);
        RolloutState state = row.state(waves(id).stream().map(RolloutWave::state).toList());
        return state.status() != RolloutStatus.RUNNING ? List.of()
                : scheduledBatch(id, state.waveStatuses()).stream().map(RolloutAction::id).toList();
    }

    /**
     * One member of a batch that rolled back, ordered in a transaction of its own after the rollout's row lock, as
     * {@link #orderScheduled} would have (a device a heavier rollout holds or the director refuses is SKIPPED). The
     * scheduler's fallback: a device whose ordering throws (its stored data unreadable, a signing error) rolls back
     * only its own transaction, and the others of its batch are ordered. Nothing when the rollout no longer runs or
     * the member is no longer waiting in a started wave.
     */
    @PermitAll
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void orderOne(String id, long actionRowId) {
        Rollout row = findLocked(id);
        RolloutState state = row.state(waves(id).stream().map(RolloutWave::state).toList());
        RolloutAction a = waitingMember(id, state, actionRowId);
        if (a != null) {
            orderMembers(id, row.definition(), List.of(a), false, now());
        }
    }

    /**
     * A member whose own ordering transaction ({@link #orderOne}) failed becomes SKIPPED, no member of its wave, so
     * it no longer holds the wave (WaveTally.unordered) and the rollout goes on; audited ({@code
     * rollout.device-skipped}, FAILED) with {@code error}, the failure's class and message. In a transaction of its
     * own after the rollout's row lock; whether it was skipped (not when the rollout no longer runs or the member
     * was ordered or ended meanwhile).
     */
    @PermitAll
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean skipUnorderable(String id, long actionRowId, String error) {
        Rollout row = findLocked(id);
        RolloutState state = row.state(waves(id).stream().map(RolloutWave::state).toList());
        RolloutAction a = waitingMember(id, state, actionRowId);
        if (a == null) {
            return false;
        }
        a.skipped(now());
        audit.record("rollout:" + id, "rollout.device-skipped", id, Outcome.FAILED, "device " + a.deviceId()
                + " not ordered: its ordering failed: " + error);
        return true;
    }

    /** The action if it is still a SCHEDULED member of a started wave of this running rollout; else null. */
    private RolloutAction waitingMember(String id, RolloutState state, long actionRowId) {
        RolloutAction a = em.find(RolloutAction.class, actionRowId);
        return state.status() == RolloutStatus.RUNNING && a != null && a.rolloutId().equals(id)
                && RolloutAction.SCHEDULED.equals(a.state())
                && state.waveStatuses().get(a.waveIndex()) != RolloutMachine.WaveStatus.PENDING ? a : null;
    }

    /** One batch of {@link #orderScheduled}; whether it was full. */
    private boolean orderBatch(String id, RolloutDefinition d, List<RolloutMachine.WaveStatus> statuses, Instant now) {
        List<RolloutAction> members = scheduledBatch(id, statuses);
        orderMembers(id, d, members, false, now);
        return members.size() == Settings.rolloutOrderBatch();
    }

    /** The next {@link Settings#rolloutOrderBatch} SCHEDULED members of the started waves, by device id. */
    private List<RolloutAction> scheduledBatch(String id, List<RolloutMachine.WaveStatus> statuses) {
        // A failed wave's members too: the rollout runs again only once the operator resumed it ("go on regardless").
        List<Integer> started = new ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            if (statuses.get(i) != RolloutMachine.WaveStatus.PENDING) {
                started.add(i);
            }
        }
        if (started.isEmpty()) {
            return List.of();
        }
        return em.createNamedQuery(RolloutAction.SCHEDULED_IN_WAVES, RolloutAction.class).setParameter("rolloutId", id)
                .setParameter("waves", started).setMaxResults(Settings.rolloutOrderBatch()).getResultList();
    }

    /**
     * Moves each open action whose device's newest report of it is news to that report's state (fleet.md's action
     * states). A retryable failure ({@code download:}, {@code timeout:}) with attempts left goes to RETRY_WAIT with
     * its next attempt's time from {@link Retries#nextAttemptAt} (exponential backoff, jittered); otherwise it is
     * final. One statement reads only the news: the actions' own reports, the newest of each, where its state differs
     * from the action's (or a waiting spell has no start yet). Reading every report of every open action, 500 actions
     * a query, took a tick past the transaction timeout at 100,000 open actions once most had reported, and the next
     * tick started over. The changes are written and the persistence context cleared before the caller goes on, so
     * its later statements do not flush the actions taken in.
     */
    private void refreshFromReports(String id, RolloutDefinition d, Instant now) {
        List<Object[]> news = em.createQuery("SELECT a, r FROM RolloutAction a, DeviceReport r "
                        + "WHERE a.rolloutId = :rolloutId AND a.actionId IS NOT NULL AND a.state NOT IN :closed "
                        // The action id is the director's, unique per order; the device id keeps another device's
                        // report of it (which the fleet would not store) from ever counting.
                        + "AND r.actionId = a.actionId AND r.deviceId = a.deviceId "
                        + "AND NOT EXISTS (SELECT n.id FROM DeviceReport n WHERE n.deviceId = r.deviceId "
                        + "AND n.actionId = r.actionId AND n.seq > r.seq) "
                        + "AND (r.state <> a.state OR (a.waitingSince IS NULL AND a.state IN :waiting))",
                        Object[].class)
                // Reports are the devices', never changed here.
                .setFlushMode(FlushModeType.COMMIT)
                .setParameter("rolloutId", id).setParameter("closed", CLOSED_TO_REPORTS)
                .setParameter("waiting", RolloutAction.WAITING).getResultList();
        for (Object[] pair : news) {
            RolloutAction a = (RolloutAction) pair[0];
            DeviceReport r = (DeviceReport) pair[1];
            String failureClass = RolloutCounts.FAILED.contains(r.state()) ? RolloutCounts.failureClass(r.detail())
                    : null;
            a.reported(r.state(), failureClass, now);
            if (RolloutAction.FAILED.equals(r.state()) && failureClass != null && Retries.retryable(failureClass)) {
                retryOrFail(a, d, failureClass, now);
            }
        }
        refusalsOfUnverifiedOrders(id, now);
        em.flush();
        em.clear();
    }

    /**
     * Orders the device never acknowledged but whose director metadata it refused as an attack, filing the refusal
     * under an action id of its own because it could trust none in what it was served (RolloutCounts.mayRefuseOrder):
     * the order is REFUSED with that class, so the alarm pauses the rollout at once. One statement: ASSIGNED actions
     * with no report of their own and a REFUSED {@code director-} report of their device received since the order
     * was signed; refusals are rare.
     */
    private void refusalsOfUnverifiedOrders(String id, Instant now) {
        List<Object[]> refusals = em.createQuery("SELECT a, r FROM RolloutAction a, DeviceReport r "
                        + "WHERE a.rolloutId = :rolloutId AND a.state = :assigned AND a.assignedAt IS NOT NULL "
                        + "AND r.deviceId = a.deviceId AND r.state = 'REFUSED' AND r.receivedAt >= a.assignedAt "
                        + "AND r.actionId LIKE :unverified AND NOT EXISTS (SELECT n.id FROM DeviceReport n "
                        + "WHERE n.deviceId = a.deviceId AND n.actionId = a.actionId) ORDER BY r.id", Object[].class)
                .setFlushMode(FlushModeType.COMMIT)
                .setParameter("rolloutId", id).setParameter("assigned", RolloutAction.ASSIGNED)
                .setParameter("unverified", RolloutCounts.UNVERIFIED_DIRECTOR_PREFIX + "%").getResultList();
        for (Object[] pair : refusals) {
            RolloutAction a = (RolloutAction) pair[0];
            DeviceReport r = (DeviceReport) pair[1];
            // An earlier refusal of the same device in this loop already ended the action.
            if (!RolloutAction.ASSIGNED.equals(a.state()) || !RolloutCounts.mayRefuseOrder(r.state(), r.detail(),
                    r.actionId(), r.reportedAt(), r.receivedAt(), a.actionId(), a.assignedAt())
                    || issuedTo(r.deviceId(), r.actionId())) {
                continue;
            }
            a.reported(r.state(), RolloutCounts.failureClass(r.detail()), now);
            // Final, so withdrawn as a timed out order is: once the attack stops the device would otherwise
            // verify the same order and install it uncounted, even after the operator cancelled the rollout.
            director.cancelForRollout(id, Map.of(a.deviceId(), a.actionId()));
            audit.record("rollout:" + id, "rollout.refusal-counted", id, Outcome.FAILED, "device " + r.deviceId()
                    + " refused the director metadata of action " + a.actionId() + " (its report " + r.actionId()
                    + "#" + r.seq() + "): " + r.detail());
        }
    }

    /** Whether the director ever gave {@code deviceId} an order under {@code actionId} (its order table, read as data). */
    private boolean issuedTo(String deviceId, String actionId) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM director_assignment WHERE device_id = ?1 "
                + "AND action_id = ?2").setParameter(1, deviceId).setParameter(2, actionId).getSingleResult())
                .longValue() > 0;
    }

    /**
     * fleet.md, "Criticality": waiting devices are not failures; past the maximum deferral the operator is alerted
     * (audit entry {@code rollout.deferral-alert} and the server log), once per waiting spell, and the device is
     * never forced.
     */
    private void deferralAlerts(String id, RolloutDefinition d, Instant now) {
        for (RolloutAction a : em.createQuery("SELECT a FROM RolloutAction a WHERE a.rolloutId = :rolloutId "
                        + "AND a.state IN :waiting AND a.waitingSince <= :due AND (a.deferralAlertedAt IS NULL "
                        + "OR a.deferralAlertedAt < a.waitingSince) ORDER BY a.deviceId", RolloutAction.class)
                .setParameter("rolloutId", id).setParameter("waiting", RolloutAction.WAITING)
                .setParameter("due", now.minus(d.installRule().maxDeferral())).getResultList()) {
            if (Criticality.alertDue(d.installRule(), a.waitingSince(), a.deferralAlertedAt(), now)) {
                String message = "device " + a.deviceId() + " has waited (" + a.state() + ") since " + a.waitingSince()
                        + ", past the maximum deferral of " + d.installRule().maxDeferral().toDays()
                        + " days; it is not forced";
                LOG.warning(() -> "rollout " + id + ": rollout.deferral-alert: " + message);
                audit.record("rollout:" + id, "rollout.deferral-alert", id, Outcome.SUCCESS, message);
                a.deferralAlerted(now);
            }
        }
    }

    /** A retryable failure of the action's attempt: RETRY_WAIT until the backoff has passed, or final. */
    private void retryOrFail(RolloutAction a, RolloutDefinition d, String failureClass, Instant now) {
        Optional<Instant> next = Retries.nextAttemptAt(d.retry(), failureClass, Math.max(1, a.attempt()), now,
                ThreadLocalRandom.current());
        if (next.isPresent()) {
            a.retryWait(failureClass, next.get(), now);
        } else if (failureClass.equals("timeout:")) {
            a.timedOut(now);
        } else {
            a.failedFinally(now);
        }
    }

    /**
     * Open attempts that used up the retry policy's timeout in open-window time (fleet.md: "Timeouts count only
     * open-window time"; the windows of the rollout in the device's zone) fail with {@code timeout:}, which is
     * retried like a download failure. Installing devices are left to finish and report; devices waiting on their
     * own state (WAITING_DEVICE) are not timed out. Spans a device spent critical before it reported waiting are
     * not subtracted yet (the service keeps no history of device states). At most a batch per tick
     * ({@link Settings#rolloutOrderBatch}): a withdrawal is a signing that flushes the tick's whole context, and
     * when a wave's offline tenth times out at once the rest wait a tick or more rather than the tick never ending.
     */
    private void timeOut(String id, RolloutDefinition d, Instant now) {
        int left = Settings.rolloutOrderBatch();
        // Open-window time is at most the time since the order, so older orders are the only candidates. A device
        // waiting because it reports busy or critical is not slow (fleet.md: waiting devices are not failures); its
        // wait is the operator's to see past the maximum deferral, never a timeout.
        List<String> notTimed = new ArrayList<>(CLOSED_TO_REPORTS);
        notTimed.addAll(RolloutAction.INSTALLING);
        notTimed.add("WAITING_DEVICE");
        for (RolloutAction a : em.createQuery("SELECT a FROM RolloutAction a WHERE a.rolloutId = :rolloutId "
                        + "AND a.actionId IS NOT NULL AND a.assignedAt <= :cutoff AND a.state NOT IN :notTimed "
                        + "ORDER BY a.deviceId", RolloutAction.class)
                .setParameter("rolloutId", id).setParameter("cutoff", now.minus(d.retry().timeout()))
                .setParameter("notTimed", notTimed).getResultList()) {
            if (left == 0) {
                return;
            }
            if (Retries.timedOut(d.retry(), d.windows(), zone(d, a.deviceId()), a.assignedAt(), now, List.of())) {
                left--;
                retryOrFail(a, d, "timeout:", now);
                if (!RolloutAction.RETRY_WAIT.equals(a.state())) {
                    // Final: the order is withdrawn, so the device does not install later, uncounted.
                    director.cancelForRollout(id, Map.of(a.deviceId(), a.actionId()));
                }
            }
        }
    }

    /**
     * RETRY_WAIT actions whose time has come get their next attempt: a new signed order, attempt + 1, ordered as one
     * batch; at most a batch per tick ({@link Settings#rolloutOrderBatch}), so a tick stays short however many fall
     * due at once; the others are due at the next tick.
     */
    private void retryDue(String id, RolloutDefinition d, Instant now) {
        orderAtDirector(id, d, em.createQuery("SELECT a FROM RolloutAction a WHERE a.rolloutId = :rolloutId "
                        + "AND a.state = :retryWait AND a.retryAt <= :now ORDER BY a.deviceId", RolloutAction.class)
                .setParameter("rolloutId", id).setParameter("retryWait", RolloutAction.RETRY_WAIT)
                .setParameter("now", now).setMaxResults(Settings.rolloutOrderBatch()).getResultList(),
                a -> a.attempt() + 1, a -> { }, now);
    }

    /**
     * Orders the actions' devices through the director in one batch ({@link Director#assignForRollout}), attempt
     * {@code attempt} each; {@code beforeAssigned} runs for each action the director signed, before the action
     * takes its order. A device the director refused (decommissioned, another hardware id, the release withdrawn)
     * makes its action SKIPPED (no member of its wave), and why is recorded: one ineligible device must not fail
     * the batch, which would stop the whole rollout. The joiner scan then knows the device and does not try it
     * again.
     */
    private void orderAtDirector(String id, RolloutDefinition d, List<RolloutAction> actions,
                                 ToIntFunction<RolloutAction> attempt, Consumer<RolloutAction> beforeAssigned,
                                 Instant now) {
        if (actions.isEmpty()) {
            return;
        }
        Map<String, RolloutAction> byDevice = new HashMap<>();
        List<RolloutOrder> orders = new ArrayList<>();
        for (RolloutAction a : actions) {
            byDevice.put(a.deviceId(), a);
            orders.add(new RolloutOrder(a.deviceId(), attempt.applyAsInt(a)));
        }
        for (RolloutOrderOutcome o : director.assignForRollout(id, orders, d.targetPath(), d.windows(),
                d.installRule())) {
            RolloutAction a = byDevice.get(o.deviceId());
            if (o.refused()) {
                a.skipped(now);
                audit.record("rollout:" + id, "rollout.device-skipped", id, Outcome.FAILED, "device " + a.deviceId()
                        + " not ordered: " + o.refusal());
                continue;
            }
            beforeAssigned.accept(a);
            a.assigned(o.assignment().actionId(), o.assignment().attempt(), now);
        }
    }

    /**
     * Devices that enrolled or started to match the filter since the rollout started join it (fleet.md): the
     * wave WavePlanner.placeJoiner names, SCHEDULED there, so {@link #orderScheduled} orders them right after this
     * tick when that wave is active, otherwise once it starts.
     */
    private void join(Rollout row, RolloutDefinition d, RolloutState state, Instant now) {
        OtherRollouts others = new OtherRollouts(em, row.id());
        for (Object[] matching : acceptedMatching(d, row.id())) {
            String deviceId = (String) matching[0];
            // A device a rollout of equal or higher weight holds joins once it is free.
            if (!WavePlanner.takes(d.weight(), others.weightOn(deviceId))) {
                continue;
            }
            OptionalInt wave = WavePlanner.placeJoiner(row.id(), deviceId, d.waves(), state.waveStatuses());
            if (wave.isEmpty()) {
                continue;
            }
            em.persist(new RolloutAction(row.id(), wave.getAsInt(), deviceId, now));
            audit.record("rollout:" + row.id(), "rollout.device-joined", row.id(), Outcome.SUCCESS, "device "
                    + deviceId + " joined wave " + wave.getAsInt());
        }
    }

    /**
     * The ACCEPTED devices the rollout's filter matches now, in id order, as (device id, reported state): the
     * fleet's filter as a query of this service's own, for the plan and the joiners alike. Two columns rather than
     * the inventory's pages of whole devices (tags, attributes, ECUs): planning 100,000 devices read them all into
     * the start's transaction, and every flush after walked them. The scheduler runs as no person, and the
     * inventory's reads are for people with a role.
     */
    private List<Object[]> acceptedMatching(RolloutDefinition d, String notInRollout) {
        DeviceFilterQuery q = DeviceFilterQuery.of(DeviceFilter.fromJson(d.filter()));
        // The joiner scan asks the database for the devices the rollout has no row of: at 100,000 members, reading
        // every member's and every matching device's id each tick was a large part of it.
        jakarta.persistence.TypedQuery<Object[]> query = em.createQuery("SELECT d.deviceId, d.state FROM Device d "
                + "WHERE " + q.where() + " AND d.status = :accepted" + (notInRollout == null ? ""
                : " AND NOT EXISTS (SELECT a.id FROM RolloutAction a WHERE a.rolloutId = :rolloutId "
                + "AND a.deviceId = d.deviceId)") + " ORDER BY d.deviceId", Object[].class);
        q.params().forEach(query::setParameter);
        if (notInRollout != null) {
            query.setParameter("rolloutId", notInRollout);
        }
        return query.setParameter("accepted", DeviceStatus.ACCEPTED).getResultList();
    }

    /** The zone the rollout's windows are read in for a device: only rules in "the device's own" zone need it. */
    private ZoneId zone(RolloutDefinition d, String deviceId) {
        if (d.windows().stream().noneMatch(w -> w.timeZone().equals(WindowRule.DEVICE_ZONE))) {
            return ZoneOffset.UTC;
        }
        Device device = em.find(Device.class, deviceId);
        return device == null ? ZoneOffset.UTC : MaintenanceWindows.deviceZone(device.attributes());
    }

    /**
     * The tick's {@link #carryOut}: a wave it starts is ordered by {@link #orderScheduled}, which the scheduler runs
     * right after each tick, in transactions of its own. Ordered here, one device whose ordering throws rolled back
     * the whole tick, the wave's start with it, at every tick again: the rollout stopped for good.
     */
    private void carryOut(Rollout row, RolloutDefinition d, List<Step> steps, Instant now) {
        carryOut(row, d, steps, now, false);
    }

    /**
     * Carries out the steps of a decision that was just written, in its transaction; {@code orderFirstBatch}: an
     * operator's command (start, resume) orders the first batch of a wave it starts at once.
     */
    private void carryOut(Rollout row, RolloutDefinition d, List<Step> steps, Instant now, boolean orderFirstBatch) {
        for (Step step : steps) {
            if (step instanceof RolloutMachine.StartWave start) {
                if (start.wave() == 0) {
                    plan(row, d, now);
                }
                if (!orderFirstBatch) {
                    continue;
                }
                // The decision is written (flush); what the tick or command read (every open action, the plan's
                // rows) leaves the context, or each order of the first batch would flush all of it again.
                em.flush();
                em.clear();
                orderBatch(row.id(), d, waves(row.id()).stream().map(w -> w.state().status()).toList(), now);
            } else if (step instanceof RolloutMachine.CancelOpenActions) {
                cancelOpen(row.id(), d, now);
            } else if (step instanceof RolloutMachine.StartRollbackCampaign rollback) {
                startRollbackCampaign(row, d, now);
            } else if (step instanceof RolloutMachine.RetryFailedActions) {
                retryFailedActions(row.id(), d, now);
            }
        }
    }

    /**
     * fleet.md, "cancel": devices not yet installing get an empty signed assignment (when this rollout's order is
     * still the one in force), installing ones finish and report; devices of waves not yet started are never
     * ordered. The actions' states are brought up to date from the reports first, so "installing" is current. The
     * orders to withdraw become WITHDRAWING in one statement and the first batch is withdrawn here;
     * {@link #withdrawCancelled} withdraws the rest after each tick, batch by batch, as waves are ordered too. One
     * transaction signing 100,000 withdrawals (about 1.4 ms each) ran past the transaction timeout, so such a
     * rollout could not be cancelled at all.
     */
    private void cancelOpen(String id, RolloutDefinition d, Instant now) {
        refreshFromReports(id, d, now);
        List<String> kept = new ArrayList<>(RolloutCounts.FINAL);
        kept.addAll(RolloutAction.INSTALLING);
        em.createQuery("UPDATE RolloutAction a SET a.state = 'CANCELED', a.updatedAt = :at WHERE a.rolloutId = :id "
                + "AND a.state = 'SCHEDULED'").setParameter("at", now).setParameter("id", id).executeUpdate();
        em.createQuery("UPDATE RolloutAction a SET a.state = :withdrawing, a.updatedAt = :at WHERE a.rolloutId = :id "
                + "AND a.actionId IS NOT NULL AND a.state NOT IN :kept")
                .setParameter("withdrawing", RolloutAction.WITHDRAWING).setParameter("at", now)
                .setParameter("id", id).setParameter("kept", kept).executeUpdate();
        withdrawBatch(id, now);
    }

    /** The ended (cancelled or halted) rollouts with orders still to withdraw, for the scheduler. */
    @PermitAll
    public List<String> withdrawing() {
        return em.createQuery("SELECT r.id FROM Rollout r WHERE r.state IN :ended AND EXISTS (SELECT a.id FROM "
                        + "RolloutAction a WHERE a.rolloutId = r.id AND a.state = :withdrawing) ORDER BY r.id", String.class)
                .setParameter("ended", List.of(RolloutStatus.CANCELED.name(), RolloutStatus.HALTED.name()))
                .setParameter("withdrawing", RolloutAction.WITHDRAWING).getResultList();
    }

    /**
     * Withdraws the next {@link Settings#rolloutOrderBatch} orders of a cancelled or halted rollout (see
     * {@link #cancelOpen}), in a transaction of its own after the rollout's row lock, like {@link #orderScheduled}.
     *
     * @return whether the batch was full, so more may be waiting
     */
    @PermitAll
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean withdrawCancelled(String id) {
        findLocked(id);
        return withdrawBatch(id, now());
    }

    /** One batch of withdrawals; whether it was full. */
    private boolean withdrawBatch(String id, Instant now) {
        int batch = Settings.rolloutOrderBatch();
        List<RolloutAction> due = em.createQuery("SELECT a FROM RolloutAction a WHERE a.rolloutId = :rolloutId "
                        + "AND a.state = :withdrawing ORDER BY a.deviceId", RolloutAction.class)
                .setParameter("rolloutId", id).setParameter("withdrawing", RolloutAction.WITHDRAWING)
                .setMaxResults(batch).getResultList();
        Map<String, DeviceReport> newest = newestReports(due);
        Map<String, String> withdraw = new HashMap<>();
        for (RolloutAction a : due) {
            // Read at the batch, not only at the cancel: at 100,000 orders the last batch comes minutes later, and a
            // device that started installing meanwhile finishes (the agent ignores a withdrawal while installing).
            DeviceReport r = newest.get(a.actionId());
            if (r != null && (RolloutAction.INSTALLING.contains(r.state()) || RolloutCounts.FINAL.contains(r.state()))) {
                a.reported(r.state(), RolloutCounts.FAILED.contains(r.state()) ? RolloutCounts.failureClass(r.detail())
                        : null, now);
                if (RolloutCounts.GOT_THE_RELEASE.contains(r.state())) {
                    joinRollbackCampaign(id, a.deviceId(), now);
                }
                continue;
            }
            withdraw.put(a.deviceId(), a.actionId());
            a.canceled(now);
        }
        director.cancelForRollout(id, withdraw);
        return due.size() == batch;
    }

    /** The newest report of each of these actions by its own device, by action id. */
    private Map<String, DeviceReport> newestReports(List<RolloutAction> actions) {
        Map<String, String> deviceOf = new java.util.HashMap<>();
        actions.forEach(a -> deviceOf.put(a.actionId(), a.deviceId()));
        Map<String, DeviceReport> newest = new java.util.HashMap<>();
        if (actions.isEmpty()) {
            return newest;
        }
        for (DeviceReport r : em.createQuery("SELECT r FROM DeviceReport r WHERE r.actionId IN :ids ORDER BY r.seq",
                DeviceReport.class).setFlushMode(FlushModeType.COMMIT)
                .setParameter("ids", List.copyOf(deviceOf.keySet())).getResultList()) {
            if (r.deviceId().equals(deviceOf.get(r.actionId()))) {
                newest.put(r.actionId(), r);
            }
        }
        return newest;
    }

    /**
     * A device of a halted rollout that got the bad release after the halt chose the rollback campaign's devices
     * (it was still being withdrawn) joins the campaign's wave, which orders it back like the others.
     */
    private void joinRollbackCampaign(String id, String deviceId, Instant now) {
        String childId = id + "-rb";
        Rollout child = em.find(Rollout.class, childId);
        if (child == null || em.createQuery("SELECT COUNT(a) FROM RolloutAction a WHERE a.rolloutId = :child "
                + "AND a.deviceId = :device", Long.class).setParameter("child", childId)
                .setParameter("device", deviceId).getSingleResult() > 0) {
            return;
        }
        RolloutStatus status = child.state(waves(childId).stream().map(RolloutWave::state).toList()).status();
        if (status == RolloutStatus.RUNNING || status == RolloutStatus.PAUSED) {
            em.persist(new RolloutAction(childId, 1, deviceId, now));
            audit.record("rollout:" + id, "rollout.device-joined", childId, Outcome.SUCCESS, "device " + deviceId
                    + " installed the release after the halt and joined the rollback campaign");
        } else {
            audit.record("rollout:" + id, "rollout.rollback-missed", childId, Outcome.FAILED, "device " + deviceId
                    + " installed the release after the halt; the rollback campaign is " + status
                    + ", so it is not rolled back");
        }
    }

    /**
     * Works through these actions {@link Settings#rolloutOrderBatch} at a time in the caller's transaction, the
     * persistence context written and cleared before each batch: every signing flushes the whole context, so a
     * retry of a wave of thousands in one growing context cost O(n^2) (see {@link #orderScheduled}; a cancel withdraws
     * in batches of their own, {@link #withdrawCancelled}).
     * Entities the caller read are detached afterwards; callers only record audit entries after it.
     */
    private void inBatches(List<Long> actionIds, Consumer<List<RolloutAction>> work) {
        int batch = Settings.rolloutOrderBatch();
        for (int i = 0; i < actionIds.size(); i += batch) {
            em.flush();
            em.clear();
            work.accept(em.createQuery("SELECT a FROM RolloutAction a WHERE a.id IN :ids ORDER BY a.deviceId",
                    RolloutAction.class).setParameter("ids", actionIds.subList(i, Math.min(actionIds.size(), i + batch)))
                    .getResultList());
        }
    }

    /**
     * Every finally failed, timed out or rolled back action: a new signed attempt (see {@link #retryFailed}). The
     * lighter rollouts holding any of these devices are locked once, in the global weight order, before the first
     * batch: each batch's {@link #orderMembers} locks only its own devices' holders, so batch by batch two heavy
     * rollouts retrying at once could lock the same lighter rows in opposite orders and deadlock. orderMembers then
     * finds them locked already.
     */
    private void retryFailedActions(String id, RolloutDefinition d, Instant now) {
        List<RolloutAction> failed = em.createQuery("SELECT a FROM RolloutAction a WHERE a.rolloutId = :rolloutId "
                + "AND a.state IN :retried ORDER BY a.deviceId", RolloutAction.class).setParameter("rolloutId", id)
                .setParameter("retried", RolloutCounts.RETRIED_BY_HAND).getResultList();
        OtherRollouts others = new OtherRollouts(em, id);
        lockLighterHolders(others, d, others.openOn(failed.stream().map(RolloutAction::deviceId).toList()));
        inBatches(failed.stream().map(RolloutAction::id).toList(), batch -> orderMembers(id, d, batch, true, now));
    }

    /**
     * fleet.md, "On trip: ROLLBACK": a child rollout that assigns the named rollback release (a re-release of the old
     * bytes with a higher release counter, signed by the release role) to every device that got the bad one, i.e.
     * whose action reached INSTALLING or later; no canary, all at once. It runs on the parent's approval (the
     * rollback release's own signature is the permission, fleet.md decision 3) and pauses on its own trip: a
     * rollback never triggers another rollback ({@link RolloutDefinition#rollbackCampaign}). Its id is the
     * parent's with {@code -rb}, so a decision carried out twice creates it once.
     */
    private void startRollbackCampaign(Rollout parent, RolloutDefinition d, Instant now) {
        String childId = parent.id() + "-rb";
        if (em.find(Rollout.class, childId) != null) {
            return;
        }
        RolloutDefinition campaign = d.rollbackCampaign(parent.id());
        List<String> got = em.createQuery("SELECT a.deviceId FROM RolloutAction a WHERE a.rolloutId = :rolloutId "
                + "AND a.state IN :got ORDER BY a.deviceId", String.class).setParameter("rolloutId", parent.id())
                .setParameter("got", RolloutCounts.GOT_THE_RELEASE).getResultList();
        String actor = "rollout:" + parent.id();
        RolloutState draft = RolloutState.draft(campaign);
        List<WaveState> waves = new ArrayList<>(draft.waves());
        // The empty canary is active at once and passes on the next tick, which orders wave 1: every device.
        waves.set(0, new WaveState(RolloutMachine.WaveStatus.ACTIVE, now, null, null));
        RolloutState running = new RolloutState(RolloutStatus.RUNNING, 1, campaign.hash(), actor, waves, 0, 0);
        em.persist(new Rollout(childId, campaign, running, actor, now));
        for (int i = 0; i < waves.size(); i++) {
            em.persist(new RolloutWave(childId, i, waves.get(i)));
        }
        for (String deviceId : got) {
            em.persist(new RolloutAction(childId, 1, deviceId, now));
        }
        em.flush();
        audit.record(actor, "rollout.rollback-started", childId, Outcome.SUCCESS, "rollback campaign of "
                + parent.id() + " to '" + campaign.targetPath() + "' for " + got.size() + " device(s)");
    }

    /** Freezes the plan: one action row per member of each wave, SCHEDULED until its wave starts. */
    private void plan(Rollout row, RolloutDefinition d, Instant now) {
        OtherRollouts others = new OtherRollouts(em, row.id());
        List<WavePlanner.Candidate> candidates = new ArrayList<>();
        for (Object[] matching : acceptedMatching(d, null)) {
            String deviceId = (String) matching[0];
            candidates.add(new WavePlanner.Candidate(deviceId, "critical".equals(matching[1]),
                    others.weightOn(deviceId)));
        }
        WavePlanner.Plan plan = WavePlanner.plan(row.id(), d, candidates);
        if (!plan.leftOut().isEmpty()) {
            // They join later, once free (join); the rollouts holding them keep them meanwhile.
            audit.record("rollout:" + row.id(), "rollout.devices-left-out", row.id(), Outcome.SUCCESS,
                    plan.leftOut().size() + " device(s) held by rollouts of equal or higher weight, e.g. "
                            + plan.leftOut().get(0));
        }
        for (int i = 0; i < plan.waves().size(); i++) {
            for (String deviceId : plan.waves().get(i)) {
                em.persist(new RolloutAction(row.id(), i, deviceId, now));
            }
        }
        em.flush();
    }

    /**
     * Orders of members, first ones or the operator's retries of failed ones (fleet.md, "Operator controls": a weight
     * so one urgent rollout supersedes another for the same devices). A device an equal or heavier rollout holds
     * stays that rollout's: a first order's action is SKIPPED (no member), a retried one stays as it was (its failure
     * counted), both audited. A device the director would not order is SKIPPED and left to whichever rollout holds
     * it. Otherwise an open action of a lighter rollout on the device becomes SUPERSEDED (audited), and this
     * rollout's order replaces its order at the director.
     */
    private void orderMembers(String id, RolloutDefinition d, List<RolloutAction> members, boolean retries,
                              Instant now) {
        if (members.isEmpty()) {
            return;
        }
        OtherRollouts others = new OtherRollouts(em, id);
        Map<String, List<RolloutAction>> held = others.openOn(members.stream().map(RolloutAction::deviceId).toList());
        // Before any audit entry: an entry takes the audit chain's head, which a lighter rollout's tick, holding its
        // own row, may be waiting for.
        lockLighterHolders(others, d, held);
        List<RolloutAction> taken = new ArrayList<>();
        for (RolloutAction a : members) {
            OptionalInt heaviest = held.getOrDefault(a.deviceId(), List.of()).stream()
                    .mapToInt(o -> others.weightOf(o.rolloutId())).max();
            if (!WavePlanner.takes(d.weight(), heaviest)) {
                if (!retries) {
                    a.skipped(now);
                }
                audit.record("rollout:" + id, retries ? "rollout.device-not-retried" : "rollout.device-skipped", id,
                        Outcome.FAILED, "device " + a.deviceId() + " not ordered: a rollout of weight "
                                + heaviest.getAsInt() + " holds it");
                continue;
            }
            taken.add(a);
        }
        // A lighter rollout's order is superseded only once the director signed this one: a device this one cannot
        // order stays the lighter one's, counted there and withdrawn by its cancel.
        orderAtDirector(id, d, taken, a -> retries ? a.attempt() + 1 : 1, a -> {
            for (RolloutAction o : held.getOrDefault(a.deviceId(), List.of())) {
                // Read again after the lock: a report the lighter rollout's tick took meanwhile may have ended it.
                em.refresh(o);
                if (RolloutCounts.FINAL.contains(o.state())) {
                    continue;
                }
                o.superseded(now);
                audit.record("rollout:" + id, "rollout.device-superseded", o.rolloutId(), Outcome.SUCCESS, "device "
                        + a.deviceId() + " taken by rollout " + id + " of weight " + d.weight() + " from action "
                        + o.actionId());
            }
        }, now);
    }

    /**
     * Locks the lighter rollouts' rows (their ticks and commands take turns with the supersede, as with their own
     * commands) in one global order, weight descending then id, before any device is ordered: the caller's own row,
     * locked first, is heavier than all of them, so two rollouts superseding overlapping lighter ones cannot each
     * hold a row the other waits for.
     */
    private void lockLighterHolders(OtherRollouts others, RolloutDefinition d, Map<String, List<RolloutAction>> held) {
        lockInWeightOrder(others, held.values().stream().flatMap(List::stream).map(RolloutAction::rolloutId).distinct()
                .filter(r -> WavePlanner.takes(d.weight(), OptionalInt.of(others.weightOf(r)))).toList());
    }

    private void lockInWeightOrder(OtherRollouts others, List<String> rolloutIds) {
        rolloutIds.stream().sorted(java.util.Comparator.comparingInt((String r) -> -others.weightOf(r))
                        .thenComparing(java.util.Comparator.naturalOrder()))
                .forEach(r -> em.find(Rollout.class, r, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE));
    }

    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public RolloutView pause(String id) {
        return command(id, "rollout.pause", (r) -> RolloutMachine.pause(r.state));
    }

    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public RolloutView resume(String id) {
        Instant now = now();
        return command(id, "rollout.resume", (r) -> RolloutMachine.resume(r.state, tallies(r.row.id(),
                r.state.waves().size()), now));
    }

    /**
     * Any state before an end to CANCELED; a started rollout's devices not yet installing get an empty signed
     * assignment, installing ones finish and report.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public RolloutView cancel(String id) {
        return command(id, "rollout.cancel", (r) -> RolloutMachine.cancel(r.state));
    }

    /**
     * The operator's "retry failed devices" (fleet.md, "Operator controls") of a running or paused rollout: every
     * action that finally failed, timed out or rolled back gets a new signed attempt at once. REFUSED ones
     * ({@code attack:}, {@code verify:}) are not retried: the device refused what it was sent, and the same order
     * would be refused again.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public RolloutView retryFailed(String id) {
        return command(id, "rollout.retry-failed", (r) -> RolloutMachine.retryFailed(r.state));
    }

    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR})
    public RolloutView get(String id) {
        return view(find(id));
    }

    /**
     * The rollout's finally failed devices by failure class ({@code install:}, {@code download:}, ...), over all
     * waves, classes in order: what the portal's live page shows beside the per-wave totals of {@link #get}.
     */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR})
    public Map<String, Integer> failuresByClass(String id) {
        Rollout row = find(id);
        Map<String, Integer> byClass = new java.util.TreeMap<>();
        for (WaveTally t : tallies(row.id(), waves(row.id()).size())) {
            t.failed().forEach((c, n) -> byClass.merge(c, n, Integer::sum));
        }
        return byClass;
    }

    /** The newest {@link #LIST_LIMIT} rollouts, newest first. */
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR, Roles.AUDITOR})
    public List<RolloutView> list() {
        return em.createNamedQuery(Rollout.ALL, Rollout.class).setMaxResults(LIST_LIMIT).getResultList().stream()
                .map(this::view).toList();
    }

    /** A stored rollout as the decision core reads it. */
    private record Loaded(Rollout row, RolloutDefinition definition, RolloutState state) {
    }

    /**
     * Applies the machine's decision for one command: refused transitions become 409 (a self-approval 403), a
     * revision that moved meanwhile a 409 {@code rollout.concurrent-change}; both audited, nothing changed.
     */
    private RolloutView command(String id, String action, Function<Loaded, Decision> decide) {
        String actor = actor();
        try {
            Rollout row = findLocked(id);
            List<RolloutWave> waves = waves(id);
            RolloutState state = row.state(waves.stream().map(RolloutWave::state).toList());
            Decision decision;
            try {
                decision = decide.apply(new Loaded(row, row.definition(), state));
            } catch (IllegalTransition e) {
                throw new RolloutFailure(e.code(), e.code().equals("rollout.approval-own") ? ErrorKind.FORBIDDEN
                        : ErrorKind.CONFLICT, e.getMessage());
            }
            write(row, state, decision.state(), waves, actor);
            carryOut(row, row.definition(), decision.steps(), now(), true);
            audit.record(actor, action, id, Outcome.SUCCESS, state.status() + " -> " + decision.state().status()
                    + ", revision " + decision.state().revision() + (action.equals("rollout.approve")
                    ? ", definition " + decision.state().approvedHash() : ""));
            em.flush();
            em.clear();
            return view(find(id));
        } catch (OtaException e) {
            audit.recordAttempt(actor, action, id == null ? "-" : id, Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /** The compare-and-set: the rollout row only if its revision is still the one decided on, then its waves. */
    private void write(Rollout row, RolloutState before, RolloutState after, List<RolloutWave> waves, String actor) {
        int updated = em.createNamedQuery(Rollout.COMPARE_AND_SET)
                .setParameter("state", after.status().name()).setParameter("next", after.revision())
                .setParameter("approvedHash", after.approvedHash()).setParameter("approvedBy", after.approvedBy())
                .setParameter("acceptedFailures", after.acceptedFailures())
                .setParameter("acceptedAlarms", after.acceptedAlarms())
                .setParameter("by", actor).setParameter("at", now())
                .setParameter("id", row.id()).setParameter("revision", before.revision())
                .executeUpdate();
        if (updated != 1) {
            throw new RolloutFailure("rollout.concurrent-change", ErrorKind.CONFLICT, "rollout '" + row.id()
                    + "' changed meanwhile (revision " + before.revision() + " is no longer current); reload and retry");
        }
        for (RolloutWave w : waves) {
            WaveState next = after.waves().get(w.waveIndex());
            if (!next.equals(before.waves().get(w.waveIndex()))) {
                w.set(next);
            }
        }
        if (after.status() == RolloutStatus.COMPLETED) {
            // Resumed after its last wave failed ("go on regardless") before that wave's last batches were ordered:
            // nothing orders a completed rollout's members, and a SCHEDULED one would hold its device from others.
            int never = em.createQuery("UPDATE RolloutAction a SET a.state = 'CANCELED', a.updatedAt = :at "
                    + "WHERE a.rolloutId = :id AND a.state = 'SCHEDULED'").setParameter("at", now())
                    .setParameter("id", row.id()).executeUpdate();
            if (never > 0) {
                audit.record(actor, "rollout.devices-not-ordered", row.id(), Outcome.SUCCESS, never
                        + " device(s) of a failed wave never ordered: the rollout completed");
            }
        }
    }

    /**
     * The rollout's row, locked to the commit: a tick signs orders (joiners, retries) before it knows whether its
     * decision changes the state, so a command committing in between (cancel, pause) would otherwise be followed by
     * orders its own decision withdrew. Ticks and commands of one rollout take turns; other rollouts are untouched.
     */
    private Rollout findLocked(String id) {
        Rollout row = id == null ? null : em.find(Rollout.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            throw new RolloutFailure("rollout.not-found", ErrorKind.NOT_FOUND, "no rollout '" + id + "'");
        }
        return row;
    }

    private Rollout find(String id) {
        Rollout row = id == null ? null : em.find(Rollout.class, id);
        if (row == null) {
            throw new RolloutFailure("rollout.not-found", ErrorKind.NOT_FOUND, "no rollout '" + id + "'");
        }
        return row;
    }

    private List<RolloutWave> waves(String id) {
        return em.createNamedQuery(RolloutWave.OF_ROLLOUT, RolloutWave.class).setParameter("rolloutId", id)
                .getResultList();
    }

    /** Per wave, action state and failure class, how many of the rollout's devices are in it. */
    private List<RolloutCounts.Count> counts(String id) {
        return em.createNamedQuery(RolloutAction.COUNTS, Object[].class).setParameter("rolloutId", id)
                .getResultList().stream().map(r -> new RolloutCounts.Count(((Number) r[0]).intValue(), (String) r[1],
                        (String) r[2], ((Number) r[3]).intValue())).toList();
    }

    private List<WaveTally> tallies(String id, int waves) {
        return RolloutCounts.tallies(waves, counts(id));
    }

    private RolloutView view(Rollout row) {
        RolloutDefinition d = row.definition();
        List<RolloutWave> waves = waves(row.id());
        RolloutState s = row.state(waves.stream().map(RolloutWave::state).toList());
        List<WaveTally> tallies = tallies(row.id(), waves.size());
        List<RolloutView.WaveView> shown = new ArrayList<>();
        for (RolloutWave w : waves) {
            WaveTally t = tallies.get(w.waveIndex());
            WaveState ws = w.state();
            shown.add(new RolloutView.WaveView(w.waveIndex(), ws.status().name(), ws.startedAt(), ws.endedAt(),
                    t.members(), t.succeeded(), t.failedTotal()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> definition = (Map<String, Object>) RolloutRequests.plain(d.toJson());
        return new RolloutView(row.id(), d.name(), d.targetPath(), s.status().name(), s.revision(),
                row.definitionHash(), definition, row.createdBy(), row.createdAt(), s.approvedBy(), row.updatedBy(),
                row.updatedAt(), shown);
    }

    private String actor() {
        return context.getCallerPrincipal().getName();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
