package org.tollguard.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code list_sync_state} and {@code list_import} tables: how each source's syncs went, and every import. */
public final class SyncStateRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Integer>> COUNTS = new TypeReference<>() {};

    private final Store store;

    public SyncStateRepository(Store store) {
        this.store = store;
    }

    /** A source's sync history in brief; instants are null where nothing happened yet. */
    public record State(String source, Instant lastAttempt, Instant lastSuccess, String lastError, Instant lastErrorAt,
                        int consecutiveFailures, int size, Map<String, Integer> dropped) {}

    /** One import that changed (or re-applied) the firewall list. */
    public record Import(String source, Instant at, String kind, int size, int added, int removed,
                         Map<String, Integer> dropped, long elapsedMillis) {}

    public Optional<State> load(String source) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT source, last_attempt, last_success, last_error,"
                    + " last_error_at, consecutive_failures, size, dropped FROM list_sync_state WHERE source = ?")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new State(rs.getString(1), instant(rs, 2), instant(rs, 3), rs.getString(4),
                            instant(rs, 5), rs.getInt(6), rs.getInt(7), counts(rs.getString(8))));
                }
            }
        });
    }

    /** A sync succeeded (changed something or not): the list in force has {@code size} entries. */
    public void recordSuccess(String source, Instant at, int size, Map<String, Integer> dropped) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO list_sync_state (source, last_attempt,"
                    + " last_success, consecutive_failures, size, dropped) VALUES (?,?,?,0,?,?) ON CONFLICT(source)"
                    + " DO UPDATE SET last_attempt = excluded.last_attempt, last_success = excluded.last_success,"
                    + " consecutive_failures = 0, size = excluded.size, dropped = excluded.dropped")) {
                ps.setString(1, source);
                ps.setLong(2, at.toEpochMilli());
                ps.setLong(3, at.toEpochMilli());
                ps.setInt(4, size);
                ps.setString(5, json(dropped));
                return ps.executeUpdate();
            }
        });
    }

    /** A sync failed or its list was refused; the list in force did not change. */
    public void recordFailure(String source, Instant at, String error) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO list_sync_state (source, last_attempt,"
                    + " last_error, last_error_at, consecutive_failures) VALUES (?,?,?,?,1) ON CONFLICT(source)"
                    + " DO UPDATE SET last_attempt = excluded.last_attempt, last_error = excluded.last_error,"
                    + " last_error_at = excluded.last_error_at,"
                    + " consecutive_failures = list_sync_state.consecutive_failures + 1")) {
                ps.setString(1, source);
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, error);
                ps.setLong(4, at.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** The size of the list in force changed without a sync (start-up, expiry). */
    public void recordSize(String source, int size) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO list_sync_state (source, size) VALUES (?,?)"
                    + " ON CONFLICT(source) DO UPDATE SET size = excluded.size")) {
                ps.setString(1, source);
                ps.setInt(2, size);
                return ps.executeUpdate();
            }
        });
    }

    public void recordImport(Import i) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO list_import (source, at, kind, size, added,"
                    + " removed, dropped, elapsed_ms) VALUES (?,?,?,?,?,?,?,?)")) {
                ps.setString(1, i.source());
                ps.setLong(2, i.at().toEpochMilli());
                ps.setString(3, i.kind());
                ps.setInt(4, i.size());
                ps.setInt(5, i.added());
                ps.setInt(6, i.removed());
                ps.setString(7, json(i.dropped()));
                ps.setLong(8, i.elapsedMillis());
                return ps.executeUpdate();
            }
        });
    }

    /** The newest imports of a source, newest first. */
    public List<Import> imports(String source, int limit) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT source, at, kind, size, added, removed, dropped,"
                    + " elapsed_ms FROM list_import WHERE source = ? ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, source);
                ps.setInt(2, limit);
                List<Import> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Import(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                                rs.getInt(4), rs.getInt(5), rs.getInt(6), counts(rs.getString(7)), rs.getLong(8)));
                    }
                }
                return out;
            }
        });
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static String json(Map<String, Integer> counts) {
        try {
            return JSON.writeValueAsString(counts == null ? Map.of() : counts);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, Integer> counts(String json) throws SQLException {
        try {
            return json == null ? Map.of() : JSON.readValue(json, COUNTS);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored counts are not JSON: " + e.getOriginalMessage(), e);
        }
    }


    /** The newest generation of {@code source}'s signed list taken so far; 0 if none. */
    public long takenGeneration(String source) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM list_generation WHERE source = ?")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** Records that generation {@code generation} was taken; the recorded generation never goes back. */
    public void recordGeneration(String source, long generation, Instant at) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO list_generation (source, generation, taken_at)"
                    + " VALUES (?,?,?) ON CONFLICT(source) DO UPDATE SET generation = max(list_generation.generation,"
                    + " excluded.generation), taken_at = excluded.taken_at")) {
                ps.setString(1, source);
                ps.setLong(2, generation);
                ps.setLong(3, at.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }
}
