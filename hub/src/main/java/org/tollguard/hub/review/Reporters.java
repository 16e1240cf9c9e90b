package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.tollguard.hub.db.Database;

/** Every site that reports: how much, how often it was right, its trust. */
public final class Reporters {
    private final Database db;

    public Reporters(Database db) {
        this.db = db;
    }

    public List<Reporter> all() throws SQLException {
        return query("", null);
    }

    /** The sites that reported {@code address} (or a block, as CIDR) within the queue's window. */
    public List<Reporter> of(String network, java.time.Duration window) throws SQLException {
        return query(" WHERE st.id IN (SELECT site_id FROM report WHERE address <<= network(?::inet)"
                + " AND received_at > now() - make_interval(secs => " + window.toSeconds() + "))", network);
    }

    /**
     * Opts an operator in to abuse reports, or out: only opted-in operators' evidence is ever sent to the networks
     * of the addresses they reported. Recorded in the audit log.
     */
    public void abuseReports(String operator, boolean optIn, String actor) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE operator SET abuse_reports = ? WHERE name = ?")) {
                s.setBoolean(1, optIn);
                s.setString(2, operator);
                if (s.executeUpdate() == 0) {
                    throw new IllegalArgumentException("no operator '" + operator + "'");
                }
            }
            AuditLog.record(c, actor, optIn ? "abuse-reports-on" : "abuse-reports-off", "operator:" + operator,
                    null, optIn ? "its evidence may be sent to the networks of the addresses it reported"
                            : "none of its evidence is sent");
            return null;
        });
    }

    private List<Reporter> query(String where, String param) throws SQLException {
        String sql = "SELECT st.id, st.name, o.name, coalesce(v.reports, 0), coalesce(v.last_day, 0),"
                + " coalesce(rs.approved, 0), coalesce(rs.rejected, 0), coalesce(rs.canary_hits, 0), v.last_report,"
                + " o.abuse_reports"
                + " FROM site st JOIN operator o ON o.id = st.operator_id"
                + " LEFT JOIN reporter_stats rs ON rs.site_id = st.id"
                + " LEFT JOIN (SELECT site_id, count(*) AS reports,"
                + "   count(*) FILTER (WHERE received_at > now() - interval '1 day') AS last_day,"
                + "   max(received_at) AS last_report FROM report GROUP BY site_id) v ON v.site_id = st.id"
                + where + " ORDER BY o.name, st.name";
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            if (param != null) {
                s.setString(1, param);
            }
            List<Reporter> reporters = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Timestamp last = r.getTimestamp(9);
                    reporters.add(new Reporter(r.getLong(1), r.getString(2), r.getString(3), r.getLong(4),
                            r.getLong(5), r.getInt(6), r.getInt(7), r.getInt(8),
                            last == null ? null : last.toInstant(), r.getBoolean(10)));
                }
            }
            return reporters;
        }
    }
}
