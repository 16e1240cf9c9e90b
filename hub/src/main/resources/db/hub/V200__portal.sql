-- The reseller portal (issue 15): resellers above operators (the portal calls an operator a customer), users
-- scoped to a reseller or a customer, policy settings per customer/site/group/account, signed site policies,
-- account blocks, heartbeats and fleet alerts. Versions 200+ belong to the portal.

create table reseller (
    id          bigserial primary key,
    name        text not null unique,
    created_at  timestamptz not null default now()
);

alter table operator add column reseller_id bigint references reseller (id);
-- the policy keys a customer's own users may change (the reseller decides)
alter table operator add column customer_may_edit text[] not null default '{}';
create index operator_reseller on operator (reseller_id);

alter table web_user drop constraint web_user_role_check;
alter table web_user add constraint web_user_role_check check (role in ('reviewer', 'admin', 'reseller', 'customer'));
alter table web_user add column reseller_id bigint references reseller (id);
alter table web_user add column operator_id bigint references operator (id);
alter table web_user add constraint web_user_tenant check (
    (role = 'reseller' and reseller_id is not null and operator_id is null)
    or (role = 'customer' and operator_id is not null and reseller_id is null)
    or (role in ('reviewer', 'admin') and reseller_id is null and operator_id is null));

-- One level of settings: a customer's (site_id null, scope 'customer'), a site's, or a group's or account's (of
-- one site, or of every site of the customer when site_id is null). A null value inherits.
create table policy_setting (
    id                    bigserial primary key,
    operator_id           bigint not null references operator (id),
    site_id               bigint references site (id),
    scope                 text not null check (scope in ('customer', 'site', 'group', 'account')),
    name                  text not null default '',
    delta                 numeric(12, 4),
    max_concurrent        integer check (max_concurrent >= 0),
    max_duration_seconds  integer check (max_duration_seconds >= 0),
    blocked_categories    text[],
    blocked_prefixes      text[],
    allowed_networks      text[],
    updated_at            timestamptz not null default now(),
    updated_by            text not null
);
create unique index policy_setting_level on policy_setting (operator_id, coalesce(site_id, 0), scope, name);

-- The reseller's fraudulent-destination prefixes: refused for every account of every customer of the reseller.
create table fraud_prefix (
    reseller_id  bigint not null references reseller (id),
    prefix       text not null,
    note         text,
    added_by     text not null,
    added_at     timestamptz not null default now(),
    primary key (reseller_id, prefix)
);

-- Accounts blocked from the portal, and the record of every block and unblock.
create table account_block (
    site_id     bigint not null references site (id),
    account     text not null,
    blocked_by  text not null,
    blocked_at  timestamptz not null,
    reason      text,
    primary key (site_id, account)
);
create table account_block_log (
    id        bigserial primary key,
    site_id   bigint not null references site (id),
    account   text not null,
    action    text not null check (action in ('block', 'unblock')),
    actor     text not null,
    at        timestamptz not null,
    reason    text
);

-- The signed policy in force per site. The row is locked while a new version is made, so versions only go up.
create table site_policy (
    site_id    bigint primary key references site (id),
    version    bigint not null,
    content    text not null,
    body       text not null,
    signature  text not null,
    created    timestamptz not null
);

-- The newest heartbeat of each agent, as sent.
create table heartbeat (
    agent_id     bigint primary key references agent (id),
    site_id      bigint not null references site (id),
    received_at  timestamptz not null,
    body         jsonb not null
);
create index heartbeat_site on heartbeat (site_id);

-- Alerts of the fleet view: an agent gone silent, a policy refused, a block done. down_since marks an open
-- "agent down" alert so that it is raised once per outage.
create table fleet_alert (
    id        bigserial primary key,
    site_id   bigint not null references site (id),
    at        timestamptz not null,
    kind      text not null,
    text      text not null
);
create index fleet_alert_site_at on fleet_alert (site_id, at desc);
alter table agent add column down_since timestamptz;
