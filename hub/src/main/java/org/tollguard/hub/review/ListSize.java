package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.tollguard.hub.db.Database;

/** Samples how many networks are listed (once a minute at most), for the list-size chart. */
public final class ListSize {
    private final Database db;
    private final String list;

    public ListSize(Database db, String list) {
        this.db = db;
        this.list = list;
    }

    public void sample() throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO list_size_sample (at, size) "
                     + "SELECT date_trunc('minute', now()), count(*) FROM listed WHERE list = ? "
                     + "ON CONFLICT (at) DO UPDATE SET size = excluded.size")) {
            s.setString(1, list);
            s.executeUpdate();
        }
    }

    static long current(Connection c, String list) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM listed WHERE list = ?")) {
            s.setString(1, list);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
