-- Rollouts, continued (issue 13): maintenance windows and force-after reach devices through the director,
-- and failed attempts are retried with backoff.

-- A rollout's order carries its window rules (canonical JSON, as the rollout definition writes them) and its
-- force-after instant. Rules, not windows: every signing of the device's targets expands the next concrete UTC
-- windows from its own time, in the rule's zone or the device's timeZone attribute. NULL: install when ready,
-- respect busy (every order by hand).
ALTER TABLE director_assignment ADD COLUMN window_rules VARCHAR(4000);
ALTER TABLE director_assignment ADD COLUMN force_after TIMESTAMP WITH TIME ZONE;

-- When the action's current attempt was assigned (its timeout counts open-window time from here), and when a
-- RETRY_WAIT action's next attempt is due.
ALTER TABLE rollout_action ADD COLUMN assigned_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE rollout_action ADD COLUMN retry_at TIMESTAMP WITH TIME ZONE;
