package dev.ota.rollouts;

import dev.ota.rollout.RolloutMachine.RolloutStatus;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The open actions other started rollouts hold on devices, and those rollouts' weights (fleet.md, "Operator
 * controls": a weight so one urgent rollout supersedes another for the same devices), for one decision of one
 * rollout: what WavePlanner.takes decides on. Read when first needed, so a tick with nobody to place reads nothing.
 */
final class OtherRollouts {
    private static final int BATCH = 500;
    private static final List<String> STARTED = List.of(RolloutStatus.RUNNING.name(), RolloutStatus.PAUSED.name());

    private final EntityManager em;
    private final String rolloutId;
    private final Map<String, Integer> weights = new HashMap<>();
    /** device -> the heaviest weight among the other rollouts with an open action on it; null until read. */
    private Map<String, Integer> heaviest;

    OtherRollouts(EntityManager em, String rolloutId) {
        this.em = em;
        this.rolloutId = rolloutId;
    }

    /** The heaviest weight of another started rollout with an open action on the device; empty when none has one. */
    OptionalInt weightOn(String deviceId) {
        if (heaviest == null) {
            heaviest = new HashMap<>();
            for (Object[] row : em.createQuery("SELECT a.deviceId, a.rolloutId FROM RolloutAction a WHERE "
                    + "a.rolloutId <> :id AND a.state NOT IN :final AND a.rolloutId IN "
                    + "(SELECT r.id FROM Rollout r WHERE r.state IN :started)", Object[].class)
                    .setParameter("id", rolloutId).setParameter("final", List.copyOf(RolloutCounts.FINAL))
                    .setParameter("started", STARTED).getResultList()) {
                heaviest.merge((String) row[0], weightOf((String) row[1]), Math::max);
            }
        }
        Integer w = heaviest.get(deviceId);
        return w == null ? OptionalInt.empty() : OptionalInt.of(w);
    }

    /** The open actions of other started rollouts on these devices, by device. */
    Map<String, List<RolloutAction>> openOn(List<String> deviceIds) {
        Map<String, List<RolloutAction>> out = new HashMap<>();
        for (int i = 0; i < deviceIds.size(); i += BATCH) {
            for (RolloutAction a : em.createQuery("SELECT a FROM RolloutAction a WHERE a.deviceId IN :devices AND "
                    + "a.rolloutId <> :id AND a.state NOT IN :final AND a.rolloutId IN "
                    + "(SELECT r.id FROM Rollout r WHERE r.state IN :started)", RolloutAction.class)
                    .setParameter("devices", deviceIds.subList(i, Math.min(deviceIds.size(), i + BATCH)))
                    .setParameter("id", rolloutId).setParameter("final", List.copyOf(RolloutCounts.FINAL))
                    .setParameter("started", STARTED).getResultList()) {
                out.computeIfAbsent(a.deviceId(), k -> new ArrayList<>()).add(a);
            }
        }
        return out;
    }

    /** A rollout's weight, from its approved definition. */
    int weightOf(String otherRolloutId) {
        return weights.computeIfAbsent(otherRolloutId, id -> em.find(Rollout.class, id).definition().weight());
    }
}
