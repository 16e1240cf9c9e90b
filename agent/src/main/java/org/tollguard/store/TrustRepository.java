package org.tollguard.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code trusted_address} table: the last successful authentication per address. */
public final class TrustRepository {
    private final Store store;

    public TrustRepository(Store store) {
        this.store = store;
    }

    public void recordSuccess(String address, String account, Instant at) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO trusted_address (address, account, last_success)"
                    + " VALUES (?,?,?) ON CONFLICT(address) DO UPDATE SET"
                    + " account = CASE WHEN excluded.last_success >= last_success THEN excluded.account ELSE account END,"
                    + " last_success = MAX(last_success, excluded.last_success)")) {
                ps.setString(1, address);
                ps.setString(2, account);
                ps.setLong(3, at.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** Addresses with a success at or after {@code since}, with that time. */
    public Map<String, Instant> successesSince(Instant since) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT address, last_success FROM trusted_address WHERE last_success >= ?")) {
                ps.setLong(1, since.toEpochMilli());
                Map<String, Instant> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                    }
                }
                return out;
            }
        });
    }

    /** Forgets successes older than {@code before}. */
    public int prune(Instant before) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM trusted_address WHERE last_success < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }
}
