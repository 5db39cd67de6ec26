-- EclipseLink reads NEXT VALUE as the last id of a block of allocationSize (50): start at 50.
-- Signed TUF metadata: one immutable row per (role, version), the exact bytes served.
CREATE SEQUENCE signed_metadata_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE signed_metadata (
    id BIGINT PRIMARY KEY,
    role_name VARCHAR(255) NOT NULL,
    version INTEGER NOT NULL,
    expires TIMESTAMP WITH TIME ZONE NOT NULL,
    length BIGINT NOT NULL,
    sha256 CHAR(64) NOT NULL,
    content BLOB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT signed_metadata_role_version UNIQUE (role_name, version)
);

-- The one row saying what is current; moved last in every publish transaction.
CREATE TABLE repository_head (
    id INTEGER PRIMARY KEY,
    generation BIGINT NOT NULL,
    root_version INTEGER NOT NULL,
    timestamp_version INTEGER NOT NULL,
    snapshot_version INTEGER NOT NULL,
    targets_version INTEGER NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT repository_head_single CHECK (id = 1)
);

-- Target files ever published; the bytes live in the content-addressed blob store on disk.
CREATE SEQUENCE target_file_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE target_file (
    id BIGINT PRIMARY KEY,
    path VARCHAR(1024) NOT NULL,
    sha256 CHAR(64) NOT NULL,
    length BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT target_file_path_sha256 UNIQUE (path, sha256)
);
