package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.tollguard.hub.db.Database;

/**
 * The queue: reported addresses that are not listed, not allowlisted and not decided since their last report,
 * grouped, scored and sorted in PostgreSQL. The queue of a busy hub holds tens of thousands of candidates, so it
 * is not recomputed from the reports per page view: triggers keep a summary per (address, site) and per address
 * (migration V202, with the rules for "not spoofed" and the score), and a page reads those. The per-site rows also
 * carry their /24 and /16 keys, their site's trust and whether they are pending for the queue's list (V204), in
 * indexes the grouped views read in order.
 */
public final class ReviewQueue {
    /**
     * Whether summarised address {@code a} waits for a decision on list {@code ?}: the rule the triggers keep
     * queue_site.pending by (V204). A one-expression SQL function, so PostgreSQL inlines it into the query.
     */
    private static final String PENDING = "queue_pending(a, ?)";

    private final Database db;
    private final String list;
    private final Duration window;

    public ReviewQueue(Database db, String list, Duration window) {
        this.db = db;
        this.list = list;
        this.window = window;
    }

    /**
     * Names the queue's list to the summaries (queue_site.pending is for one list: a change recomputes it), and
     * takes out of them the reports that left the window since the last look (usually none).
     */
    private void expire(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT queue_use_list(?), queue_expire(now() - make_interval(secs => ?))")) {
            s.setString(1, list);
            s.setDouble(2, window.toSeconds());
            s.execute();
        }
    }

    /** One row per group with its evidence, trust_sum and score; an address is its own group, summarised already. */
    private static String scored(Grouping grouping) {
        String key = grouping.keySql("a.address");
        if (grouping == Grouping.ADDRESS) {
            return "scored AS (SELECT " + key + " AS key, 1 AS addresses, a.operators, a.sites, a.reports, a.failures,"
                    + " a.accounts, array_to_string(a.services, ',') AS services,"
                    + " array_to_string(a.transports, ',') AS transports, a.not_spoofed, a.first_seen, a.last_seen,"
                    + " a.trust_sum, a.score FROM queue_address a WHERE " + PENDING + ")";
        }
        // queue_site's pending rows of the queue's list, in an index ordered by (key, operator, site) with the
        // site's trust (V204): streamed per operator, then per group; the addresses' own summaries per group
        String column = "s." + grouping.summaryColumn();
        return "per_operator AS (SELECT " + column + " AS key, count(DISTINCT s.site_id) AS sites,"
                + "   max(s.trust) AS trust FROM queue_site s WHERE s.pending GROUP BY " + column + ", s.operator_id),"
                + " reporters AS (SELECT key, count(*) AS operators, sum(sites) AS sites, sum(trust) AS trust_sum"
                + "   FROM per_operator GROUP BY key),"
                + " grouped AS (SELECT " + key + " AS key, count(*) AS addresses, sum(a.reports) AS reports,"
                + "   sum(a.failures) AS failures, max(a.accounts) AS accounts, bool_or(a.not_spoofed) AS not_spoofed,"
                + "   min(a.first_seen) AS first_seen, max(a.last_seen) AS last_seen,"
                + "   string_agg(array_to_string(a.services, ','), ',') AS services,"
                + "   string_agg(array_to_string(a.transports, ','), ',') AS transports"
                + "   FROM queue_address a WHERE " + PENDING + " GROUP BY 1),"
                + " scored AS (SELECT g.*, r.operators, r.sites, r.trust_sum,"
                + "   r.trust_sum * CASE WHEN g.not_spoofed THEN 1 ELSE " + Candidate.SPOOFABLE_FACTOR + " END AS score"
                + "   FROM grouped g JOIN reporters r USING (key))";
    }

    public QueuePage page(QueueQuery q) {
        String sql = "WITH " + scored(q.grouping())
                + " SELECT " + keyText("key") + " AS key_text, addresses, operators, sites, reports, failures, accounts,"
                + " services, transports, not_spoofed, first_seen, last_seen, trust_sum, score, count(*) OVER () AS total"
                + " FROM scored WHERE (? = '' OR strpos(key::text, ?) > 0) AND operators >= ?"
                + " AND (NOT ? OR not_spoofed)"
                + " ORDER BY " + q.sort().orderBy + " LIMIT ? OFFSET ?";
        try (Connection c = db.dataSource().getConnection()) {
            expire(c);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                for (int n = sql.split(Pattern.quote(PENDING), -1).length - 1; n > 0; n--) {
                    s.setString(i++, list); // the list each pending check names
                }
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
            }
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
        String sql = "SELECT host(a.address) FROM queue_address a WHERE " + PENDING + " AND "
                + grouping.keySql("a.address") + " = ANY (?::cidr[]) ORDER BY a.address";
        try (Connection c = db.dataSource().getConnection()) {
            expire(c);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, list);
                s.setArray(2, c.createArrayOf("text", keys.toArray()));
                List<String> addresses = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        addresses.add(r.getString(1));
                    }
                }
                return addresses;
            }
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
