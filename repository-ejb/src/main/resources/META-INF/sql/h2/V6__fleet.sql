-- The fleet (fleet.md, device-api.md): devices, their enrollment tokens, check-in reports, configuration
-- backups and bearer tokens. Secrets (enrollment and bearer tokens) only as the SHA-256 of their text.
-- Free text a device sends is bounded by the 64 KiB body limit, hence VARCHAR(65536).

-- One row per device id. last_counter moves only by a compare-and-set (UPDATE ... WHERE last_counter < ?),
-- so of two check-ins with the same counter exactly one is accepted.
CREATE TABLE device (
    device_id VARCHAR(64) PRIMARY KEY,
    hardware_id VARCHAR(100) NOT NULL,
    public_key VARCHAR(4000) NOT NULL,
    key_id CHAR(64) NOT NULL,
    status VARCHAR(20) NOT NULL,
    agent_version VARCHAR(100) NOT NULL,
    enrollment_token_id BIGINT,
    enrolled_at TIMESTAMP WITH TIME ZONE NOT NULL,
    status_changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_checkin_at TIMESTAMP WITH TIME ZONE,
    state VARCHAR(10),
    state_since TIMESTAMP WITH TIME ZONE,
    state_reason VARCHAR(65536),
    ecus VARCHAR(65536),
    last_counter BIGINT,
    last_checkin_sha256 CHAR(64),
    last_checkin_response VARCHAR(65536),
    last_token_expires TIMESTAMP WITH TIME ZONE,
    director_timestamp_version BIGINT,
    reported_config_version BIGINT,
    CONSTRAINT device_status CHECK (status IN ('PENDING', 'ACCEPTED', 'REJECTED', 'DECOMMISSIONED')),
    CONSTRAINT device_state CHECK (state IS NULL OR state IN ('idle', 'busy', 'critical'))
);
CREATE INDEX device_hardware_id ON device (hardware_id);
CREATE INDEX device_status_idx ON device (status);
CREATE INDEX device_last_checkin ON device (last_checkin_at);

-- Tags and key/value attributes (region, customer, time zone) in rows of their own, so inventory filters
-- are indexed lookups rather than text searches.
CREATE TABLE device_tag (
    device_id VARCHAR(64) NOT NULL REFERENCES device (device_id),
    tag VARCHAR(100) NOT NULL,
    PRIMARY KEY (device_id, tag)
);
CREATE INDEX device_tag_tag ON device_tag (tag);
CREATE TABLE device_attribute (
    device_id VARCHAR(64) NOT NULL REFERENCES device (device_id),
    name VARCHAR(100) NOT NULL,
    attr_value VARCHAR(500) NOT NULL,
    PRIMARY KEY (device_id, name)
);
CREATE INDEX device_attribute_name_value ON device_attribute (name, attr_value);

-- Enrollment tokens, made by administrators and shown once.
CREATE SEQUENCE enrollment_token_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE enrollment_token (
    id BIGINT PRIMARY KEY,
    token_hash CHAR(64) NOT NULL,
    label VARCHAR(100) NOT NULL,
    created_by VARCHAR(100) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL,
    auto_accept BOOLEAN NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT enrollment_token_hash UNIQUE (token_hash),
    CONSTRAINT enrollment_token_uses CHECK (uses >= 0 AND uses <= max_uses AND max_uses >= 1)
);
CREATE TABLE enrollment_token_hardware (
    token_id BIGINT NOT NULL REFERENCES enrollment_token (id),
    hardware_id VARCHAR(100) NOT NULL,
    PRIMARY KEY (token_id, hardware_id)
);

-- Install journal entries from check-ins, each (device, action, seq) stored once.
CREATE SEQUENCE device_report_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE device_report (
    id BIGINT PRIMARY KEY,
    device_id VARCHAR(64) NOT NULL REFERENCES device (device_id),
    action_id VARCHAR(64) NOT NULL,
    seq BIGINT NOT NULL,
    state VARCHAR(20) NOT NULL,
    reported_at TIMESTAMP WITH TIME ZONE NOT NULL,
    detail VARCHAR(65536) NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    checkin_counter BIGINT NOT NULL,
    CONSTRAINT device_report_once UNIQUE (device_id, action_id, seq)
);
CREATE INDEX device_report_action ON device_report (action_id);

-- Configuration backups: every version kept, the envelope exactly as the device sent and signed it.
CREATE SEQUENCE device_config_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE device_config (
    id BIGINT PRIMARY KEY,
    device_id VARCHAR(64) NOT NULL REFERENCES device (device_id),
    version BIGINT NOT NULL,
    envelope BLOB NOT NULL,
    sha256 CHAR(64) NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT device_config_version UNIQUE (device_id, version)
);

-- Bearer tokens a check-in hands out for the device's GETs (about an hour).
CREATE TABLE device_token (
    token_hash CHAR(64) PRIMARY KEY,
    device_id VARCHAR(64) NOT NULL REFERENCES device (device_id),
    issued_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX device_token_device ON device_token (device_id, expires_at);
