-- The review queue kept precomputed (issue 14, performance): recomputing it from the reports on every page view
-- took 12-18 s with 50,000 candidates. Two summaries, kept by triggers in the transaction of whatever changes
-- their inputs, so no writer can forget them:
--   queue_site     one row per (address, reporting site): the evidence of its reports, merged at intake;
--   queue_address  one row per reported address: the evidence over its sites, trust, score, and what decides
--                  whether it is pending (listed in which lists, allowlisted, rejected when).
-- The queue shows the reports of a window (review.window) that triggers do not know: ReviewQueue calls
-- queue_expire(now() - window) before reading, which rebuilds the few rows holding a report older than that.

CREATE TABLE queue_site (
    address         inet        NOT NULL,
    site_id         bigint      NOT NULL REFERENCES site (id),
    operator_id     bigint      NOT NULL,
    reports         integer     NOT NULL,
    failures        bigint      NOT NULL,
    accounts        integer     NOT NULL,
    answered        boolean     NOT NULL,
    first_seen      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL,
    first_received  timestamptz NOT NULL,
    last_received   timestamptz NOT NULL,
    services        text[]      NOT NULL,
    transports      text[]      NOT NULL,
    PRIMARY KEY (address, site_id)
);
CREATE INDEX queue_site_site ON queue_site (site_id);
CREATE INDEX queue_site_first_received ON queue_site (first_received);

CREATE TABLE queue_address (
    address         inet             PRIMARY KEY,
    operators       integer          NOT NULL,
    sites           integer          NOT NULL,
    reports         integer          NOT NULL,
    failures        bigint           NOT NULL,
    accounts        integer          NOT NULL,
    not_spoofed     boolean          NOT NULL,
    first_seen      timestamptz      NOT NULL,
    last_seen       timestamptz      NOT NULL,
    last_received   timestamptz      NOT NULL,
    services        text[]           NOT NULL,
    transports      text[]           NOT NULL,
    trust_sum       double precision NOT NULL,
    score           double precision NOT NULL,
    listed_in       text[]           NOT NULL,
    allowlisted     boolean          NOT NULL,
    rejected_at     timestamptz
);
CREATE INDEX queue_address_network ON queue_address USING gist (address inet_ops);
CREATE INDEX queue_address_score ON queue_address (score DESC, last_seen DESC);
CREATE INDEX queue_address_last_seen ON queue_address (last_seen DESC);

