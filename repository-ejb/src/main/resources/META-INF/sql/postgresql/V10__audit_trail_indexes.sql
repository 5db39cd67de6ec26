-- The auditors' audit page and export (issue 15): each filter an auditor can set is answered newest
-- first from an index, so a page is one range read (keyset paging: seq below the last one shown)
-- whatever the log's size, never a scan of every entry.
CREATE INDEX audit_entry_actor_seq ON audit_entry (actor, seq);
CREATE INDEX audit_entry_action_seq ON audit_entry (action, seq);
-- A hash index, not a B-tree on (subject, seq): a subject may hold 1024 characters of four UTF-8 bytes
-- each, above the B-tree's limit of about 2700 bytes per row, and an entry whose index row cannot be
-- written cannot be inserted: the audited action would fail. Equality is all the filter asks.
CREATE INDEX audit_entry_subject ON audit_entry USING hash (subject);
CREATE INDEX audit_entry_recorded_at ON audit_entry (recorded_at);
