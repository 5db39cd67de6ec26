-- The director (issue 12, architecture.md "Two repositories"): per device, a TUF repository whose
-- targets name the image the device should run. Its root is shared by every device; its keys live in
-- a keystore apart from the image repository's, never in the database.

-- Director root versions: the same chain for every device, served at /director/root/{N}.root.json.
CREATE TABLE director_root (
    version INTEGER PRIMARY KEY,
    expires TIMESTAMP WITH TIME ZONE NOT NULL,
    content BYTEA NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per device whose director repository was signed: what is current. Every signing holds the
-- device's fleet row locked (FOR UPDATE) to its commit: one signing per device at a time, across servers.
CREATE TABLE director_state (
    device_id VARCHAR(64) PRIMARY KEY,
    generation BIGINT NOT NULL,
    targets_version INTEGER NOT NULL,
    snapshot_version INTEGER NOT NULL,
    timestamp_version INTEGER NOT NULL,
    timestamp_expires TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Assignments by hand, insert-only but for the cancellation stamp; the newest row of a device is its order.
-- An empty target_path is a cancellation: the director signs an empty targets for it.
CREATE SEQUENCE director_assignment_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE director_assignment (
    id BIGINT PRIMARY KEY,
    device_id VARCHAR(64) NOT NULL,
    target_path VARCHAR(1024),
    action_id VARCHAR(64) NOT NULL,
    attempt INTEGER NOT NULL,
    assigned_by VARCHAR(100) NOT NULL,
    assigned_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX director_assignment_device ON director_assignment (device_id, id);

-- Signed director metadata per device: the exact bytes served, one immutable row per (device, role, version).
CREATE SEQUENCE director_file_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE director_file (
    id BIGINT PRIMARY KEY,
    device_id VARCHAR(64) NOT NULL,
    role_name VARCHAR(16) NOT NULL,
    version INTEGER NOT NULL,
    expires TIMESTAMP WITH TIME ZONE NOT NULL,
    content BYTEA NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT director_file_device_role_version UNIQUE (device_id, role_name, version)
);
