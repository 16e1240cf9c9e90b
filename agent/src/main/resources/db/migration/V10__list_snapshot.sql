-- The last good community list of every source, applied again at start-up before any network request.
CREATE TABLE list_snapshot (
    source      TEXT    PRIMARY KEY,
    entries     BLOB    NOT NULL,            -- NetList binary form, deflated
    size        INTEGER NOT NULL,
    etag        TEXT,                        -- the server's validator for a conditional request
    cursor      TEXT,                        -- where incremental changes continue (hub), Last-Modified (plain)
    fingerprint TEXT    NOT NULL,            -- the sanity settings the list was filtered with
    stored      INTEGER NOT NULL             -- epoch milliseconds
);
