-- How each source's syncs went, for `tollguard lists`.
CREATE TABLE list_sync_state (
    source               TEXT    PRIMARY KEY,
    last_attempt         INTEGER,            -- epoch milliseconds
    last_success         INTEGER,
    last_error           TEXT,
    last_error_at        INTEGER,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    size                 INTEGER NOT NULL DEFAULT 0,
    dropped              TEXT    NOT NULL DEFAULT '{}'   -- JSON: reason -> count, of the last applied list
);

-- Every list import that changed the firewall: one row per import, not one per address.
CREATE TABLE list_import (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT    NOT NULL,
    at          INTEGER NOT NULL,            -- epoch milliseconds
    kind        TEXT    NOT NULL,            -- full | changes | stored | expired
    size        INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    removed     INTEGER NOT NULL,
    dropped     TEXT    NOT NULL DEFAULT '{}',
    elapsed_ms  INTEGER NOT NULL
);

CREATE INDEX list_import_source_at ON list_import (source, at);
