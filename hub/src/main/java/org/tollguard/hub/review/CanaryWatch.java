package org.tollguard.hub.review;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.hub.db.Database;

/**
 * A report that names a canary (an address nobody has reason to report) lowers its reporter's trust and raises an
 * alert, once per report. Runs in the hub's background loop and before the queue is shown, so no hub instance's
 * memory holds anything.
 */
public final class CanaryWatch {
    private static final Logger log = LoggerFactory.getLogger(CanaryWatch.class);

    private final Database db;

    public CanaryWatch(Database db) {
        this.db = db;
    }

    /** Alerts the canary reports not alerted yet; returns how many. */
    public int scan() throws SQLException {
        return db.transaction(c -> {
            int hits = 0;
            // the hits themselves are found by triggers at intake and when a canary is added (migration V203)
            try (PreparedStatement s = c.prepareStatement("UPDATE canary_hit SET alerted = true WHERE NOT alerted "
                    + "RETURNING site_id, host(address)");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    hits++;
                    long site = r.getLong(1);
                    String address = r.getString(2);
                    try (PreparedStatement stats = c.prepareStatement("INSERT INTO reporter_stats (site_id, canary_hits) "
                            + "VALUES (?, 1) ON CONFLICT (site_id) DO UPDATE SET "
                            + "canary_hits = reporter_stats.canary_hits + 1")) {
                        stats.setLong(1, site);
                        stats.executeUpdate();
                    }
                    String message = "site " + siteName(c, site) + " reported canary " + address
                            + ": its trust is lowered; check that agent (a misconfigured allowlist, or a forged report)";
                    try (PreparedStatement alert = c.prepareStatement(
                            "INSERT INTO review_alert (kind, message) VALUES ('canary', ?)")) {
                        alert.setString(1, message);
                        alert.executeUpdate();
                    }
                    AuditLog.record(c, "rule:canary", "canary-hit", address, message, "site " + site);
                    log.warn(message);
                }
            }
            return hits;
        });
    }

    private static String siteName(java.sql.Connection c, long site) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM site WHERE id = ?")) {
            s.setLong(1, site);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : "#" + site;
            }
        }
    }
}
