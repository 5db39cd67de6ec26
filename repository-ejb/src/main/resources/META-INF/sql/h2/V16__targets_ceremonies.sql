-- Threshold ceremonies for top-level targets (issue 15): once a root ceremony gives targets to officers' keys, every
-- new targets version is a proposal they sign like a root's. One table for both: a proposal now names its role, and
-- a targets proposal the root whose targets keys must sign it (root_version) and, when it goes with a root proposal
-- that hands targets to officers, that proposal (root_proposal_id): both are then published together.
ALTER TABLE root_proposal ADD COLUMN role VARCHAR(16) DEFAULT 'root' NOT NULL;
ALTER TABLE root_proposal ADD COLUMN root_version INTEGER;
ALTER TABLE root_proposal ADD COLUMN root_proposal_id VARCHAR(64);
ALTER TABLE root_proposal ADD COLUMN reason VARCHAR(500);
CREATE INDEX root_proposal_role_state ON root_proposal (role, state);

-- Renewal proposals of offline targets: one server at a time (TargetsRenewal through ExclusiveJobs).
INSERT INTO scheduled_job (name, next_run_at, runs) VALUES ('targets.renewal', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00:00', 0);
