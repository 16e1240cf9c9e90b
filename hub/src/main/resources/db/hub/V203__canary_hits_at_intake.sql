-- Canary hits are found where reports and canaries arrive, not by a scan of every stored report every 10 s (that
-- scan grew with the report table: 145 ms mean, 1 s max at 640,000 reports in the intake benchmark). CanaryWatch
-- only alerts the hits not alerted yet.
ALTER TABLE canary_hit ADD COLUMN alerted boolean NOT NULL DEFAULT false;
UPDATE canary_hit SET alerted = true;
CREATE INDEX canary_hit_unalerted ON canary_hit (report_id) WHERE NOT alerted;

-- Intake: each new report against the canaries (a GiST probe of the allowlist).
CREATE FUNCTION canary_on_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO canary_hit (report_id, site_id, address, at)
    SELECT r.id, r.site_id, r.address, r.received_at FROM new_rows r
    WHERE EXISTS (SELECT 1 FROM allowlist a WHERE a.kind = 'canary' AND a.network >>= r.address)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER canary_report_insert AFTER INSERT ON report REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION canary_on_report();

-- A canary added later: the reports already stored inside it (planned with the network as a constant, so the
-- index on report (address, received_at) finds them).
CREATE FUNCTION canary_on_allowlist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    canary cidr;
BEGIN
    FOR canary IN SELECT network FROM new_rows WHERE kind = 'canary' LOOP
        EXECUTE 'INSERT INTO canary_hit (report_id, site_id, address, at) '
                'SELECT r.id, r.site_id, r.address, r.received_at FROM report r WHERE r.address <<= $1 '
                'ON CONFLICT DO NOTHING' USING canary;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER canary_allowlist_insert AFTER INSERT ON allowlist REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION canary_on_allowlist();
CREATE TRIGGER canary_allowlist_update AFTER UPDATE ON allowlist REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION canary_on_allowlist();

-- Reports stored before this migration whose canary was never scanned for.
INSERT INTO canary_hit (report_id, site_id, address, at)
SELECT r.id, r.site_id, r.address, r.received_at FROM report r
JOIN allowlist a ON a.kind = 'canary' AND a.network >>= r.address
ON CONFLICT DO NOTHING;
