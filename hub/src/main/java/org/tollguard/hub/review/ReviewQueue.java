package org.tollguard.hub.review;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.tollguard.hub.db.Database;

/**
 * The queue: reported addresses that are not listed, not allowlisted and not decided since their last report,
 * grouped, scored and sorted in PostgreSQL (the queue of a busy hub holds tens of thousands of candidates).
 */
public final class ReviewQueue {
    /**
     * Failure labels where the source answered the PBX's digest challenge: it received our packets, so it is real.
     * Agents label failures PBX-neutrally (wrong-password; auth-failed from FreeSWITCH, which does not tell a wrong
     * password from an unknown user); agents from before that sent Asterisk's event names.
     */
    static final String ANSWERED_CHALLENGE =
            "array['wrong-password', 'auth-failed', 'ChallengeResponseFailed', 'InvalidPassword']";
    static final String CONNECTED_TRANSPORTS = "('TCP', 'TLS', 'WS', 'WSS')";

    private final Database db;
    private final String list;
    private final Duration window;

    public ReviewQueue(Database db, String list, Duration window) {
        this.db = db;
        this.list = list;
        this.window = window;
    }

    /**
     * Reports within the window, per (address, site), of addresses still waiting for a decision. ({@code ??|} is
     * how PostgreSQL's JDBC driver is told that {@code ?|} is the jsonb operator, not a parameter.)
     */
    private String pendingCte() {
        return "WITH per_site AS ("
                + " SELECT r.address, r.site_id, s.operator_id, count(*) AS reports,"
                + " sum((SELECT coalesce(sum(v::bigint), 0) FROM jsonb_each_text(r.evidence->'counts') AS e(k, v)))"
                + "   AS failures,"
                + " max(coalesce((r.evidence->>'account-count')::int, 0)) AS accounts,"
                + " bool_or(upper(coalesce(r.evidence->>'transport', '')) IN " + CONNECTED_TRANSPORTS
                + "   OR coalesce(r.evidence->'counts', '{}'::jsonb) ??| " + ANSWERED_CHALLENGE + ") AS answered,"
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
                + "   AND d.decision <> 'approved' AND d.decided_at >= max(p.last_received)))";
    }

    public QueuePage page(QueueQuery q) {
        String key = q.grouping().keySql("p.address");
        String sql = pendingCte()
                + ", keyed AS (SELECT " + key + " AS key, p.*, " + ReporterTrust.SQL + " AS trust"
                + "   FROM per_site p JOIN pending USING (address)"
                + "   LEFT JOIN reporter_stats rs ON rs.site_id = p.site_id),"
                + " op_trust AS (SELECT key, operator_id, max(trust) AS trust FROM keyed GROUP BY key, operator_id),"
                + " trust AS (SELECT key, sum(trust) AS trust_sum FROM op_trust GROUP BY key),"
                + " grouped AS (SELECT k.key, count(DISTINCT k.address) AS addresses,"
                + "   count(DISTINCT k.operator_id) AS operators, count(DISTINCT k.site_id) AS sites,"
                + "   sum(k.reports) AS reports, sum(k.failures) AS failures, max(k.accounts) AS accounts,"
                + "   bool_or(k.answered) AS not_spoofed, min(k.first_seen) AS first_seen,"
                + "   max(k.last_seen) AS last_seen, string_agg(DISTINCT k.services, ',') AS services,"
                + "   string_agg(DISTINCT k.transports, ',') AS transports"
                + "   FROM keyed k GROUP BY k.key),"
                + " scored AS (SELECT g.*, t.trust_sum,"
                + "   t.trust_sum * CASE WHEN g.not_spoofed THEN 1 ELSE " + Candidate.SPOOFABLE_FACTOR + " END AS score"
                + "   FROM grouped g JOIN trust t USING (key))"
                + " SELECT " + keyText("key") + " AS key_text, addresses, operators, sites, reports, failures, accounts,"
                + " services, transports, not_spoofed, first_seen, last_seen, trust_sum, score, count(*) OVER () AS total"
                + " FROM scored WHERE (? = '' OR strpos(key::text, ?) > 0) AND operators >= ?"
                + " AND (NOT ? OR not_spoofed)"
                + " ORDER BY " + q.sort().orderBy + " LIMIT ? OFFSET ?";
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setDouble(i++, window.toSeconds());
            s.setString(i++, list);
            s.setString(i++, q.search());
            s.setString(i++, q.search());
            s.setInt(i++, q.minOperators());
            s.setBoolean(i++, q.notSpoofedOnly());
            s.setInt(i++, q.pageSize());
            s.setInt(i, (q.page() - 1) * q.pageSize());
            List<Candidate> candidates = new ArrayList<>();
            int total = 0;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    total = r.getInt("total");
                    candidates.add(new Candidate(r.getString("key_text"), r.getInt("addresses"),
                            r.getInt("operators"), r.getInt("sites"), r.getInt("reports"), r.getLong("failures"),
                            r.getInt("accounts"), split(r.getString("services")), split(r.getString("transports")),
                            r.getBoolean("not_spoofed"), r.getTimestamp("first_seen").toInstant(),
                            r.getTimestamp("last_seen").toInstant(), r.getDouble("trust_sum"), r.getDouble("score")));
                }
            }
            if (candidates.isEmpty() && q.page() > 1) {
                total = count(q);
            }
            return new QueuePage(candidates, total, q);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the review queue: " + e.getMessage(), e);
        }
    }

    private int count(QueueQuery q) {
        QueuePage first = page(new QueueQuery(q.grouping(), q.search(), q.minOperators(), q.notSpoofedOnly(),
                q.sort(), 1, 1));
        return first.total();
    }

    /** The addresses still pending in these groups (an address is its own group). */
    public List<String> pendingAddresses(Grouping grouping, List<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        String sql = pendingCte() + " SELECT host(address) FROM pending WHERE "
                + grouping.keySql("address") + " = ANY (?::cidr[]) ORDER BY address";
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setDouble(1, window.toSeconds());
            s.setString(2, list);
            Array array = c.createArrayOf("text", keys.toArray());
            s.setArray(3, array);
            List<String> addresses = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    addresses.add(r.getString(1));
                }
            }
            return addresses;
        }
    }

    /** A host address as agents and people write it (no /32), a block as CIDR. */
    static String keyText(String column) {
        return "CASE WHEN masklen(" + column + ") = CASE WHEN family(" + column + ") = 4 THEN 32 ELSE 128 END"
                + " THEN host(" + column + ") ELSE " + column + "::text END";
    }

    private static List<String> split(String joined) {
        if (joined == null || joined.isEmpty()) {
            return List.of();
        }
        return List.copyOf(new TreeSet<>(Arrays.asList(joined.split(","))));
    }

    public Duration window() {
        return window;
    }
}
