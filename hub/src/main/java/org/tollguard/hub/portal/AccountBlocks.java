package org.tollguard.hub.portal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tollguard.hub.db.Database;
import org.tollguard.protocol.SitePolicy.AccountBlock;

/**
 * Accounts blocked from the portal: a block or unblock is recorded with who did it and goes out to the site's
 * agent as a new policy version in the same transaction.
 */
public final class AccountBlocks {
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");

    private final Database db;
    private final Tenants tenants;
    private final SitePolicies policies;
    private final Clock clock;

    public AccountBlocks(Database db, Tenants tenants, SitePolicies policies, Clock clock) {
        this.db = db;
        this.tenants = tenants;
        this.policies = policies;
        this.clock = clock;
    }

    /** Returns the policy version that carries the change. */
    public long block(TenantScope scope, long siteId, String account, String reason, String actor) throws SQLException {
        return change(scope, siteId, account, true, reason, actor);
    }

    public long unblock(TenantScope scope, long siteId, String account, String actor) throws SQLException {
        return change(scope, siteId, account, false, null, actor);
    }

    private long change(TenantScope scope, long siteId, String account, boolean block, String reason, String actor)
            throws SQLException {
        if (scope.isCustomerUser()) {
            throw new IllegalArgumentException("only the reseller blocks and unblocks accounts");
        }
        tenants.site(scope, siteId);
        if (account == null || !ACCOUNT.matcher(account.strip()).matches()) {
            throw new IllegalArgumentException("account '" + account + "' is not valid");
        }
        String name = account.strip();
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return db.transaction(c -> {
            String sql = block
                    ? "insert into account_block (site_id, account, blocked_by, blocked_at, reason) values (?, ?, ?, ?, ?) "
                            + "on conflict (site_id, account) do nothing"
                    : "delete from account_block where site_id = ? and account = ?";
            int changed;
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, siteId);
                s.setString(2, name);
                if (block) {
                    s.setString(3, actor);
                    s.setTimestamp(4, Timestamp.from(now));
                    s.setString(5, reason == null || reason.isBlank() ? null : reason.strip());
                }
                changed = s.executeUpdate();
            }
            if (changed == 0) {
                throw new IllegalArgumentException("account " + name + " is " + (block ? "blocked already" : "not blocked"));
            }
            try (PreparedStatement s = c.prepareStatement("insert into account_block_log (site_id, account, action, "
                    + "actor, at, reason) values (?, ?, ?, ?, ?, ?)")) {
                s.setLong(1, siteId);
                s.setString(2, name);
                s.setString(3, block ? "block" : "unblock");
                s.setString(4, actor);
                s.setTimestamp(5, Timestamp.from(now));
                s.setString(6, reason);
                s.executeUpdate();
            }
            return policies.refresh(c, siteId);
        });
    }

    static List<AccountBlock> active(Connection c, long siteId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select account, blocked_by, blocked_at, reason "
                + "from account_block where site_id = ? order by account")) {
            s.setLong(1, siteId);
            List<AccountBlock> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new AccountBlock(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(),
                            r.getString(4)));
                }
            }
            return out;
        }
    }

    /** The record of blocks and unblocks of the site, newest first. */
    public List<BlockLogEntry> log(long siteId, int limit) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select at, account, action, actor, reason from account_block_log "
                     + "where site_id = ? order by at desc, id desc limit ?")) {
            s.setLong(1, siteId);
            s.setInt(2, limit);
            List<BlockLogEntry> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new BlockLogEntry(r.getTimestamp(1).toInstant(), r.getString(2), r.getString(3),
                            r.getString(4), r.getString(5)));
                }
            }
            return out;
        }
    }

    public record BlockLogEntry(Instant at, String account, String action, String actor, String reason) {}
}
