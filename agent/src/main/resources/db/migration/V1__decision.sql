-- Every action the agent takes: ban an address, block an account, refuse or hang up a call, raise an alert.
CREATE TABLE decision (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    evidence    TEXT    NOT NULL DEFAULT '{}',
    origin      TEXT    NOT NULL,
    created     INTEGER NOT NULL,            -- epoch milliseconds
    expires     INTEGER,                     -- epoch milliseconds; NULL = never
    lifted      INTEGER,                     -- epoch milliseconds; NULL = not lifted
    lifted_by   TEXT,
    lift_reason TEXT
);

CREATE INDEX decision_kind_target ON decision (kind, target);
CREATE INDEX decision_active ON decision (kind, lifted, expires);
CREATE INDEX decision_created ON decision (created);
