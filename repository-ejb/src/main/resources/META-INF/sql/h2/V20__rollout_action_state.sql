-- A rollout's devices are ordered in batches (Rollouts.orderScheduled): each batch reads the next SCHEDULED actions of
-- the rollout by device id. With only (rollout_id, wave_index) indexed, every batch scanned the whole wave.
CREATE INDEX rollout_action_state ON rollout_action (rollout_id, state, device_id);
