-- Grouped views of the queue (issue 14, performance): with 50,000 candidates the /24 view took 423 ms and the /16
-- view 319 ms, most of it joining every queue_site row with the pending addresses and reporter_stats and grouping the
-- 100,000 (group, site) rows by hash. queue_site now carries what that step needs: the /24 (IPv6 /48) and /16
-- (IPv6 /32) keys of its address (the keys Grouping uses), its site's trust, and whether its address is pending;
-- indexes ordered by (key, operator, site) hold the pending rows, so the per-operator step is an index-only scan
-- streamed into two aggregates, without a join or a sort.
--
-- Pending depends on the list the queue is for (listed_in holds every list), and an index cannot take the list as a
-- parameter: queue_site.pending is for the list named in queue_list, the hub's own (publication.list).
-- ReviewQueue names its list before each read; naming another list recomputes the column.

CREATE TABLE queue_list (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    list      text    NOT NULL
);
INSERT INTO queue_list (list) VALUES ('community');

ALTER TABLE queue_site
    ADD COLUMN block   cidr GENERATED ALWAYS AS
        (network(set_masklen(address, CASE WHEN family(address) = 4 THEN 24 ELSE 48 END))) STORED,
    ADD COLUMN network cidr GENERATED ALWAYS AS
        (network(set_masklen(address, CASE WHEN family(address) = 4 THEN 16 ELSE 32 END))) STORED,
    ADD COLUMN trust   double precision NOT NULL DEFAULT 0.25,
    ADD COLUMN pending boolean NOT NULL DEFAULT true;

