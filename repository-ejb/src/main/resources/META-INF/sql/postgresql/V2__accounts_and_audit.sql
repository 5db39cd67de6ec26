-- People and their roles; passwords only as PBKDF2 hashes.
CREATE SEQUENCE app_user_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE app_user (
    id BIGINT PRIMARY KEY,
    username VARCHAR(100) NOT NULL,
    password_hash VARCHAR(300) NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT app_user_username UNIQUE (username)
);
CREATE TABLE app_user_role (
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    role_name VARCHAR(40) NOT NULL,
    PRIMARY KEY (user_id, role_name)
);

-- API tokens for automation: only the SHA-256 of the secret is kept.
CREATE SEQUENCE api_token_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE api_token (
    id BIGINT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    label VARCHAR(100) NOT NULL,
    token_hash CHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE,
    revoked_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_token_hash UNIQUE (token_hash)
);

-- Append-only audit log; each entry hashes its predecessor (a tamper-evident chain).
CREATE TABLE audit_entry (
    seq BIGINT PRIMARY KEY,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor VARCHAR(100) NOT NULL,
    action VARCHAR(100) NOT NULL,
    subject VARCHAR(1024) NOT NULL,
    outcome VARCHAR(20) NOT NULL,
    detail VARCHAR(2000) NOT NULL,
    previous_hash CHAR(64) NOT NULL,
    entry_hash CHAR(64) NOT NULL
);
-- The chain's tip, locked by every append so that concurrent appends cannot fork the chain.
CREATE TABLE audit_chain_head (
    id INTEGER PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_hash CHAR(64) NOT NULL,
    CONSTRAINT audit_chain_head_single CHECK (id = 1)
);
INSERT INTO audit_chain_head (id, last_seq, last_hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
