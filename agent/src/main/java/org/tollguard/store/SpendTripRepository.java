package org.tollguard.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.tollguard.spend.SpendTrips;

/** The {@code spend_trip} table: the days on which the spend IDS blocked an account. */
public final class SpendTripRepository implements SpendTrips {
    private final Store store;

    public SpendTripRepository(Store store) {
        this.store = store;
    }

    @Override
    public void record(String account, LocalDate day, Instant at) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO spend_trip (account, day, tripped) VALUES (?,?,?)")) {
                ps.setString(1, account);
                ps.setString(2, day.toString());
                ps.setLong(3, at.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Map<String, Instant> on(LocalDate day) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT account, tripped FROM spend_trip WHERE day = ?")) {
                ps.setString(1, day.toString());
                Map<String, Instant> out = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                    }
                }
                return out;
            }
        });
    }
}
