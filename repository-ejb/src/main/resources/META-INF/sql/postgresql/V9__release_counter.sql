-- The release counter as a column of its own (device-api.md "Director metadata"): strictly increasing per
-- product line (releases sharing a hardware id), assigned by the server unless the upload gives one above
-- every counter the line ever used. Null only for releases made before counters existed without one.
ALTER TABLE release ADD COLUMN release_counter BIGINT;
-- Releases that carried the counter in their custom fields (canonical JSON, so spelled exactly like this).
UPDATE release SET release_counter = CAST(substring(custom_json from '"releaseCounter":([0-9]{1,18})') AS BIGINT)
    WHERE custom_json ~ '"releaseCounter":[0-9]{1,18}';
