package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A reporter's (a site's) earned trust, between 0 and 1: {@code (approved + 1) / (approved + rejected + 5 x
 * canary hits + 4)}. A new reporter starts at 0.25, ten approved reports bring it to 0.79, each rejection pulls it
 * down, and one canary hit weighs like five rejections. The same formula is SQL function
 * {@code reporter_trust} (migration V202) for the queue.
 */
public final class ReporterTrust {
    static final double CANARY_WEIGHT = 5;
    /** the trust of site {@code rs} (reporter_stats, may be missing) in SQL: the function is in migration V202 */
    static final String SQL = "reporter_trust(rs.approved, rs.rejected, rs.canary_hits)";

    private ReporterTrust() {}

    public static double of(int approved, int rejected, int canaryHits) {
        return (approved + 1.0) / (approved + rejected + CANARY_WEIGHT * canaryHits + 4);
    }

    /**
     * Every site that reported {@code address} within {@code window} gets {@code approved} and {@code rejected}
     * added (a delisting takes back an approval and counts a rejection).
     */
    static void adjust(Connection c, String address, Duration window, int approved, int rejected)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO reporter_stats (site_id, approved, rejected) "
                        + "SELECT DISTINCT site_id, greatest(?, 0), greatest(?, 0) FROM report "
                        + "WHERE address = ?::inet AND received_at > now() - make_interval(secs => ?) "
                        + "ON CONFLICT (site_id) DO UPDATE SET approved = greatest(reporter_stats.approved + ?, 0), "
                        + "rejected = greatest(reporter_stats.rejected + ?, 0)")) {
            s.setInt(1, approved);
            s.setInt(2, rejected);
            s.setString(3, address);
            s.setDouble(4, window.toSeconds());
            s.setInt(5, approved);
            s.setInt(6, rejected);
            s.executeUpdate();
        }
    }
}
