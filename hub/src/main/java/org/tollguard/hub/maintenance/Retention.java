package org.tollguard.hub.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.tollguard.hub.db.Database;

/**
 * Keeps the tables bounded: reports older than the retention, used or expired enrollment tokens after a while,
 * listed entries whose expiry passed (agents drop them by themselves; snapshots leave them out already).
 * Deletes in slices, so no instance holds long locks; any instance may run it, more than one at once is harmless.
 */
public final class Retention {
    private static final int SLICE = 10_000;

    private final Database db;
    private final Duration reportRetention;
    private final String list;
    private final Clock clock;

    public Retention(Database db, Duration reportRetention, String list, Clock clock) {
        this.db = db;
        this.reportRetention = reportRetention;
        this.list = list;
        this.clock = clock;
    }

    /** Returns the number of reports deleted. */
    public int run() throws SQLException {
        Timestamp reportCutoff = Timestamp.from(clock.instant().minus(reportRetention));
        int deleted = 0;
        int slice;
        do {
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement s = c.prepareStatement("delete from report where id in (select id from report "
                         + "where received_at < ? limit " + SLICE + ")")) {
                s.setTimestamp(1, reportCutoff);
                slice = s.executeUpdate();
                deleted += slice;
            }
        } while (slice == SLICE);
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "delete from listed where list = ? and expires_at is not null and expires_at < ?")) {
                s.setString(1, list);
                s.setTimestamp(2, Timestamp.from(clock.instant()));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("delete from enrollment_token where expires_at < ? "
                    + "and used_at is null")) {
                s.setTimestamp(1, Timestamp.from(clock.instant().minus(Duration.ofDays(30))));
                s.executeUpdate();
            }
        }
        return deleted;
    }
}
