-- Progressive rollouts (issue 13, fleet.md "Rollouts"). The decisions are the pure dev.ota.rollout core's; these
-- tables hold what it decides on. Every change of a rollout is a compare-and-set on its revision
-- (UPDATE rollout ... WHERE id = ? AND revision = ?), so two servers or two operators never both win.

-- A rollout: the definition as created (canonical JSON, defaults written out) and its hash, which four-eyes
-- approval binds to; the state fields of RolloutMachine.RolloutState.
CREATE TABLE rollout (
    id VARCHAR(64) PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    target_path VARCHAR(1024) NOT NULL,
    definition_json VARCHAR(16000) NOT NULL,
    definition_hash VARCHAR(80) NOT NULL,
    created_by VARCHAR(100) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    state VARCHAR(20) NOT NULL,
    revision BIGINT NOT NULL,
    approved_hash VARCHAR(80),
    approved_by VARCHAR(100),
    accepted_failures INTEGER NOT NULL,
    accepted_alarms INTEGER NOT NULL,
    updated_by VARCHAR(100) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX rollout_created ON rollout (created_at, id);

-- One row per wave (index 0 the canary), written in the transaction of the rollout's compare-and-set.
CREATE TABLE rollout_wave (
    rollout_id VARCHAR(64) NOT NULL,
    wave_index INTEGER NOT NULL,
    state VARCHAR(20) NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE,
    threshold_since TIMESTAMP WITH TIME ZONE,
    ended_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (rollout_id, wave_index)
);

-- One row per device a rollout placed in a wave: its director action and what the device reported of it.
-- failure_class is the report's class prefix (e.g. install:, attack:) of a final failure.
CREATE SEQUENCE rollout_action_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE rollout_action (
    id BIGINT PRIMARY KEY,
    rollout_id VARCHAR(64) NOT NULL,
    wave_index INTEGER NOT NULL,
    device_id VARCHAR(64) NOT NULL,
    action_id VARCHAR(64),
    attempt INTEGER NOT NULL,
    state VARCHAR(20) NOT NULL,
    failure_class VARCHAR(40),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT rollout_action_device UNIQUE (rollout_id, device_id)
);
CREATE INDEX rollout_action_wave ON rollout_action (rollout_id, wave_index);

-- The scheduled job that drives running rollouts (dev.ota.rollouts.RolloutTicker), on one server at a time.
INSERT INTO scheduled_job (name, next_run_at, runs) VALUES ('rollout.tick', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00:00', 0);
