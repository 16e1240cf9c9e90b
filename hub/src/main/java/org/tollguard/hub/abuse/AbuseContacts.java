package org.tollguard.hub.abuse;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.tollguard.hub.db.Database;

/**
 * Abuse contacts by address: from the PostgreSQL cache while the answer is younger than {@code cacheFor} (any
 * address in a network RDAP already described counts), else from RDAP, and then cached, "no contact" too.
 */
public final class AbuseContacts {
    private final Database db;
    private final Rdap rdap;
    private final Duration cacheFor;
    private final Clock clock;

    public AbuseContacts(Database db, Rdap rdap, Duration cacheFor, Clock clock) {
        this.db = db;
        this.rdap = rdap;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    public AbuseContact of(String address) throws IOException, SQLException {
        Optional<AbuseContact> cached = cached(address);
        if (cached.isPresent()) {
            return cached.get();
        }
        AbuseContact found = rdap.lookup(address);
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO abuse_contact_cache (start_address, end_address, "
                     + "handle, name, contact, fetched_at) VALUES (?::inet, ?::inet, ?, ?, ?, ?)")) {
            s.setString(1, found.startAddress());
            s.setString(2, found.endAddress());
            s.setString(3, found.handle());
            s.setString(4, found.name());
            s.setString(5, found.email());
            s.setTimestamp(6, Timestamp.from(clock.instant()));
            s.executeUpdate();
        }
        return found;
    }

    private Optional<AbuseContact> cached(String address) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT host(start_address), host(end_address), handle, name, "
                     + "contact FROM abuse_contact_cache WHERE ?::inet BETWEEN start_address AND end_address "
                     + "AND family(start_address) = family(?::inet) AND fetched_at > ? "
                     + "ORDER BY start_address DESC, end_address, fetched_at DESC LIMIT 1")) {
            s.setString(1, address);
            s.setString(2, address);
            s.setTimestamp(3, Timestamp.from(clock.instant().minus(cacheFor)));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new AbuseContact(r.getString(1), r.getString(2), r.getString(3),
                        r.getString(4), r.getString(5))) : Optional.empty();
            }
        }
    }
}
