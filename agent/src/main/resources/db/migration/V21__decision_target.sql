-- A decision's target is typed: an address (or network), an account, a call, a list source. `target` keeps the
-- text people read and search (for a call: its account); a call's PBX, id and hang-up cause have columns.
ALTER TABLE decision ADD COLUMN target_type TEXT;   -- address | account | call | list; NULL in rows from before
ALTER TABLE decision ADD COLUMN call_pbx    TEXT;
ALTER TABLE decision ADD COLUMN call_id     TEXT;
ALTER TABLE decision ADD COLUMN call_cause  INTEGER;
