package org.tollguard.hub.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tollguard.hub.db.Database;

/** The pages' pictures: reports received per hour, and the size of the published list over time. */
public final class Charts {
    private final Database db;
    private final String list;

    public Charts(Database db, String list) {
        this.db = db;
        this.list = list;
    }

    public Chart reportsPerHour(int hours) throws SQLException {
        Map<Instant, Long> counts = new HashMap<>();
        Instant end;
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT date_trunc('hour', now()), date_trunc('hour', "
                     + "received_at) AS h, count(*) FROM report WHERE received_at >= date_trunc('hour', now()) "
                     + "- make_interval(hours => ?) GROUP BY 2")) {
            s.setInt(1, hours - 1);
            end = null;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    end = r.getTimestamp(1).toInstant();
                    counts.put(r.getTimestamp(2).toInstant(), r.getLong(3));
                }
            }
            if (end == null) {
                end = now(c).truncatedTo(ChronoUnit.HOURS);
            }
        }
        List<Chart.Point> points = new ArrayList<>();
        for (int i = hours - 1; i >= 0; i--) {
            Instant hour = end.minus(i, ChronoUnit.HOURS);
            points.add(new Chart.Point(hour, counts.getOrDefault(hour, 0L)));
        }
        return Chart.bars("Reports per hour", points, "reports");
    }

    /** The list's size at each sample of the last {@code hours}, ending with its size now. */
    public Chart listSize(int hours) throws SQLException {
        List<Chart.Point> points = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT at, size FROM list_size_sample "
                    + "WHERE at > now() - make_interval(hours => ?) ORDER BY at")) {
                s.setInt(1, hours);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        points.add(new Chart.Point(r.getTimestamp(1).toInstant(), r.getLong(2)));
                    }
                }
            }
            points.add(new Chart.Point(now(c), ListSize.current(c, list)));
        }
        return Chart.line("Listed networks", points, "listed");
    }

    private static Instant now(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT now()"); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getTimestamp(1).toInstant();
        }
    }
}
