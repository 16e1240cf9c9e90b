-- Indexes the portal's pages and the heartbeats need once a reseller has thousands of sites (PortalBench):
-- a site's agent (the site page, each site of the customer page, a site's policy version) and a site's block
-- record, newest first (without it every site page read the whole history of every site).
create index agent_site on agent (site_id);
create index account_block_log_site_at on account_block_log (site_id, at desc, id desc);
