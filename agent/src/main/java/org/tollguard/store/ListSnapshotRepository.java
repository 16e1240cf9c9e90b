package org.tollguard.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** The {@code list_snapshot} table: the last good list of each community list source. */
public final class ListSnapshotRepository {
    private final Store store;

    public ListSnapshotRepository(Store store) {
        this.store = store;
    }

    /**
     * A stored list.
     *
     * @param entries     the list in its compact binary form ({@code NetList#toBytes})
     * @param etag        the server's validator, null if none
     * @param cursor      where incremental changes continue, null if none
     * @param fingerprint the sanity settings it was filtered with
     */
    public record Snapshot(String source, byte[] entries, int size, String etag, String cursor, String fingerprint,
                           Instant stored) {}

    public void save(Snapshot s) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO list_snapshot"
                    + " (source, entries, size, etag, cursor, fingerprint, stored) VALUES (?,?,?,?,?,?,?)"
                    + " ON CONFLICT(source) DO UPDATE SET entries = excluded.entries, size = excluded.size,"
                    + " etag = excluded.etag, cursor = excluded.cursor, fingerprint = excluded.fingerprint,"
                    + " stored = excluded.stored")) {
                ps.setString(1, s.source());
                ps.setBytes(2, s.entries());
                ps.setInt(3, s.size());
                ps.setString(4, s.etag());
                ps.setString(5, s.cursor());
                ps.setString(6, s.fingerprint());
                ps.setLong(7, s.stored().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    public Optional<Snapshot> load(String source) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT source, entries, size, etag, cursor, fingerprint,"
                    + " stored FROM list_snapshot WHERE source = ?")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Snapshot(rs.getString(1), rs.getBytes(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                }
            }
        });
    }
}
