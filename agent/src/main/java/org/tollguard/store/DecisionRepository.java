package org.tollguard.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;

/** The {@code decision} table. */
public final class DecisionRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final String COLUMNS =
            "id, kind, target, reason, evidence, origin, created, expires, lifted, lifted_by, lift_reason";

    private final Store store;

    public DecisionRepository(Store store) {
        this.store = store;
    }

    /**
     * Stores a new decision and returns it as stored: with its id, times in whole milliseconds and evidence as
     * read back from JSON, so that it equals what {@link #byId} later returns.
     */
    public Decision insert(Decision d) {
        String evidence = toJson(d.evidence());
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision"
                            + " (kind, target, reason, evidence, origin, created, expires, lifted, lifted_by, lift_reason)"
                            + " VALUES (?,?,?,?,?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, d.kind().id());
                ps.setString(2, d.target());
                ps.setString(3, d.reason());
                ps.setString(4, evidence);
                ps.setString(5, d.origin().id());
                ps.setLong(6, d.created().toEpochMilli());
                setInstant(ps, 7, d.expires());
                setInstant(ps, 8, d.lifted());
                ps.setString(9, d.liftedBy());
                ps.setString(10, d.liftReason());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new Decision(keys.getLong(1), d.kind(), d.target(), d.reason(), fromJson(evidence), d.origin(),
                            millis(d.created()), millis(d.expires()), millis(d.lifted()), d.liftedBy(), d.liftReason());
                }
            }
        });
    }

    private static Instant millis(Instant instant) {
        return instant == null ? null : Instant.ofEpochMilli(instant.toEpochMilli());
    }

    public Optional<Decision> byId(long id) {
        return store.inTransaction(c -> {
            List<Decision> list = query(c, "SELECT " + COLUMNS + " FROM decision WHERE id = ?", id);
            return list.stream().findFirst();
        });
    }

    /** Decisions of {@code kind} in force at {@code now}, oldest first. */
    public List<Decision> active(DecisionKind kind, Instant now) {
        return store.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM decision"
                + " WHERE kind = ? AND lifted IS NULL AND (expires IS NULL OR expires > ?) ORDER BY created, id",
                kind.id(), now.toEpochMilli()));
    }

    /** How many decisions of {@code kind} are in force at {@code now}, by origin (origins with none left out). */
    public Map<Origin, Integer> activeCounts(DecisionKind kind, Instant now) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT origin, COUNT(*) FROM decision"
                    + " WHERE kind = ? AND lifted IS NULL AND (expires IS NULL OR expires > ?) GROUP BY origin")) {
                ps.setString(1, kind.id());
                ps.setLong(2, now.toEpochMilli());
                Map<Origin, Integer> counts = new java.util.EnumMap<>(Origin.class);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(Origin.fromId(rs.getString(1)), rs.getInt(2));
                    }
                }
                return counts;
            }
        });
    }

    /** The newest {@code limit} decisions of {@code kind} in force at {@code now}, newest first. */
    public List<Decision> newestActive(DecisionKind kind, Instant now, int limit) {
        return store.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM decision"
                + " WHERE kind = ? AND lifted IS NULL AND (expires IS NULL OR expires > ?) ORDER BY created DESC, id DESC LIMIT ?",
                kind.id(), now.toEpochMilli(), limit));
    }

    /** Decisions of {@code kind} for {@code target} in force at {@code now}. */
    public List<Decision> activeFor(DecisionKind kind, String target, Instant now) {
        return store.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM decision"
                + " WHERE kind = ? AND target = ? AND lifted IS NULL AND (expires IS NULL OR expires > ?) ORDER BY created, id",
                kind.id(), target, now.toEpochMilli()));
    }

    /** How many decisions of {@code kind} and {@code origin} were ever taken against {@code target}. */
    public int count(DecisionKind kind, String target, Origin origin) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM decision WHERE kind = ? AND target = ? AND origin = ?")) {
                ps.setString(1, kind.id());
                ps.setString(2, target);
                ps.setString(3, origin.id());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    /** The newest decisions, newest first. */
    public List<Decision> recent(int limit) {
        return store.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM decision ORDER BY created DESC, id DESC LIMIT ?", limit));
    }

    /** Lifts every active decision of {@code kind} on {@code target}; returns how many were lifted. */
    public int lift(DecisionKind kind, String target, Instant now, String by, String reason) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE decision SET lifted = ?, lifted_by = ?, lift_reason = ?"
                    + " WHERE kind = ? AND target = ? AND lifted IS NULL AND (expires IS NULL OR expires > ?)")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, by);
                ps.setString(3, reason);
                ps.setString(4, kind.id());
                ps.setString(5, target);
                ps.setLong(6, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private static List<Decision> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Decision> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        }
    }

    private static Decision read(ResultSet rs) throws SQLException {
        return new Decision(
                rs.getLong("id"),
                DecisionKind.fromId(rs.getString("kind")),
                rs.getString("target"),
                rs.getString("reason"),
                fromJson(rs.getString("evidence")),
                Origin.fromId(rs.getString("origin")),
                Instant.ofEpochMilli(rs.getLong("created")),
                instant(rs, "expires"),
                instant(rs, "lifted"),
                rs.getString("lifted_by"),
                rs.getString("lift_reason"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }

    private static String toJson(Map<String, Object> evidence) {
        try {
            return JSON.writeValueAsString(evidence);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("evidence is not serialisable: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> fromJson(String json) throws SQLException {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored evidence is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
