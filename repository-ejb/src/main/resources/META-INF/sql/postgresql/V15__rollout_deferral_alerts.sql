-- Rollouts, continued (issue 13, fleet.md "Criticality"): a device waiting (for its window, or because it reports
-- busy or critical) is never a failure and never forced by the server; past the rollout's maximum deferral the
-- operator is alerted, once per waiting spell. When the action's device started waiting (NULL: not waiting), and
-- when the operator was last alerted about it.
ALTER TABLE rollout_action ADD COLUMN waiting_since TIMESTAMP WITH TIME ZONE;
ALTER TABLE rollout_action ADD COLUMN deferral_alerted_at TIMESTAMP WITH TIME ZONE;