-- Whether summarised address a waits for a decision on list l (ReviewQueue.PENDING says the same).
CREATE FUNCTION queue_pending(a queue_address, l text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT NOT (l = ANY (a.listed_in)) AND NOT a.allowlisted
           AND (a.rejected_at IS NULL OR a.rejected_at < a.last_received)
$$;

-- As in V202, and a new row gets its site's trust and is inserted pending, as most are (queue_refresh corrects
-- both, writing only the rows that differ).
CREATE OR REPLACE FUNCTION queue_site_merge(rows report[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO queue_site AS q (address, site_id, operator_id, reports, failures, accounts, answered, first_seen,
                                 last_seen, first_received, last_received, services, transports, trust)
    SELECT r.address, r.site_id, s.operator_id, count(*),
           sum((SELECT coalesce(sum(v::bigint), 0) FROM jsonb_each_text(r.evidence->'counts') AS e(k, v))),
           max(coalesce((r.evidence->>'account-count')::int, 0)),
           bool_or(upper(coalesce(r.evidence->>'transport', '')) IN ('TCP', 'TLS', 'WS', 'WSS')
                   OR coalesce(r.evidence->'counts', '{}'::jsonb)
                      ?| array['wrong-password', 'auth-failed', 'ChallengeResponseFailed', 'InvalidPassword']),
           min(coalesce((r.evidence->>'first-seen')::timestamptz, r.banned_at)),
           max(coalesce((r.evidence->>'last-seen')::timestamptz, r.banned_at)),
           min(r.received_at), max(r.received_at),
           array_remove(array_agg(DISTINCT r.evidence->>'service'), NULL),
           array_remove(array_agg(DISTINCT upper(r.evidence->>'transport')), NULL),
           reporter_trust(rs.approved, rs.rejected, rs.canary_hits)
    FROM unnest(rows) AS r JOIN site s ON s.id = r.site_id LEFT JOIN reporter_stats rs ON rs.site_id = r.site_id
    GROUP BY r.address, r.site_id, s.operator_id, rs.approved, rs.rejected, rs.canary_hits
    ORDER BY r.address, r.site_id
    ON CONFLICT (address, site_id) DO UPDATE SET
        reports = q.reports + excluded.reports,
        failures = q.failures + excluded.failures,
        accounts = greatest(q.accounts, excluded.accounts),
        answered = q.answered OR excluded.answered,
        first_seen = least(q.first_seen, excluded.first_seen),
        last_seen = greatest(q.last_seen, excluded.last_seen),
        first_received = least(q.first_received, excluded.first_received),
        last_received = greatest(q.last_received, excluded.last_received),
        services = ARRAY(SELECT DISTINCT unnest(q.services || excluded.services) ORDER BY 1),
        transports = ARRAY(SELECT DISTINCT unnest(q.transports || excluded.transports) ORDER BY 1)
$$;

-- As in V202, and the same statement sets queue_site's pending and trust from the rows it upserts (the CTE's
-- trust is site_trust now that queue_site has a trust column): every path that changes pending or trust (intake,
-- retention, the window, listing, the allowlist, decisions, reporter trust) ends here.
CREATE OR REPLACE FUNCTION queue_refresh(addrs inet[]) RETURNS void LANGUAGE sql AS $$
    SELECT queue_lock(addrs);
    DELETE FROM queue_address a WHERE a.address = ANY (addrs)
        AND NOT EXISTS (SELECT 1 FROM queue_site s WHERE s.address = a.address);
    WITH s AS (SELECT q.*, reporter_trust(rs.approved, rs.rejected, rs.canary_hits) AS site_trust
               FROM queue_site q LEFT JOIN reporter_stats rs ON rs.site_id = q.site_id
               WHERE q.address = ANY (addrs)),
         per_operator AS (SELECT address, max(site_trust) AS trust FROM s GROUP BY address, operator_id),
         trust AS (SELECT address, sum(trust) AS trust_sum FROM per_operator GROUP BY address),
         g AS (SELECT address, count(DISTINCT operator_id) AS operators, count(*) AS sites, sum(reports) AS reports,
                      sum(failures) AS failures, max(accounts) AS accounts, bool_or(answered) AS not_spoofed,
                      min(first_seen) AS first_seen, max(last_seen) AS last_seen,
                      max(last_received) AS last_received
               FROM s GROUP BY address),
         services AS (SELECT address, array_agg(DISTINCT v ORDER BY v) AS services
                      FROM s, unnest(s.services) v GROUP BY address),
         transports AS (SELECT address, array_agg(DISTINCT v ORDER BY v) AS transports
                        FROM s, unnest(s.transports) v GROUP BY address),
         upserted AS (
    INSERT INTO queue_address AS a
    SELECT g.address, g.operators, g.sites, g.reports, g.failures, g.accounts, g.not_spoofed, g.first_seen,
           g.last_seen, g.last_received,
           coalesce(sv.services, '{}'), coalesce(tr.transports, '{}'),
           t.trust_sum, t.trust_sum * CASE WHEN g.not_spoofed THEN 1 ELSE 0.5 END,
           ARRAY(SELECT DISTINCT l.list FROM listed l WHERE l.network >>= g.address ORDER BY 1),
           EXISTS (SELECT 1 FROM allowlist w WHERE w.network >>= g.address),
           (SELECT d.decided_at FROM candidate_decision d WHERE d.address = g.address AND d.decision <> 'approved')
    FROM g JOIN trust t USING (address) LEFT JOIN services sv USING (address) LEFT JOIN transports tr USING (address)
    ORDER BY g.address
    ON CONFLICT (address) DO UPDATE SET
        operators = excluded.operators, sites = excluded.sites, reports = excluded.reports,
        failures = excluded.failures, accounts = excluded.accounts, not_spoofed = excluded.not_spoofed,
        first_seen = excluded.first_seen, last_seen = excluded.last_seen, last_received = excluded.last_received,
        services = excluded.services, transports = excluded.transports, trust_sum = excluded.trust_sum,
        score = excluded.score, listed_in = excluded.listed_in, allowlisted = excluded.allowlisted,
        rejected_at = excluded.rejected_at
    RETURNING a.address, queue_pending(a, (SELECT list FROM queue_list)) AS pending)
    UPDATE queue_site q SET pending = u.pending, trust = s.site_trust
    FROM s JOIN upserted u USING (address)
    WHERE q.address = s.address AND q.site_id = s.site_id
      AND (q.pending IS DISTINCT FROM u.pending OR q.trust IS DISTINCT FROM s.site_trust);
$$;

-- The list the queue is for; another than before recomputes queue_site.pending (under the summaries' lock alone).
CREATE FUNCTION queue_use_list(l text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM queue_list WHERE list = l) THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(202, 0);
    UPDATE queue_list SET list = l WHERE list <> l;
    IF FOUND THEN
        UPDATE queue_site q SET pending = queue_pending(a, l)
        FROM queue_address a WHERE a.address = q.address AND q.pending IS DISTINCT FROM queue_pending(a, l);
    END IF;
END
$$;

-- Backfill, then the indexes the grouped views read.
UPDATE queue_site q SET pending = queue_pending(a, 'community'), trust = t.trust
FROM queue_address a,
     (SELECT s.id AS site_id, reporter_trust(rs.approved, rs.rejected, rs.canary_hits) AS trust
      FROM site s LEFT JOIN reporter_stats rs ON rs.site_id = s.id) t
WHERE a.address = q.address AND t.site_id = q.site_id;
CREATE INDEX queue_site_block ON queue_site (block, operator_id, site_id) INCLUDE (trust) WHERE pending;
CREATE INDEX queue_site_network ON queue_site (network, operator_id, site_id) INCLUDE (trust) WHERE pending;
