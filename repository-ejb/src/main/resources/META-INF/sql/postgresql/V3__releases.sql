-- Releases uploaded through the management API: what was published under which target path.
CREATE SEQUENCE release_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE release (
    id BIGINT PRIMARY KEY,
    target_path VARCHAR(1024) NOT NULL,
    sha256 CHAR(64) NOT NULL,
    length BIGINT NOT NULL,
    release_version VARCHAR(100) NOT NULL,
    hardware_ids VARCHAR(2000) NOT NULL,
    custom_json VARCHAR(8000) NOT NULL,
    uploaded_by VARCHAR(100) NOT NULL,
    uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    published_in_snapshot INTEGER NOT NULL,
    removed_by VARCHAR(100),
    removed_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX release_target_path ON release (target_path);
