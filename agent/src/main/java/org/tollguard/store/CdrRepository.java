package org.tollguard.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.tollguard.numbers.Category;
import org.tollguard.spend.CallHistory;
import org.tollguard.spend.Cdr;
import org.tollguard.spend.Money;
import org.tollguard.spend.SpendFilter;

/** The {@code cdr} table: finished outgoing calls with their cost. */
public final class CdrRepository implements CallHistory {
    private static final String COLUMNS = "call_id, account, destination, e164, category, high_risk, started, answered,"
            + " ended, billable_seconds, cost_micros, currency, rate, origin";
    private static final String INSERT = "INSERT OR IGNORE INTO cdr (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final Store store;

    public CdrRepository(Store store) {
        this.store = store;
    }

    @Override
    public boolean insert(Cdr cdr) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                bind(ps, cdr);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<String> insertAll(Collection<Cdr> cdrs) {
        return store.inTransaction(c -> {
            List<String> added = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Cdr cdr : cdrs) {
                    bind(ps, cdr);
                    if (ps.executeUpdate() == 1) {
                        added.add(cdr.callId());
                    }
                }
            }
            return added;
        });
    }

    @Override
    public boolean replace(Cdr cdr) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM cdr WHERE call_id = ?")) {
                ps.setString(1, cdr.callId());
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                bind(ps, cdr);
                ps.executeUpdate();
            }
            return true;
        });
    }

    public Optional<Cdr> byId(String callId) {
        return store.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM cdr WHERE call_id = ?", callId)
                .stream().findFirst());
    }

    /** The account's calls that ended in {@code [from, to)}, oldest first. */
    public List<Cdr> endedBetween(String account, Instant from, Instant to) {
        return store.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM cdr WHERE account = ? AND ended >= ?"
                + " AND ended < ? ORDER BY ended, call_id", account, from.toEpochMilli(), to.toEpochMilli()));
    }

    @Override
    public BigDecimal sum(String account, Instant from, Instant to, SpendFilter filter) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(cost_micros), 0) FROM cdr"
                    + " WHERE account = ? AND ended >= ? AND ended < ? AND " + where(filter))) {
                ps.setString(1, account);
                ps.setLong(2, from.toEpochMilli());
                ps.setLong(3, to.toEpochMilli());
                bindFilter(ps, 4, filter);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Money.fromMicros(rs.getLong(1));
                }
            }
        });
    }

    @Override
    public Map<String, BigDecimal> sumByAccount(Instant from, Instant to, SpendFilter filter) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT account, SUM(cost_micros) FROM cdr"
                    + " WHERE ended >= ? AND ended < ? AND " + where(filter) + " GROUP BY account")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, to.toEpochMilli());
                bindFilter(ps, 3, filter);
                Map<String, BigDecimal> out = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), Money.fromMicros(rs.getLong(2)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Instant> firstEnded(String account) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(ended) FROM cdr WHERE account = ?")) {
                ps.setString(1, account);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
                }
            }
        });
    }

    public long count() {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM cdr"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static String where(SpendFilter filter) {
        String in = filter.categories().isEmpty() ? "0"
                : "category IN (" + filter.categories().stream().map(x -> "?").collect(Collectors.joining(",")) + ")";
        return "(" + in + " OR (? AND high_risk = 1))";
    }

    private static void bindFilter(PreparedStatement ps, int index, SpendFilter filter) throws SQLException {
        int i = index;
        for (Category c : filter.categories().stream().sorted().toList()) {
            ps.setString(i++, c.id());
        }
        ps.setInt(i, filter.highRisk() ? 1 : 0);
    }

    private static void bind(PreparedStatement ps, Cdr cdr) throws SQLException {
        ps.setString(1, cdr.callId());
        ps.setString(2, cdr.account());
        ps.setString(3, cdr.destination());
        ps.setString(4, cdr.e164());
        ps.setString(5, cdr.category().id());
        ps.setInt(6, cdr.highRisk() ? 1 : 0);
        ps.setLong(7, cdr.started().toEpochMilli());
        if (cdr.answered() == null) {
            ps.setNull(8, Types.INTEGER);
        } else {
            ps.setLong(8, cdr.answered().toEpochMilli());
        }
        ps.setLong(9, cdr.ended().toEpochMilli());
        ps.setLong(10, cdr.billableSeconds());
        ps.setLong(11, Money.toMicros(cdr.cost()));
        ps.setString(12, cdr.currency());
        ps.setString(13, cdr.rate());
        ps.setString(14, cdr.origin());
    }

    private static List<Cdr> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Cdr> out = new ArrayList<>();
                while (rs.next()) {
                    long answered = rs.getLong("answered");
                    Instant answeredAt = rs.wasNull() ? null : Instant.ofEpochMilli(answered);
                    out.add(new Cdr(rs.getString("call_id"), rs.getString("account"), rs.getString("destination"),
                            rs.getString("e164"), Category.fromId(rs.getString("category")), rs.getInt("high_risk") == 1,
                            Instant.ofEpochMilli(rs.getLong("started")), answeredAt,
                            Instant.ofEpochMilli(rs.getLong("ended")), rs.getLong("billable_seconds"),
                            Money.fromMicros(rs.getLong("cost_micros")), rs.getString("currency"), rs.getString("rate"),
                            rs.getString("origin")));
                }
                return out;
            }
        }
    }
}
