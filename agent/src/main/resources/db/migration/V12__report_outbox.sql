-- Reports of local bans for the hub, kept until the hub acknowledges them.
CREATE TABLE report_outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id    TEXT    NOT NULL UNIQUE,    -- sent with the report; the hub de-duplicates on it
    decision_id  INTEGER NOT NULL UNIQUE,    -- the ban it reports; one report per ban
    address      TEXT    NOT NULL,
    payload      TEXT    NOT NULL,           -- the report as JSON
    state        TEXT    NOT NULL,           -- pending | sent | dropped
    attempts     INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL,           -- epoch milliseconds
    sent         INTEGER,                    -- when the hub acknowledged it
    drop_reason  TEXT
);

CREATE INDEX report_outbox_state ON report_outbox (state, id);

-- The newest decision the reporter has looked at: bans after it are reported, bans before it never (also
-- while reporting was off).
CREATE TABLE report_cursor (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    last_decision_id INTEGER NOT NULL
);
