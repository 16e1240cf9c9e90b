-- The newest generation of a signed list (hub source) this agent has taken: a list file of an older generation
-- is refused as replayed or rolled back, also after a restart and after the stored list was dropped.
CREATE TABLE list_generation (
    source     TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    taken_at   INTEGER NOT NULL
);
