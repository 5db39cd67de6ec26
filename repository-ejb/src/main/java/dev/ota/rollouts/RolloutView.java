package dev.ota.rollouts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A rollout as the management API shows it (device-api.md: at least {@code state} and {@code waves}).
 *
 * @param definition     the definition with every default written out: what was hashed (as JSON values)
 * @param definitionHash what an approver approves (four eyes bind to it)
 * @param revision       raised by every change
 */
public record RolloutView(String id, String name, String targetPath, String state, long revision,
                          String definitionHash, Map<String, Object> definition, String createdBy, Instant createdAt,
                          String approvedBy, String updatedBy, Instant updatedAt, List<WaveView> waves) {
    public RolloutView {
        waves = List.copyOf(waves);
        definition = java.util.Collections.unmodifiableMap(definition);
    }

    /**
     * One wave, index 0 the canary.
     *
     * @param members   devices placed in it so far
     * @param succeeded members whose signed check-in reported the new image committed
     * @param failed    members that finally failed or rolled back
     */
    public record WaveView(int index, String state, Instant startedAt, Instant endedAt, int members, int succeeded,
                           int failed) {
    }
}
