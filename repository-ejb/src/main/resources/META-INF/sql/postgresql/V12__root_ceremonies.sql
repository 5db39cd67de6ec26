-- Threshold ceremonies for root (issue 15, architecture.md "Keys and roles"): a security officer proposes root
-- N+1; officers sign its canonical bytes detached, each with a key only they hold; the server publishes the new
-- root once a threshold of root N's root keys and one of root N+1's have signed. Only public material is stored.

-- A proposal: the canonical bytes of the proposed root's "signed" object (what every signature is over, never
-- re-serialised), the holder (an officer's account) of each key it lists, and where it stands.
CREATE TABLE root_proposal (
    id VARCHAR(64) PRIMARY KEY,
    base_version INTEGER NOT NULL,
    version INTEGER NOT NULL,
    signed_bytes BYTEA NOT NULL,
    holders_json VARCHAR(16000) NOT NULL,
    proposed_by VARCHAR(100) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    open_until TIMESTAMP WITH TIME ZONE NOT NULL,
    state VARCHAR(20) NOT NULL,
    closed_by VARCHAR(100),
    closed_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX root_proposal_created ON root_proposal (created_at, id);

-- One detached signature per key and proposal, checked over the proposal's bytes before it is stored; append-only.
CREATE TABLE root_proposal_signature (
    proposal_id VARCHAR(64) NOT NULL REFERENCES root_proposal (id),
    key_id VARCHAR(64) NOT NULL,
    sig VARCHAR(1100) NOT NULL,
    signed_by VARCHAR(100) NOT NULL,
    signed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (proposal_id, key_id)
);
-- Signatures are evidence of who signed what: never changed once written (ota_refuse_change is V4's).
CREATE TRIGGER root_proposal_signature_append_only BEFORE UPDATE OR DELETE ON root_proposal_signature
    FOR EACH ROW EXECUTE FUNCTION ota_refuse_change();
