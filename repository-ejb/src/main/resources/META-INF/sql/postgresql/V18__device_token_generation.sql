-- Bearer tokens are checked without the database (an HMAC over device id, expiry and this generation,
-- bench/README.md): a decommission or a key replacement moves the generation, which ends the device's tokens.
ALTER TABLE device ADD COLUMN token_generation BIGINT DEFAULT 0 NOT NULL;
-- The stored token hashes are no longer read; tokens they stood for are refused, and devices check in again.
DROP TABLE device_token;
