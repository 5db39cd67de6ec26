package dev.ota.rollouts;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.director.AssignmentView;
import dev.ota.director.Director;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.fleet.DeviceFilter;
import dev.ota.fleet.DevicePage;
import dev.ota.fleet.DeviceReport;
import dev.ota.fleet.DeviceStatus;
import dev.ota.fleet.DeviceSummary;
import dev.ota.fleet.Inventory;
import dev.ota.rollout.IllegalTransition;
import dev.ota.rollout.RolloutDefinition;
import dev.ota.rollout.RolloutMachine.Decision;
import dev.ota.rollout.RolloutMachine.RolloutState;
import dev.ota.rollout.RolloutMachine.RolloutStatus;
import dev.ota.rollout.RolloutMachine.Step;
import dev.ota.rollout.RolloutMachine.WaveState;
import dev.ota.rollout.RolloutMachine;
import dev.ota.rollout.WavePlanner;
import dev.ota.rollout.WaveTally;
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
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Function;
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
    /** Reports are looked up for at most this many actions per query. */
    private static final int REPORT_BATCH = 500;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @EJB
    private Director director;

    @EJB
    private Inventory inventory;

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
     * seeded with the rollout id), every member gets its action row, and the director signs the canary's orders,
     * one signing per device, in this transaction: a device the director refuses refuses the start.
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
     * steps carried out: the next wave's orders, audit entries for ended waves and alerts. No person is signed in;
     * the rollout's approval is the authority.
     */
    @PermitAll
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void tick(String id) {
        Rollout row = find(id);
        List<RolloutWave> waves = waves(id);
        RolloutState state = row.state(waves.stream().map(RolloutWave::state).toList());
        if (state.status() != RolloutStatus.RUNNING) {
            return;
        }
        Instant now = now();
        refreshFromReports(id, now);
        RolloutDefinition d = row.definition();
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

    /** Moves each open action to the state of its device's newest report of it (fleet.md's action states). */
    private void refreshFromReports(String id, Instant now) {
        List<RolloutAction> open = em.createNamedQuery(RolloutAction.OPEN_OF_ROLLOUT, RolloutAction.class)
                .setParameter("rolloutId", id).getResultList();
        Map<String, RolloutAction> byAction = new HashMap<>();
        for (RolloutAction a : open) {
            byAction.put(a.actionId(), a);
        }
        List<String> actionIds = new ArrayList<>(byAction.keySet());
        for (int i = 0; i < actionIds.size(); i += REPORT_BATCH) {
            List<DeviceReport> reports = em.createQuery("SELECT r FROM DeviceReport r WHERE r.actionId IN :ids "
                    + "ORDER BY r.seq", DeviceReport.class)
                    .setParameter("ids", actionIds.subList(i, Math.min(actionIds.size(), i + REPORT_BATCH)))
                    .getResultList();
            Map<String, DeviceReport> newest = new HashMap<>();
            for (DeviceReport r : reports) {
                RolloutAction a = byAction.get(r.actionId());
                // The action id is the director's, unique per order; the device id check keeps another device's
                // report of it (which the fleet would not store) from ever counting.
                if (a != null && a.deviceId().equals(r.deviceId())) {
                    newest.put(r.actionId(), r);
                }
            }
            newest.forEach((actionId, r) -> byAction.get(actionId).reported(r.state(),
                    RolloutCounts.FAILED.contains(r.state()) ? RolloutCounts.failureClass(r.detail()) : null, now));
        }
    }

    /** Carries out the steps of a decision that was just written, in its transaction. */
    private void carryOut(Rollout row, RolloutDefinition d, List<Step> steps, Instant now) {
        for (Step step : steps) {
            if (step instanceof RolloutMachine.StartWave start) {
                if (start.wave() == 0) {
                    plan(row, d, now);
                }
                assignWave(row.id(), d, start.wave(), now);
            }
        }
    }

    /** Freezes the plan: one action row per member of each wave, SCHEDULED until its wave starts. */
    private void plan(Rollout row, RolloutDefinition d, Instant now) {
        DeviceFilter filter = DeviceFilter.fromJson(d.filter());
        List<WavePlanner.Candidate> candidates = new ArrayList<>();
        String after = null;
        do {
            DevicePage page = inventory.page(filter, after, Inventory.MAX_LIMIT, false);
            for (DeviceSummary s : page.devices()) {
                if (s.status() == DeviceStatus.ACCEPTED) {
                    // Other rollouts' open actions do not exist yet in this service: every device is free.
                    candidates.add(new WavePlanner.Candidate(s.deviceId(), "critical".equals(s.state()),
                            OptionalInt.empty()));
                }
            }
            after = page.next();
        } while (after != null);
        WavePlanner.Plan plan = WavePlanner.plan(row.id(), d, candidates);
        for (int i = 0; i < plan.waves().size(); i++) {
            for (String deviceId : plan.waves().get(i)) {
                em.persist(new RolloutAction(row.id(), i, deviceId, now));
            }
        }
        em.flush();
    }

    private void assignWave(String id, RolloutDefinition d, int wave, Instant now) {
        for (RolloutAction a : em.createNamedQuery(RolloutAction.OF_WAVE, RolloutAction.class)
                .setParameter("rolloutId", id).setParameter("waveIndex", wave).getResultList()) {
            AssignmentView order = director.assignForRollout(id, a.deviceId(), d.targetPath());
            a.assigned(order.actionId(), order.attempt(), now);
        }
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

    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMINISTRATOR})
    public RolloutView cancel(String id) {
        return command(id, "rollout.cancel", (r) -> RolloutMachine.cancel(r.state));
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
            Rollout row = find(id);
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
            carryOut(row, row.definition(), decision.steps(), now());
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
