package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.listing.Approvals;

/**
 * Auto-listing rules, each an option the admins switch on; never the only path (the queue shows everything).
 * What a rule lists is recorded as listed by {@code rule:NAME} with the evidence that met it. Allowlisted and
 * rejected addresses are never listed by a rule.
 */
public final class AutoRules {
    private static final Logger log = LoggerFactory.getLogger(AutoRules.class);

    private final Database db;
    private final Approvals approvals;
    private final String list;
    private final Clock clock;

    public AutoRules(Database db, Approvals approvals, String list, Clock clock) {
        this.db = db;
        this.approvals = approvals;
        this.list = list;
        this.clock = clock;
    }

    public List<AutoRule> rules() throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT name, min_operators, min_trust, window_seconds, "
                     + "listed_for_seconds, enabled FROM auto_rule ORDER BY name");
             ResultSet r = s.executeQuery()) {
            List<AutoRule> rules = new ArrayList<>();
            while (r.next()) {
                rules.add(new AutoRule(r.getString(1), r.getInt(2), r.getDouble(3), Duration.ofSeconds(r.getInt(4)),
                        Duration.ofSeconds(r.getInt(5)), r.getBoolean(6)));
            }
            return rules;
        }
    }

    public void save(AutoRule rule, String actor) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO auto_rule (name, min_operators, min_trust, "
                    + "window_seconds, listed_for_seconds, enabled, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (name) DO UPDATE SET min_operators = excluded.min_operators, "
                    + "min_trust = excluded.min_trust, window_seconds = excluded.window_seconds, "
                    + "listed_for_seconds = excluded.listed_for_seconds, enabled = excluded.enabled")) {
                s.setString(1, rule.name());
                s.setInt(2, rule.minOperators());
                s.setDouble(3, rule.minTrust());
                s.setLong(4, rule.window().toSeconds());
                s.setLong(5, rule.listedFor().toSeconds());
                s.setBoolean(6, rule.enabled());
                s.setString(7, actor);
                s.executeUpdate();
            }
            AuditLog.record(c, actor, "rule-saved", rule.actor(), null,
                    (rule.enabled() ? "enabled: " : "disabled: ") + rule.describe());
            return null;
        });
    }

    public void remove(String name, String actor) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM auto_rule WHERE name = ?")) {
                s.setString(1, name);
                if (s.executeUpdate() == 0) {
                    throw new IllegalArgumentException("no rule '" + name + "'");
                }
            }
            AuditLog.record(c, actor, "rule-removed", "rule:" + name, null, null);
            return null;
        });
    }

    /** Applies every enabled rule once; returns how many addresses they listed. */
    public int run() throws SQLException {
        int listed = 0;
        for (AutoRule rule : rules()) {
            if (!rule.enabled()) {
                continue;
            }
            for (Match m : matches(rule)) {
                String reason = "reported by " + m.operators + " operators with trust >= " + rule.minTrust()
                        + " within " + rule.window().toMinutes() + " min";
                if (approvals.approveByRule(m.address, rule.actor(), reason,
                        clock.instant().plus(rule.listedFor()))) {
                    db.transaction(c -> {
                        AuditLog.record(c, rule.actor(), "approved", m.address, reason, rule.describe());
                        ReporterTrust.adjust(c, m.address, rule.window(), 1, 0);
                        return null;
                    });
                    log.info("{} listed by {}: {}", m.address, rule.actor(), reason);
                    listed++;
                }
            }
        }
        return listed;
    }

    private record Match(String address, int operators) {}

    private List<Match> matches(AutoRule rule) throws SQLException {
        String sql = "SELECT host(r.address), count(DISTINCT s.operator_id) FROM report r "
                + "JOIN site s ON s.id = r.site_id LEFT JOIN reporter_stats rs ON rs.site_id = r.site_id "
                + "WHERE r.received_at > now() - make_interval(secs => ?) AND " + ReporterTrust.SQL + " >= ? "
                + "AND NOT EXISTS (SELECT 1 FROM listed l WHERE l.list = ? AND l.network >>= r.address) "
                + "AND NOT EXISTS (SELECT 1 FROM candidate_decision d WHERE d.address = r.address "
                + "  AND d.decision <> 'approved' AND d.decided_at >= r.received_at) "
                + "GROUP BY r.address HAVING count(DISTINCT s.operator_id) >= ?";
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setDouble(1, rule.window().toSeconds());
            s.setDouble(2, rule.minTrust());
            s.setString(3, list);
            s.setInt(4, rule.minOperators());
            List<Match> matches = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    matches.add(new Match(r.getString(1), r.getInt(2)));
                }
            }
            return matches;
        }
    }
}
