-- The review pages (issue 14): people who log in, their sessions, the admin API's tokens and the audit log.
-- Versions 100+ belong to the review pages so that they never collide with the hub core's migrations.

CREATE TABLE web_user (
    id            bigserial PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('reviewer', 'admin')),
    created       timestamptz NOT NULL DEFAULT now(),
    disabled      boolean     NOT NULL DEFAULT false,
    failed_logins integer     NOT NULL DEFAULT 0,
    locked_until  timestamptz
);

-- The cookie holds a random token; only its SHA-256 is stored, so a copy of the table opens no session.
CREATE TABLE web_session (
    token_sha256 text PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES web_user (id) ON DELETE CASCADE,
    csrf_token   text        NOT NULL,
    created      timestamptz NOT NULL,
    last_seen    timestamptz NOT NULL,
    expires      timestamptz NOT NULL
);
CREATE INDEX web_session_expires ON web_session (expires);

CREATE TABLE admin_api_token (
    id           bigserial PRIMARY KEY,
    name         text        NOT NULL UNIQUE,
    token_sha256 text        NOT NULL UNIQUE,
    created      timestamptz NOT NULL DEFAULT now(),
    revoked      timestamptz
);

-- Every listing, delisting, rejection and allowlist edit: who or which rule, what, why.
CREATE TABLE review_audit (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text        NOT NULL,
    action  text        NOT NULL,
    subject text        NOT NULL,
    reason  text,
    detail  text
);
CREATE INDEX review_audit_at ON review_audit (at DESC);
CREATE INDEX review_audit_subject ON review_audit (subject);
