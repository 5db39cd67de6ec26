-- Desired configuration (issue 12, item 5; device-api.md: a director target config/{deviceId}.json): what an
-- operator set for a device, insert-only. The newest row of a device is the one in force; a row without content
-- clears it. The content is the exact bytes the director lists (length, sha256) and serves.
-- One id at a time, taken under the device's row lock: with blocks of ids per server, a later change could get a
-- lower id than an earlier one on another server and lose to it as "the newest row".
CREATE SEQUENCE desired_config_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE desired_config (
    id BIGINT PRIMARY KEY,
    device_id VARCHAR(64) NOT NULL,
    content BLOB,
    sha256 VARCHAR(64),
    set_by VARCHAR(100) NOT NULL,
    set_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX desired_config_device ON desired_config (device_id, id);
