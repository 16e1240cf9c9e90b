-- The hub's whole state. Several hub instances share it; nothing that matters lives in an instance's memory.

-- Who runs PBXs. Issue 15 puts resellers above operators (customers); a site always belongs to one operator.
create table operator (
    id          bigserial primary key,
    name        text not null unique,
    created_at  timestamptz not null default now()
);

-- One PBX installation; enrolled agents report for it.
create table site (
    id           bigserial primary key,
    operator_id  bigint not null references operator (id),
    name         text not null unique,
    created_at   timestamptz not null default now()
);

-- One-time tokens an operator hands to an agent; stored hashed (SHA-256 of the token).
create table enrollment_token (
    id          bigserial primary key,
    site_id     bigint not null references site (id),
    token_hash  bytea not null unique,
    created_at  timestamptz not null default now(),
    created_by  text not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    agent_id    bigint
);

-- An enrolled agent and its credential (SHA-256 of it). The rate bucket lives here so every instance shares it.
create table agent (
    id               bigserial primary key,
    site_id          bigint not null references site (id),
    credential_hash  bytea not null unique,
    hostname         text,
    agent_version    text,
    enrolled_at      timestamptz not null default now(),
    last_seen_at     timestamptz,
    revoked_at       timestamptz,
    rate_tokens      double precision not null,
    rate_updated_at  timestamptz not null default now()
);

alter table enrollment_token add foreign key (agent_id) references agent (id);

-- Every report as the agent sent it (evidence), with its reporter. (agent_id, report_id) makes intake idempotent.
create table report (
    id           bigserial primary key,
    agent_id     bigint not null references agent (id),
    site_id      bigint not null references site (id),
    report_id    text not null,
    address      inet not null,
    banned_at    timestamptz not null,
    received_at  timestamptz not null default now(),
    evidence     jsonb not null,
    unique (agent_id, report_id)
);
create index report_address_received on report (address, received_at);
create index report_received on report (received_at);

-- The approved list as it is now: one row per listed network.
create table listed (
    list         text not null,
    network      cidr not null,
    reason       text,
    expires_at   timestamptz,
    approved_at  timestamptz not null default now(),
    approved_by  text not null,
    primary key (list, network)
);

-- Every approval, by whom (operator:NAME) or by what (rule:...), kept for the record.
create table approval (
    id           bigserial primary key,
    list         text not null,
    network      cidr not null,
    approved_at  timestamptz not null default now(),
    approved_by  text not null,
    reason       text,
    expires_at   timestamptz
);

-- Changes to the list waiting for, or taken into, a generation.
create table list_change (
    seq          bigserial primary key,
    list         text not null,
    op           text not null check (op in ('add', 'remove')),
    network      cidr not null,
    reason       text,
    expires_at   timestamptz,
    created_at   timestamptz not null default now(),
    generation   bigint
);
create index list_change_pending on list_change (list) where generation is null;

-- One row per list; publication locks it (select ... for update), so generations are taken one at a time by
-- whichever instance publishes, and never go back.
create table list_state (
    list            text primary key,
    generation      bigint not null default 0,
    head_body       bytea,
    head_signature  text,
    head_created    timestamptz,
    snapshot_path   text
);

-- Every published file, immutable once written (except head.json, which lives in list_state). Bodies gzipped.
create table published_file (
    list        text not null,
    path        text not null,
    kind        text not null check (kind in ('snapshot', 'changes')),
    sha256      text not null,
    since       bigint not null,
    generation  bigint not null,
    entries     integer not null,
    created_at  timestamptz not null,
    body_gzip   bytea not null,
    signature   text not null,
    primary key (list, path)
);
-- a generation is published once, whichever instance publishes it
create unique index published_file_generation on published_file (list, kind, generation);
