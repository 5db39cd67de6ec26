-- Online keys taken out of service (issue 15): rotated, or revoked as compromised with a reason. Append-only:
-- the keystore no longer holds them, and this is what still says which key it was, when and why it went.
CREATE TABLE retired_key (
    repository VARCHAR(16) NOT NULL,
    key_id VARCHAR(64) PRIMARY KEY,
    role VARCHAR(64) NOT NULL,
    key_type VARCHAR(16) NOT NULL,
    scheme VARCHAR(32) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE,
    retired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    retired_by VARCHAR(100) NOT NULL,
    revoked BOOLEAN NOT NULL,
    reason VARCHAR(500),
    replaced_by VARCHAR(64) NOT NULL,
    root_version INTEGER NOT NULL
);
CREATE INDEX retired_key_retired_at ON retired_key (retired_at);
CREATE TRIGGER retired_key_append_only BEFORE UPDATE OR DELETE ON retired_key
    FOR EACH ROW EXECUTE FUNCTION ota_refuse_change();
CREATE TRIGGER retired_key_no_truncate BEFORE TRUNCATE ON retired_key
    FOR EACH STATEMENT EXECUTE FUNCTION ota_refuse_change();
