-- Jobs that run on one server at a time and keep their schedule across restarts (dev.ota.schedule).
-- Each job's row comes with the script that introduces the job, so servers never race to create it.
CREATE TABLE scheduled_job (
    name VARCHAR(100) PRIMARY KEY,
    next_run_at TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_holder VARCHAR(200),
    lease_until TIMESTAMP WITH TIME ZONE,
    runs BIGINT NOT NULL,
    last_holder VARCHAR(200),
    last_started_at TIMESTAMP WITH TIME ZONE,
    last_succeeded_at TIMESTAMP WITH TIME ZONE,
    last_failed_at TIMESTAMP WITH TIME ZONE,
    last_failure VARCHAR(500),
    CONSTRAINT scheduled_job_lease CHECK ((lease_holder IS NULL) = (lease_until IS NULL))
);

-- Re-signing metadata before it expires: due at once on the first start.
INSERT INTO scheduled_job (name, next_run_at, runs) VALUES ('metadata.refresh', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00:00', 0);
