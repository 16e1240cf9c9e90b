package org.tollguard.hub.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Each agent's token bucket of reports, kept in its {@code agent} row: every hub instance takes from the same
 * bucket, and a restart forgets nothing. Taking locks the row until the transaction ends.
 */
final class RateLimit {
    private final double rate;
    private final int burst;

    RateLimit(double rate, int burst) {
        this.rate = rate;
        this.burst = burst;
    }

    /** Takes {@code cost} tokens, or returns how many seconds until there are enough (nothing taken). */
    long take(Connection c, long agentId, int cost) throws SQLException {
        String available = "least(?, rate_tokens + ? * extract(epoch from (clock_timestamp() - rate_updated_at)))";
        try (PreparedStatement s = c.prepareStatement("update agent set rate_tokens = " + available + " - ?, "
                + "rate_updated_at = clock_timestamp() where id = ? and " + available + " >= ?")) {
            s.setDouble(1, burst);
            s.setDouble(2, rate);
            s.setInt(3, cost);
            s.setLong(4, agentId);
            s.setDouble(5, burst);
            s.setDouble(6, rate);
            s.setInt(7, cost);
            if (s.executeUpdate() == 1) {
                return 0;
            }
        }
        try (PreparedStatement s = c.prepareStatement("select " + available + " from agent where id = ?")) {
            s.setDouble(1, burst);
            s.setDouble(2, rate);
            s.setLong(3, agentId);
            try (ResultSet r = s.executeQuery()) {
                double tokens = r.next() ? r.getDouble(1) : 0;
                return Math.max(1, (long) Math.ceil((cost - tokens) / rate));
            }
        }
    }
}
