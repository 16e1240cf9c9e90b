-- Abuse reports (issue 14): the network's abuse contact is told, in one X-ARF v4 mail per contact per day, about
-- the addresses the hub newly listed. Only the evidence of operators who opted in is sent.

-- An operator (the owner of reporting sites) opts in from the reporters page; nothing is sent for the others.
ALTER TABLE operator ADD COLUMN abuse_reports boolean NOT NULL DEFAULT false;

-- Written in the listing's own transaction, so a failing RDAP or SMTP never loses one. 'pending' until the
-- addresses' abuse contacts are known ('resolved'), or 'skipped' with the reason (nobody opted in, no contact).
CREATE TABLE abuse_listing (
    id            bigserial PRIMARY KEY,
    network       cidr        NOT NULL,
    listed_by     text        NOT NULL,
    listed_at     timestamptz NOT NULL,
    state         text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'resolved', 'skipped')),
    attempts      integer     NOT NULL DEFAULT 0,
    next_attempt  timestamptz NOT NULL,
    last_error    text
);
CREATE INDEX abuse_listing_due ON abuse_listing (next_attempt) WHERE state = 'pending';

-- What RDAP said about a network: its range and abuse contact (null: the registry names none), kept for the
-- configured cache-for so that a second address in the same network costs no lookup.
CREATE TABLE abuse_contact_cache (
    id             bigserial PRIMARY KEY,
    start_address  inet        NOT NULL,
    end_address    inet        NOT NULL,
    handle         text,
    name           text,
    contact        text,
    fetched_at     timestamptz NOT NULL
);
CREATE INDEX abuse_contact_cache_range ON abuse_contact_cache (start_address, end_address);

-- One mail per contact per day (the unique key says so, whichever hub instance sends it).
CREATE TABLE abuse_mail (
    id          bigserial PRIMARY KEY,
    contact     text        NOT NULL,
    day         date        NOT NULL,
    sent_at     timestamptz NOT NULL,
    message_id  text        NOT NULL,
    addresses   integer     NOT NULL,
    UNIQUE (contact, day)
);

-- One address to tell one contact about; mail_id is set once the mail that told it went out.
CREATE TABLE abuse_item (
    id          bigserial PRIMARY KEY,
    listing_id  bigint      NOT NULL REFERENCES abuse_listing (id) ON DELETE CASCADE,
    address     inet        NOT NULL,
    contact     text        NOT NULL,
    network     text,
    mail_id     bigint      REFERENCES abuse_mail (id),
    UNIQUE (listing_id, address)
);
CREATE INDEX abuse_item_unsent ON abuse_item (contact) WHERE mail_id IS NULL;

-- A contact whose mail failed: when to try again and why it failed (shown until a mail to it goes out).
CREATE TABLE abuse_send_failure (
    contact       text PRIMARY KEY,
    attempts      integer     NOT NULL,
    next_attempt  timestamptz NOT NULL,
    last_error    text        NOT NULL
);
