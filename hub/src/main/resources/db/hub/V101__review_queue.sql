-- The review queue (issue 14): reporter trust, decisions on candidates, the allowlist with canaries, alerts and
-- auto-listing rules. Listing itself goes through the hub's listed/approval/list_change tables (V1).

-- A reporter is a site (one PBX installation; its operator is the "voice" that counts once). Trust is earned:
-- approved reports raise it, rejected ones and canary hits lower it (ReporterTrust says how).
CREATE TABLE reporter_stats (
    site_id      bigint PRIMARY KEY REFERENCES site (id),
    approved     integer NOT NULL DEFAULT 0,
    rejected     integer NOT NULL DEFAULT 0,
    canary_hits  integer NOT NULL DEFAULT 0
);

-- The last decision on an address. A rejected address leaves the queue until it is reported again after the
-- rejection; an approved one is in listed.
CREATE TABLE candidate_decision (
    address     inet PRIMARY KEY,
    decision    text        NOT NULL CHECK (decision IN ('approved', 'rejected', 'delisted')),
    decided_by  text        NOT NULL,
    decided_at  timestamptz NOT NULL,
    reason      text
);

-- Never listed, whatever the reports say: carriers, SIP providers, networks the operator manages, and canaries
-- (addresses nobody should ever report: a report naming one lowers the reporter's trust and raises an alert).
CREATE TABLE allowlist (
    id        bigserial PRIMARY KEY,
    network   cidr        NOT NULL UNIQUE,
    kind      text        NOT NULL CHECK (kind IN ('carrier', 'provider', 'network', 'canary')),
    note      text        NOT NULL,
    added_by  text        NOT NULL,
    added_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allowlist_network ON allowlist USING gist (network inet_ops);

-- A canary hit counts once per report.
CREATE TABLE canary_hit (
    report_id  bigint PRIMARY KEY REFERENCES report (id) ON DELETE CASCADE,
    site_id    bigint      NOT NULL REFERENCES site (id),
    address    inet        NOT NULL,
    at         timestamptz NOT NULL
);

CREATE TABLE review_alert (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    kind          text        NOT NULL,
    message       text        NOT NULL,
    acknowledged  timestamptz
);

-- Auto-listing, per rule, off unless enabled: N distinct operators whose trust is at least min_trust, within a
-- window. Whatever a rule lists is recorded as listed by rule:NAME.
CREATE TABLE auto_rule (
    name            text PRIMARY KEY,
    min_operators   integer          NOT NULL CHECK (min_operators >= 1),
    min_trust       double precision NOT NULL CHECK (min_trust >= 0 AND min_trust <= 1),
    window_seconds  integer          NOT NULL CHECK (window_seconds > 0),
    listed_for_seconds integer       NOT NULL CHECK (listed_for_seconds > 0),
    enabled         boolean          NOT NULL DEFAULT true,
    created_by      text             NOT NULL,
    created_at      timestamptz      NOT NULL DEFAULT now()
);

-- How many networks were listed, sampled at each change, for the list-size chart.
CREATE TABLE list_size_sample (
    at     timestamptz PRIMARY KEY,
    size   integer NOT NULL
);
