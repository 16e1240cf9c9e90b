-- The spend IDS's history: every finished outgoing call with its cost, from the PBX's call events or imported
-- from its CDR files. Costs are whole millionths of the currency unit (exact; SUM stays exact).
CREATE TABLE cdr (
    call_id          TEXT    PRIMARY KEY,    -- the PBX's unique id of the calling channel (Asterisk Uniqueid)
    account          TEXT    NOT NULL,
    destination      TEXT    NOT NULL,       -- as dialled
    e164             TEXT,                   -- normalised; NULL if not a phone number
    category         TEXT    NOT NULL,       -- numbers/Category id
    high_risk        INTEGER NOT NULL,       -- 0 or 1
    started          INTEGER NOT NULL,       -- epoch milliseconds
    answered         INTEGER,                -- epoch milliseconds; NULL = not answered
    ended            INTEGER NOT NULL,       -- epoch milliseconds; the day a call counts on is the day it ended
    billable_seconds INTEGER NOT NULL,
    cost_micros      INTEGER NOT NULL,       -- cost in millionths of the currency unit
    currency         TEXT    NOT NULL,
    rate             TEXT    NOT NULL,       -- the rate deck prefix that priced it, or default:CATEGORY
    origin           TEXT    NOT NULL        -- live, cdr (PBX's own record) or import
);

-- Daily spend and baselines are sums over [day start, next day start) per account: this index covers them.
CREATE INDEX cdr_account_ended ON cdr (account, ended, category, high_risk, cost_micros);
CREATE INDEX cdr_ended ON cdr (ended);

-- The days on which the spend IDS blocked an account: it trips once per account per day, also across restarts.
CREATE TABLE spend_trip (
    account  TEXT    NOT NULL,
    day      TEXT    NOT NULL,               -- YYYY-MM-DD in ids.time-zone
    tripped  INTEGER NOT NULL,               -- epoch milliseconds
    PRIMARY KEY (account, day)
);
