package org.tollguard.hub.abuse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import org.tollguard.hub.listing.NewListings;

/**
 * Notes each newly listed network for an abuse report, in the listing's transaction: once listed, the report is
 * owed, whatever RDAP or the mail server do later ({@link AbuseReporter} works through the notes).
 */
public final class AbuseOutbox implements NewListings {
    private final Clock clock;

    public AbuseOutbox(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void listed(Connection c, String network, String listedBy) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO abuse_listing (network, listed_by, listed_at, "
                + "next_attempt) VALUES (?::cidr, ?, ?, ?)")) {
            Timestamp now = Timestamp.from(clock.instant());
            s.setString(1, network);
            s.setString(2, listedBy);
            s.setTimestamp(3, now);
            s.setTimestamp(4, now);
            s.executeUpdate();
        }
    }
}
