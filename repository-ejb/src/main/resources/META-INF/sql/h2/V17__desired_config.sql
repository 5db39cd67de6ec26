-- Desired configuration (issue 12, item 5; device-api.md: a director target config/{deviceId}.json): what an
-- operator set for a device, insert-only. The newest row of a device is the one in force; a row without content
-- clears it. The content is the exact bytes the director lists (length, sha256) and serves.
CREATE SEQUENCE desired_config_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE desired_config (
    id BIGINT PRIMARY KEY,
    device_id VARCHAR(64) NOT NULL,
    content BLOB,
    sha256 VARCHAR(64),
    set_by VARCHAR(100) NOT NULL,
    set_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX desired_config_device ON desired_config (device_id, id);
