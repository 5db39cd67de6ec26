package dev.ota.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * Which devices go into which wave (fleet.md, "Waves"), deterministically: a device's place comes from a hash of
 * the rollout's seed (its id) and the device id alone, so it does not move when other devices join or leave, a
 * replanning after a restart gives the same answer, and a device that joins mid-rollout is placed by the same
 * rule. Waves after the canary therefore hold their percentage of the rest in expectation (the hash is uniform),
 * not to the device: exact counts would have to move devices between waves whenever the fleet changes.
 * <p>
 * The canary is the fixed number of non-critical devices with the lowest hashes when the rollout starts
 * (fleet.md: "the server also keeps devices that report critical out of a wave's start"), then frozen.
 */
public final class WavePlanner {
    private WavePlanner() {
    }

    /**
     * A device the filter matches, as the plan sees it.
     *
     * @param deviceId           its id
     * @param critical           it last reported critical
     * @param otherRolloutWeight the weight of another rollout that has an open action on it; empty when none
     */
    public record Candidate(String deviceId, boolean critical, OptionalInt otherRolloutWeight) {
        public static Candidate free(String deviceId) {
            return new Candidate(deviceId, false, OptionalInt.empty());
        }
    }

    /**
     * The plan at the rollout's start.
     *
     * @param waves      the members of each wave, index 0 the canary, then one list per entry of the definition's
     *                   waves; each sorted by device id
     * @param supersedes devices whose open action of a lighter rollout this one supersedes (that action becomes
     *                   SUPERSEDED when this one's wave assigns them)
     * @param leftOut    devices a rollout of equal or higher weight keeps; they may join later, when free
     */
    public record Plan(List<List<String>> waves, List<String> supersedes, List<String> leftOut) {
        public Plan {
            waves = waves.stream().map(List::copyOf).toList();
            supersedes = List.copyOf(supersedes);
            leftOut = List.copyOf(leftOut);
        }
    }

    /**
     * Whether a rollout of weight {@code weight} takes a device that another rollout has an open action on: only
     * when it weighs more (fleet.md: "a weight so one urgent rollout supersedes another"). At equal weight the
     * first keeps it: two ordinary rollouts never take devices from each other back and forth.
     */
    public static boolean takes(int weight, OptionalInt otherRolloutWeight) {
        return otherRolloutWeight.isEmpty() || weight > otherRolloutWeight.getAsInt();
    }

    public static Plan plan(String seed, RolloutDefinition definition, List<Candidate> candidates) {
        List<Candidate> taken = new ArrayList<>();
        List<String> supersedes = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (Candidate c : candidates) {
            if (takes(definition.weight(), c.otherRolloutWeight())) {
                taken.add(c);
                if (c.otherRolloutWeight().isPresent()) {
                    supersedes.add(c.deviceId());
                }
            } else {
                leftOut.add(c.deviceId());
            }
        }
        record Scored(String deviceId, long score) {
        }
        List<String> canary = taken.stream().filter(c -> !c.critical())
                .map(c -> new Scored(c.deviceId(), score(seed, c.deviceId())))
                .sorted((a, b) -> a.score() != b.score() ? Long.compareUnsigned(a.score(), b.score())
                        : a.deviceId().compareTo(b.deviceId()))
                .limit(definition.canary()).map(Scored::deviceId).toList();
        List<List<String>> waves = new ArrayList<>();
        waves.add(new ArrayList<>(canary));
        for (int i = 0; i < definition.waves().size(); i++) {
            waves.add(new ArrayList<>());
        }
        java.util.Set<String> inCanary = new java.util.HashSet<>(canary);
        for (Candidate c : taken) {
            if (!inCanary.contains(c.deviceId())) {
                waves.get(waveOf(seed, c.deviceId(), definition.waves())).add(c.deviceId());
            }
        }
        waves.forEach(w -> w.sort(Comparator.naturalOrder()));
        supersedes.sort(Comparator.naturalOrder());
        leftOut.sort(Comparator.naturalOrder());
        return new Plan(waves, supersedes, leftOut);
    }

    /**
     * The wave after the canary a device belongs to by its hash, 1 to {@code waves.size()}: the first whose
     * cumulative percentage lies above the device's point in [0, 100).
     */
    public static int waveOf(String seed, String deviceId, List<Integer> waves) {
        long point = score(seed, deviceId) >>> 11; // 53 bits, uniform in [0, 2^53)
        for (int i = 0; i < waves.size(); i++) {
            if (point * 100 < (long) waves.get(i) << 53) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("waves must end at 100: " + waves);
    }

    /**
     * The wave a device that starts matching the filter mid-rollout joins (fleet.md: devices "join the active or
     * last wave"): its own wave by {@link #waveOf} while that wave has not started (the same rule as for
     * everybody); once it has, the active wave; with none active, the last wave unless that has ended. Empty:
     * the rollout has nothing left to join.
     *
     * @param statuses the wave states, index 0 the canary
     */
    public static OptionalInt placeJoiner(String seed, String deviceId, List<Integer> waves,
                                          List<RolloutMachine.WaveStatus> statuses) {
        if (statuses.size() != waves.size() + 1) {
            throw new IllegalArgumentException("one status per wave, the canary first");
        }
        int own = waveOf(seed, deviceId, waves);
        if (statuses.get(own) == RolloutMachine.WaveStatus.PENDING) {
            return OptionalInt.of(own);
        }
        int active = statuses.indexOf(RolloutMachine.WaveStatus.ACTIVE);
        if (active >= 0) {
            return OptionalInt.of(active);
        }
        int last = statuses.size() - 1;
        return statuses.get(last) == RolloutMachine.WaveStatus.PENDING ? OptionalInt.of(last) : OptionalInt.empty();
    }

    /** The device's 64-bit hash under the seed: the first eight bytes of SHA-256(seed NUL deviceId). */
    static long score(String seed, String deviceId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(seed.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            byte[] d = sha.digest(deviceId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
