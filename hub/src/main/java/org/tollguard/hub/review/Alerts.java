package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tollguard.hub.db.Database;

/** Alerts for the reviewers (a canary was reported), shown until someone acknowledges them. */
public final class Alerts {
    public record Alert(long id, Instant at, String kind, String message) {}

    private final Database db;

    public Alerts(Database db) {
        this.db = db;
    }

    public List<Alert> open() throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, at, kind, message FROM review_alert "
                     + "WHERE acknowledged IS NULL ORDER BY id DESC LIMIT 50");
             ResultSet r = s.executeQuery()) {
            List<Alert> alerts = new ArrayList<>();
            while (r.next()) {
                alerts.add(new Alert(r.getLong(1), r.getTimestamp(2).toInstant(), r.getString(3), r.getString(4)));
            }
            return alerts;
        }
    }

    public void acknowledge(long id, String actor) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE review_alert SET acknowledged = now() WHERE id = ? AND acknowledged IS NULL")) {
                s.setLong(1, id);
                if (s.executeUpdate() > 0) {
                    AuditLog.record(c, actor, "alert-acknowledged", "alert:" + id, null, null);
                }
            }
            return null;
        });
    }
}
