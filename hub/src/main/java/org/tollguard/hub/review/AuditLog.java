package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Every listing, delisting, rejection, allowlist and rule edit, with who or which rule did it and why. */
public final class AuditLog {
    private final DataSource db;

    public AuditLog(DataSource db) {
        this.db = db;
    }

    public void record(String actor, String action, String subject, String reason, String detail) {
        try (Connection c = db.getConnection()) {
            record(c, actor, action, subject, reason, detail);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the audit log: " + e.getMessage(), e);
        }
    }

    /** In the caller's transaction: the audit line is written exactly when the action is. */
    public static void record(Connection c, String actor, String action, String subject, String reason,
                              String detail) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO review_audit (actor, action, subject, reason, detail) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, actor);
            s.setString(2, action);
            s.setString(3, subject);
            s.setString(4, reason);
            s.setString(5, detail);
            s.executeUpdate();
        }
    }

    /** The newest entries first; {@code search} (may be empty) is found in actor, action or subject. */
    public List<AuditEntry> latest(String search, int limit) {
        String text = search == null ? "" : search.strip();
        return query("WHERE ? = '' OR strpos(actor, ?) > 0 OR strpos(action, ?) > 0 OR strpos(subject, ?) > 0",
                limit, text, text, text, text);
    }

    /** What was done to an address or to anything in a block. */
    public List<AuditEntry> about(String network, int limit) {
        return query("WHERE CASE WHEN subject ~ '^[0-9a-fA-F:.]+(/[0-9]+)?$' THEN subject::inet <<= network(?::inet)"
                + " ELSE false END", limit, network);
    }

    private List<AuditEntry> query(String where, int limit, String... params) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT id, at, actor, action, subject, reason, detail FROM review_audit "
                             + where + " ORDER BY id DESC LIMIT ?")) {
            int i = 1;
            for (String p : params) {
                s.setString(i++, p);
            }
            s.setInt(i, limit);
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    entries.add(new AuditEntry(r.getLong(1), r.getTimestamp(2).toInstant(), r.getString(3),
                            r.getString(4), r.getString(5), r.getString(6), r.getString(7)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log: " + e.getMessage(), e);
        }
    }
}
