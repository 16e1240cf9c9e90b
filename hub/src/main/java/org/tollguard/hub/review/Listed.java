package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.tollguard.hub.db.Database;

/** The listed networks, searched by address, network, reason or approver. */
public final class Listed {
    private final Database db;
    private final String list;

    public Listed(Database db, String list) {
        this.db = db;
        this.list = list;
    }

    public record Page(List<ListedEntry> entries, long total) {}

    public Page search(String search, int limit) throws SQLException {
        String text = search == null ? "" : search.strip();
        String sql = "SELECT " + ReviewQueue.keyText("network") + ", reason, approved_by, approved_at, expires_at,"
                + " count(*) OVER () FROM listed WHERE list = ? AND (? = '' OR strpos(network::text, ?) > 0"
                + " OR strpos(coalesce(reason, ''), ?) > 0 OR strpos(approved_by, ?) > 0)"
                + " ORDER BY approved_at DESC LIMIT ?";
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, list);
            for (int i = 2; i <= 5; i++) {
                s.setString(i, text);
            }
            s.setInt(6, limit);
            List<ListedEntry> entries = new ArrayList<>();
            long total = 0;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Timestamp expires = r.getTimestamp(5);
                    entries.add(new ListedEntry(r.getString(1), r.getString(2), r.getString(3),
                            r.getTimestamp(4).toInstant(), expires == null ? null : expires.toInstant()));
                    total = r.getLong(6);
                }
            }
            return new Page(entries, total);
        }
    }
}
