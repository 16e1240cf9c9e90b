package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tollguard.hub.db.Database;

/**
 * The reference for the summaries: the queue computed from scratch from the {@code report} table, as
 * {@link ReviewQueue} did before the summaries (at 9e6f24b), with each candidate as a line of text to compare.
 */
final class QueueFromReports {
    private QueueFromReports() {}

    /** Every candidate of {@code grouping} by key, as {@link #line} writes it. */
    static Map<String, String> candidates(Database db, String list, Duration window, Grouping grouping)
            throws SQLException {
        String key = grouping.keySql("p.address");
        String sql = "WITH per_site AS ("
                + " SELECT r.address, r.site_id, s.operator_id, count(*) AS reports,"
                + " sum((SELECT coalesce(sum(v::bigint), 0) FROM jsonb_each_text(r.evidence->'counts') AS e(k, v)))"
                + "   AS failures,"
                + " max(coalesce((r.evidence->>'account-count')::int, 0)) AS accounts,"
                + " bool_or(upper(coalesce(r.evidence->>'transport', '')) IN ('TCP', 'TLS', 'WS', 'WSS')"
                + "   OR coalesce(r.evidence->'counts', '{}'::jsonb) ??| array['wrong-password', 'auth-failed',"
                + "   'ChallengeResponseFailed', 'InvalidPassword']) AS answered,"
                + " min(coalesce((r.evidence->>'first-seen')::timestamptz, r.banned_at)) AS first_seen,"
                + " max(coalesce((r.evidence->>'last-seen')::timestamptz, r.banned_at)) AS last_seen,"
                + " max(r.received_at) AS last_received,"
                + " string_agg(DISTINCT r.evidence->>'service', ',') AS services,"
                + " string_agg(DISTINCT upper(r.evidence->>'transport'), ',') AS transports"
                + " FROM report r JOIN site s ON s.id = r.site_id"
                + " WHERE r.received_at > now() - make_interval(secs => ?)"
                + " GROUP BY r.address, r.site_id, s.operator_id),"
                + " pending AS (SELECT p.address FROM per_site p GROUP BY p.address HAVING"
                + " NOT EXISTS (SELECT 1 FROM listed l WHERE l.list = ? AND l.network >>= p.address)"
                + " AND NOT EXISTS (SELECT 1 FROM allowlist a WHERE a.network >>= p.address)"
                + " AND NOT EXISTS (SELECT 1 FROM candidate_decision d WHERE d.address = p.address"
                + "   AND d.decision <> 'approved' AND d.decided_at >= max(p.last_received))),"
                + " keyed AS (SELECT " + key + " AS key, p.*, reporter_trust(rs.approved, rs.rejected, rs.canary_hits)"
                + "   AS trust FROM per_site p JOIN pending USING (address)"
                + "   LEFT JOIN reporter_stats rs ON rs.site_id = p.site_id),"
                + " op_trust AS (SELECT key, operator_id, max(trust) AS trust FROM keyed GROUP BY key, operator_id),"
                + " trust AS (SELECT key, sum(trust) AS trust_sum FROM op_trust GROUP BY key),"
                + " grouped AS (SELECT k.key, count(DISTINCT k.address) AS addresses,"
                + "   count(DISTINCT k.operator_id) AS operators, count(DISTINCT k.site_id) AS sites,"
                + "   sum(k.reports) AS reports, sum(k.failures) AS failures, max(k.accounts) AS accounts,"
                + "   bool_or(k.answered) AS not_spoofed, min(k.first_seen) AS first_seen,"
                + "   max(k.last_seen) AS last_seen, string_agg(DISTINCT k.services, ',') AS services,"
                + "   string_agg(DISTINCT k.transports, ',') AS transports"
                + "   FROM keyed k GROUP BY k.key)"
                + " SELECT " + ReviewQueue.keyText("key") + " AS key_text, g.*, t.trust_sum,"
                + "   t.trust_sum * CASE WHEN g.not_spoofed THEN 1 ELSE 0.5 END AS score"
                + " FROM grouped g JOIN trust t USING (key)";
        Map<String, String> candidates = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setDouble(1, window.toSeconds());
            s.setString(2, list);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Candidate candidate = new Candidate(r.getString("key_text"), r.getInt("addresses"),
                            r.getInt("operators"), r.getInt("sites"), r.getInt("reports"), r.getLong("failures"),
                            r.getInt("accounts"), split(r.getString("services")), split(r.getString("transports")),
                            r.getBoolean("not_spoofed"), r.getTimestamp("first_seen").toInstant(),
                            r.getTimestamp("last_seen").toInstant(), r.getDouble("trust_sum"), r.getDouble("score"));
                    candidates.put(candidate.key(), line(candidate));
                }
            }
        }
        return candidates;
    }

    /** A candidate as text, trust and score to 9 decimals (sums in another order differ in the last bits). */
    static String line(Candidate c) {
        return String.format(Locale.ROOT, "%s addresses=%d operators=%d sites=%d reports=%d failures=%d accounts=%d"
                        + " services=%s transports=%s notSpoofed=%s seen=%s..%s trust=%.9f score=%.9f", c.key(),
                c.addresses(), c.operators(), c.sites(), c.reports(), c.failures(), c.accounts(), c.services(),
                c.transports(), c.notSpoofed(), c.firstSeen(), c.lastSeen(), c.trustSum(), c.score());
    }

    private static java.util.List<String> split(String joined) {
        if (joined == null || joined.isEmpty()) {
            return java.util.List.of();
        }
        return java.util.List.copyOf(new TreeSet<>(Arrays.asList(joined.split(","))));
    }
}
