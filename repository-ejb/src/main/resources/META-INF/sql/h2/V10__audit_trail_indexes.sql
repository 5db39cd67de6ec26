-- The auditors' audit page and export (issue 15): each filter an auditor can set is answered newest
-- first from an index that orders its matches by sequence number, so a page is one range read (keyset
-- paging: seq below the last one shown) whatever the log's size, never a scan of every entry.
CREATE INDEX audit_entry_actor_seq ON audit_entry (actor, seq);
CREATE INDEX audit_entry_action_seq ON audit_entry (action, seq);
CREATE INDEX audit_entry_subject_seq ON audit_entry (subject, seq);
CREATE INDEX audit_entry_recorded_at ON audit_entry (recorded_at);
