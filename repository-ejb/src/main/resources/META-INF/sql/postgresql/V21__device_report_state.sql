-- Each rollout tick looks for refusals of director metadata (REFUSED reports under director-N ids, Rollouts
-- .refusalsOfUnverifiedOrders). They are rare; without an index on the state, the lookup read every report stored.
CREATE INDEX device_report_state ON device_report (state, device_id);
