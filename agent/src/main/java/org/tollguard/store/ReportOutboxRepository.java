package org.tollguard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The {@code report_outbox} and {@code report_cursor} tables: reports of local bans waiting for the hub's
 * acknowledgement. A report is written here before anything is sent, and marked sent only after the hub said so.
 */
public final class ReportOutboxRepository {
    public static final String PENDING = "pending";
    public static final String SENT = "sent";
    public static final String DROPPED = "dropped";

    private final Store store;

    public ReportOutboxRepository(Store store) {
        this.store = store;
    }

    /** One report. */
    public record Report(long id, String reportId, long decisionId, String address, String payload, String state,
                         int attempts, Instant created) {}

    /**
     * Stores a new pending report and moves the cursor past its decision, in one transaction; false (and nothing
     * stored) if that decision already has a report.
     */
    public boolean add(String reportId, long decisionId, String address, String payload, Instant created) {
        return store.inTransaction(c -> {
            int inserted;
            try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO report_outbox (report_id,"
                    + " decision_id, address, payload, state, created) VALUES (?,?,?,?,?,?)")) {
                ps.setString(1, reportId);
                ps.setLong(2, decisionId);
                ps.setString(3, address);
                ps.setString(4, payload);
                ps.setString(5, PENDING);
                ps.setLong(6, created.toEpochMilli());
                inserted = ps.executeUpdate();
            }
            advanceCursor(c, decisionId);
            return inserted == 1;
        });
    }

    /** The newest decision looked at, if the reporter ever ran. */
    public OptionalLong cursor() {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_decision_id FROM report_cursor WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        });
    }

    /** Moves the cursor to {@code decisionId} unless it is already past it. */
    public void advanceCursor(long decisionId) {
        store.inTransaction(c -> {
            advanceCursor(c, decisionId);
            return null;
        });
    }

    private static void advanceCursor(Connection c, long decisionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO report_cursor (id, last_decision_id) VALUES (1, ?)"
                + " ON CONFLICT(id) DO UPDATE SET last_decision_id = MAX(last_decision_id, excluded.last_decision_id)")) {
            ps.setLong(1, decisionId);
            ps.executeUpdate();
        }
    }

    /** The oldest pending reports, at most {@code limit}. */
    public List<Report> pending(int limit) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, report_id, decision_id, address, payload, state,"
                    + " attempts, created FROM report_outbox WHERE state = ? ORDER BY id LIMIT ?")) {
                ps.setString(1, PENDING);
                ps.setInt(2, limit);
                List<Report> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Report(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getInt(7), Instant.ofEpochMilli(rs.getLong(8))));
                    }
                }
                return out;
            }
        });
    }

    /** Marks reports acknowledged by the hub; they are never sent again. */
    public void markSent(Collection<Long> ids, Instant at) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE report_outbox SET state = ?, sent = ?, attempts = attempts + 1 WHERE id = ? AND state = ?")) {
                for (long id : ids) {
                    ps.setString(1, SENT);
                    ps.setLong(2, at.toEpochMilli());
                    ps.setLong(3, id);
                    ps.setString(4, PENDING);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Marks reports the hub refused, with why; they are never sent again. */
    public void markDropped(Map<Long, String> reasons) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE report_outbox SET state = ?, drop_reason = ?,"
                    + " attempts = attempts + 1 WHERE id = ? AND state = ?")) {
                for (Map.Entry<Long, String> e : reasons.entrySet()) {
                    ps.setString(1, DROPPED);
                    ps.setString(2, e.getValue());
                    ps.setLong(3, e.getKey());
                    ps.setString(4, PENDING);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** A try failed (hub down, 5xx): counted, still pending. */
    public void countAttempt(Collection<Long> ids) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE report_outbox SET attempts = attempts + 1 WHERE id = ?")) {
                for (long id : ids) {
                    ps.setLong(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** How many reports are in each state. */
    public Map<String, Integer> counts() {
        return store.inTransaction(c -> {
            Map<String, Integer> out = new java.util.TreeMap<>(Map.of(PENDING, 0, SENT, 0, DROPPED, 0));
            try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM report_outbox GROUP BY state");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
            return out;
        });
    }

    /** Forgets sent and dropped reports older than {@code before}. */
    public int prune(Instant before) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM report_outbox WHERE state <> ? AND created < ?")) {
                ps.setString(1, PENDING);
                ps.setLong(2, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }
}
