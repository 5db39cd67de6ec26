-- Rows that must never change once written: signed metadata (the exact bytes devices verified), the
-- target files they list, and the audit log. The application only ever inserts into these tables; the
-- triggers turn an UPDATE, DELETE or TRUNCATE from any code path (a bug, a hand-typed query) into an error.
-- They do not stop the tables' owner from dropping a trigger: that needs the database's own privileges.
CREATE FUNCTION ota_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation'; END $$;
CREATE TRIGGER signed_metadata_append_only BEFORE UPDATE OR DELETE ON signed_metadata
    FOR EACH ROW EXECUTE FUNCTION ota_refuse_change();
CREATE TRIGGER signed_metadata_no_truncate BEFORE TRUNCATE ON signed_metadata
    FOR EACH STATEMENT EXECUTE FUNCTION ota_refuse_change();
CREATE TRIGGER target_file_append_only BEFORE UPDATE OR DELETE ON target_file
    FOR EACH ROW EXECUTE FUNCTION ota_refuse_change();
CREATE TRIGGER target_file_no_truncate BEFORE TRUNCATE ON target_file
    FOR EACH STATEMENT EXECUTE FUNCTION ota_refuse_change();
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION ota_refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION ota_refuse_change();
