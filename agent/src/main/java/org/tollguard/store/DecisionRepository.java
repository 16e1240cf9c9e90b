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
import org.tollguard.decision.DecisionJournal;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.net.Cidr;

/** The {@code decision} table: the ledger's journal. */
public final class DecisionRepository implements DecisionJournal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final String COLUMNS = "id, kind, target, reason, evidence, origin, created, expires, lifted,"
            + " lifted_by, lift_reason, target_type, call_pbx, call_id, call_cause";

    private final Store store;

    public DecisionRepository(Store store) {
        this.store = store;
    }

    /**
     * Stores a decision and returns it as stored: with its id (the one it has, or a new one if it has none), times
     * in whole milliseconds and evidence as read back from JSON, so that it equals what {@link #byId} later returns.
     */
    public Decision insert(Decision d) {
        String evidence = toJson(d.evidence());
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision"
                            + " (id, kind, target, reason, evidence, origin, created, expires, lifted, lifted_by, lift_reason,"
                            + " target_type, call_pbx, call_id, call_cause) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                if (d.id() == 0) {
                    ps.setNull(1, Types.INTEGER);
                } else {
                    ps.setLong(1, d.id());
                }
                ps.setString(2, d.kind().id());
                ps.setString(3, d.target().text());
                ps.setString(4, d.reason());
                ps.setString(5, evidence);
                ps.setString(6, d.origin().id());
                ps.setLong(7, d.created().toEpochMilli());
                setInstant(ps, 8, d.expires());
                setInstant(ps, 9, d.lifted());
                ps.setString(10, d.liftedBy());
                ps.setString(11, d.liftReason());
                ps.setString(12, typeOf(d.target()));
                if (d.target() instanceof Target.Call call) {
                    ps.setString(13, call.pbx());
                    ps.setString(14, call.callId());
                    ps.setInt(15, call.cause());
                } else {
                    ps.setNull(13, Types.VARCHAR);
                    ps.setNull(14, Types.VARCHAR);
                    ps.setNull(15, Types.INTEGER);
                }
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new Decision(keys.getLong(1), d.kind(), d.target(), d.reason(), fromJson(evidence), d.origin(),
                            millis(d.created()), millis(d.expires()), millis(d.lifted()), d.liftedBy(), d.liftReason());
                }
            }
        });
    }

    @Override
    public void append(Decision decision) {
        insert(decision);
    }

    @Override
    public void lifted(Decision d) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE decision SET lifted = ?, lifted_by = ?, lift_reason = ? WHERE id = ? AND lifted IS NULL")) {
                ps.setLong(1, d.lifted().toEpochMilli());
                ps.setString(2, d.liftedBy());
                ps.setString(3, d.liftReason());
                ps.setLong(4, d.id());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long lastId() {
        return store.inTransaction(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM decision")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<Decision> activeLasting(Instant now) {
        List<Decision> out = new ArrayList<>();
        for (DecisionKind kind : DecisionKind.values()) {
            if (kind.lasting()) {
                out.addAll(active(kind, now));
            }
        }
        out.sort(java.util.Comparator.comparing(Decision::created).thenComparingLong(Decision::id));
        return out;
    }

    @Override
    public Map<String, Integer> localBanCounts() {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT target, COUNT(*) FROM decision WHERE kind = ? AND origin = ? GROUP BY target")) {
                ps.setString(1, DecisionKind.BAN_ADDRESS.id());
                ps.setString(2, Origin.LOCAL.id());
                Map<String, Integer> counts = new java.util.HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getInt(2));
                    }
                }
                return counts;
            }
        });
    }

    private static String typeOf(Target t) {
        if (t instanceof Target.Address) {
            return "address";
        } else if (t instanceof Target.Account) {
            return "account";
        } else if (t instanceof Target.Call) {
            return "call";
        }
        return "list";
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
    @Override
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
        DecisionKind kind = DecisionKind.fromId(rs.getString("kind"));
        Map<String, Object> evidence = fromJson(rs.getString("evidence"));
        return new Decision(
                rs.getLong("id"),
                kind,
                target(rs, kind, evidence),
                rs.getString("reason"),
                evidence,
                Origin.fromId(rs.getString("origin")),
                Instant.ofEpochMilli(rs.getLong("created")),
                instant(rs, "expires"),
                instant(rs, "lifted"),
                rs.getString("lifted_by"),
                rs.getString("lift_reason"));
    }

    /** The typed target; rows from before typed targets are read by kind (a call's id and cause were evidence). */
    private static Target target(ResultSet rs, DecisionKind kind, Map<String, Object> evidence) throws SQLException {
        String text = rs.getString("target");
        String type = rs.getString("target_type");
        if (type == null) {
            type = switch (kind) {
                case BAN_ADDRESS -> "address";
                case BLOCK_ACCOUNT -> "account";
                case REFUSE_CALL, HANGUP_CALL -> "call";
                case ALERT -> text.startsWith("list:") ? "list" : looksLikeAddress(text) ? "address" : "account";
            };
        }
        try {
            return switch (type) {
                case "address" -> Target.Address.parse(text);
                case "account" -> new Target.Account(text);
                case "list" -> new Target.ListSource(text.startsWith("list:") ? text.substring(5) : text);
                case "call" -> {
                    String callId = rs.getString("call_id");
                    int cause = rs.getInt("call_cause");
                    if (callId == null) {
                        callId = String.valueOf(evidence.getOrDefault("call-id", ""));
                        cause = evidence.get("cause") instanceof Number n ? n.intValue() : 16;
                    }
                    String pbx = rs.getString("call_pbx");
                    yield new Target.Call(pbx == null ? "" : pbx, callId, text, cause);
                }
                default -> throw new SQLException("decision " + rs.getLong("id") + ": unknown target type '" + type + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new SQLException("decision " + rs.getLong("id") + ": target '" + text + "' is not a " + type, e);
        }
    }

    private static boolean looksLikeAddress(String text) {
        try {
            Cidr.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
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