-- A reporter's trust (ReporterTrust explains it); reporter_stats may have no row for the site.
CREATE FUNCTION reporter_trust(approved integer, rejected integer, canary_hits integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE AS $$
    SELECT (coalesce(approved, 0) + 1.0) / (coalesce(approved, 0) + coalesce(rejected, 0)
            + 5 * coalesce(canary_hits, 0) + 4)
$$;

-- Concurrent writers of one address take turns: queue_refresh recomputes an address from the queue_site rows it
-- sees, and two intakes for one address from different sites would each miss the other's uncommitted rows (the
-- later upsert would lose the earlier's reports). Transaction-scoped advisory locks: a writer of a few addresses
-- holds the summaries' lock shared and one lock per address, taken in key order so that two writers cannot
-- deadlock on them; a writer of many (a bulk load, retention, listing a large network) holds the summaries'
-- lock alone, so no transaction needs more lock slots than PostgreSQL has (max_locks_per_transaction). A
-- statement after them sees what the previous holder committed.
CREATE FUNCTION queue_lock(addrs inet[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(addrs) > 256 THEN
        PERFORM pg_advisory_xact_lock(202, 0);
    ELSE
        PERFORM pg_advisory_xact_lock_shared(202, 0);
        PERFORM count(pg_advisory_xact_lock(203, k))
        FROM (SELECT DISTINCT hashtext(host(a)) AS k FROM unnest(addrs) a ORDER BY 1) keys;
    END IF;
END
$$;

-- Merges reports into queue_site. Failure labels where the source answered the PBX's digest challenge, and
-- connected transports, make a source not spoofed (agents from before the PBX-neutral labels sent Asterisk's).
CREATE FUNCTION queue_site_merge(rows report[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO queue_site AS q (address, site_id, operator_id, reports, failures, accounts, answered, first_seen,
                                 last_seen, first_received, last_received, services, transports)
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
           array_remove(array_agg(DISTINCT upper(r.evidence->>'transport')), NULL)
    FROM unnest(rows) AS r JOIN site s ON s.id = r.site_id
    GROUP BY r.address, r.site_id, s.operator_id
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

-- Recomputes the queue_address rows of these addresses from queue_site, reporter_stats, listed, allowlist and
-- candidate_decision. Trust: per operator (one voice) the best of its sites, summed; a source that may be
-- spoofed (UDP only, no digest answer) counts half (Candidate.SPOOFABLE_FACTOR).
CREATE FUNCTION queue_refresh(addrs inet[]) RETURNS void LANGUAGE sql AS $$
    SELECT queue_lock(addrs);
    DELETE FROM queue_address a WHERE a.address = ANY (addrs)
        AND NOT EXISTS (SELECT 1 FROM queue_site s WHERE s.address = a.address);
    WITH s AS (SELECT q.*, reporter_trust(rs.approved, rs.rejected, rs.canary_hits) AS trust
               FROM queue_site q LEFT JOIN reporter_stats rs ON rs.site_id = q.site_id
               WHERE q.address = ANY (addrs)),
         per_operator AS (SELECT address, max(trust) AS trust FROM s GROUP BY address, operator_id),
         trust AS (SELECT address, sum(trust) AS trust_sum FROM per_operator GROUP BY address),
         g AS (SELECT address, count(DISTINCT operator_id) AS operators, count(*) AS sites, sum(reports) AS reports,
                      sum(failures) AS failures, max(accounts) AS accounts, bool_or(answered) AS not_spoofed,
                      min(first_seen) AS first_seen, max(last_seen) AS last_seen,
                      max(last_received) AS last_received
               FROM s GROUP BY address),
         services AS (SELECT address, array_agg(DISTINCT v ORDER BY v) AS services
                      FROM s, unnest(s.services) v GROUP BY address),
         transports AS (SELECT address, array_agg(DISTINCT v ORDER BY v) AS transports
                        FROM s, unnest(s.transports) v GROUP BY address)
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
$$;

-- Drops from the summaries the reports received at or before cutoff (they left the queue's window).
CREATE FUNCTION queue_expire(cutoff timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    addrs inet[];
BEGIN
    SELECT array_agg(DISTINCT address) INTO addrs FROM queue_site WHERE first_received <= cutoff;
    IF addrs IS NULL THEN
        RETURN;
    END IF;
    PERFORM queue_lock(addrs);
    DELETE FROM queue_site WHERE address = ANY (addrs);
    PERFORM queue_site_merge(ARRAY(SELECT r FROM report r WHERE r.address = ANY (addrs) AND r.received_at > cutoff));
    PERFORM queue_refresh(addrs);
END
$$;

-- Intake: the reports a statement inserted (a retried batch inserts none: ON CONFLICT DO NOTHING).
CREATE FUNCTION queue_on_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM queue_lock(ARRAY(SELECT address FROM new_rows));
    PERFORM queue_site_merge(ARRAY(SELECT r FROM report r WHERE r.id IN (SELECT id FROM new_rows)));
    PERFORM queue_refresh(ARRAY(SELECT DISTINCT address FROM new_rows));
    RETURN NULL;
END
$$;
CREATE TRIGGER queue_report_insert AFTER INSERT ON report REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION queue_on_report();

-- Reports removed (retention): rebuild their addresses from what is left.
CREATE FUNCTION queue_on_report_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    addrs inet[] := ARRAY(SELECT DISTINCT address FROM old_rows);
BEGIN
    PERFORM queue_lock(addrs);
    DELETE FROM queue_site WHERE address = ANY (addrs);
    PERFORM queue_site_merge(ARRAY(SELECT r FROM report r WHERE r.address = ANY (addrs)));
    PERFORM queue_refresh(addrs);
    RETURN NULL;
END
$$;
CREATE TRIGGER queue_report_delete AFTER DELETE ON report REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION queue_on_report_delete();

-- Listing, delisting, the allowlist: the summarised addresses inside the networks that changed.
CREATE FUNCTION queue_on_network_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM queue_refresh(ARRAY(SELECT DISTINCT a.address FROM queue_address a JOIN new_rows n
                                ON n.network >>= a.address));
    RETURN NULL;
END
$$;
CREATE FUNCTION queue_on_network_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM queue_refresh(ARRAY(SELECT DISTINCT a.address FROM queue_address a JOIN old_rows o
                                ON o.network >>= a.address));
    RETURN NULL;
END
$$;
CREATE FUNCTION queue_on_network_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM queue_refresh(ARRAY(SELECT DISTINCT a.address FROM queue_address a
                                WHERE EXISTS (SELECT 1 FROM new_rows n WHERE n.network >>= a.address)
                                   OR EXISTS (SELECT 1 FROM old_rows o WHERE o.network >>= a.address)));
    RETURN NULL;
END
$$;
CREATE TRIGGER queue_listed_insert AFTER INSERT ON listed REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION queue_on_network_insert();
CREATE TRIGGER queue_listed_delete AFTER DELETE ON listed REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION queue_on_network_delete();
CREATE TRIGGER queue_listed_update AFTER UPDATE ON listed REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION queue_on_network_update();
CREATE TRIGGER queue_allowlist_insert AFTER INSERT ON allowlist REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION queue_on_network_insert();
CREATE TRIGGER queue_allowlist_delete AFTER DELETE ON allowlist REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION queue_on_network_delete();
CREATE TRIGGER queue_allowlist_update AFTER UPDATE ON allowlist REFERENCING OLD TABLE AS old_rows
    NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_on_network_update();

-- Decisions: the decided address. Reporter trust: every address its sites reported.
CREATE FUNCTION queue_on_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM queue_refresh(ARRAY[NEW.address]);
    RETURN NULL;
END
$$;
CREATE TRIGGER queue_decision AFTER INSERT OR UPDATE ON candidate_decision
    FOR EACH ROW EXECUTE FUNCTION queue_on_decision();
CREATE FUNCTION queue_on_decision_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM queue_refresh(ARRAY[OLD.address]);
    RETURN NULL;
END
$$;
CREATE TRIGGER queue_decision_delete AFTER DELETE ON candidate_decision
    FOR EACH ROW EXECUTE FUNCTION queue_on_decision_delete();

CREATE FUNCTION queue_on_trust() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM queue_refresh(ARRAY(SELECT DISTINCT q.address FROM queue_site q
                                WHERE q.site_id IN (SELECT site_id FROM changed)));
    RETURN NULL;
END
$$;
CREATE TRIGGER queue_trust_insert AFTER INSERT ON reporter_stats REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION queue_on_trust();
CREATE TRIGGER queue_trust_update AFTER UPDATE ON reporter_stats REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION queue_on_trust();

-- Backfill: every report there is (queue_expire trims the window at the first page view).
SELECT queue_site_merge(ARRAY(SELECT r FROM report r));
SELECT queue_refresh(ARRAY(SELECT DISTINCT address FROM queue_site));
