package org.tollguard.hub.portal;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tollguard.protocol.PolicyLimits;

/** The settings rows of {@code policy_setting}: read and written one level at a time. */
final class PolicySettings {
    /** The agent's category ids; emergency is never blockable. */
    static final Set<String> CATEGORIES = Set.of("national-amusement", "national-premium", "national-mobile",
            "national-geographic", "personal-assistant", "national-088", "national-freephone", "international",
            "high-risk", "unknown");

    private PolicySettings() {}

    static PolicyLimits read(Connection c, PolicyLevel level) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from policy_setting where operator_id = ? and coalesce(site_id, 0) = ? "
                + "and scope = ? and name = ?")) {
            s.setLong(1, level.customerId());
            s.setLong(2, level.siteId() == null ? 0 : level.siteId());
            s.setString(3, level.dbScope());
            s.setString(4, level.name());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? limits(r) : PolicyLimits.none();
            }
        }
    }

    /** Every group or account level of a customer that applies to {@code siteId}, by name (site rows win). */
    static Map<String, PolicyLimits> named(Connection c, long customerId, long siteId, PolicyLevel.Scope scope)
            throws SQLException {
        Map<String, PolicyLimits> wide = new LinkedHashMap<>();
        Map<String, PolicyLimits> own = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + ", site_id, name from policy_setting "
                + "where operator_id = ? and scope = ? "
                + "and (site_id is null or site_id = ?)")) {
            s.setLong(1, customerId);
            s.setString(2, scope.name().toLowerCase());
            s.setLong(3, siteId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    r.getLong("site_id");
                    boolean customerWide = r.wasNull();
                    (customerWide ? wide : own).put(r.getString("name"), limits(r));
                }
            }
        }
        Map<String, PolicyLimits> out = new LinkedHashMap<>(wide);
        own.forEach((name, limits) -> out.merge(name, limits, (customerWide, site) -> site.over(customerWide)));
        return out;
    }

    static void write(Connection c, PolicyLevel level, PolicyLimits limits, String actor) throws SQLException {
        check(limits);
        if (limits.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("delete from policy_setting where operator_id = ? "
                    + "and coalesce(site_id, 0) = ? and scope = ? and name = ?")) {
                s.setLong(1, level.customerId());
                s.setLong(2, level.siteId() == null ? 0 : level.siteId());
                s.setString(3, level.dbScope());
                s.setString(4, level.name());
                s.executeUpdate();
            }
            return;
        }
        try (PreparedStatement s = c.prepareStatement("insert into policy_setting (operator_id, site_id, scope, name, "
                + "delta, max_concurrent, max_duration_seconds, blocked_categories, blocked_prefixes, allowed_networks, "
                + "updated_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "on conflict (operator_id, coalesce(site_id, 0), scope, name) do update set delta = excluded.delta, "
                + "max_concurrent = excluded.max_concurrent, max_duration_seconds = excluded.max_duration_seconds, "
                + "blocked_categories = excluded.blocked_categories, blocked_prefixes = excluded.blocked_prefixes, "
                + "allowed_networks = excluded.allowed_networks, updated_by = excluded.updated_by, updated_at = now()")) {
            s.setLong(1, level.customerId());
            Tenants.setNullable(s, 2, level.siteId());
            s.setString(3, level.dbScope());
            s.setString(4, level.name());
            s.setBigDecimal(5, limits.delta());
            setInt(s, 6, limits.maxConcurrent());
            setInt(s, 7, limits.maxDuration() == null ? null : (int) limits.maxDuration().toSeconds());
            s.setArray(8, array(c, limits.blockedCategories()));
            s.setArray(9, array(c, limits.blockedPrefixes()));
            s.setArray(10, array(c, limits.allowedNetworks()));
            s.setString(11, actor);
            s.executeUpdate();
        }
    }

    /** Which keys differ between two versions of one level: what a customer user's change touches. */
    static Set<PolicyKey> changed(PolicyLimits before, PolicyLimits after) {
        Set<PolicyKey> keys = java.util.EnumSet.noneOf(PolicyKey.class);
        if (!java.util.Objects.equals(before.delta(), after.delta())) {
            keys.add(PolicyKey.DELTA);
        }
        if (!java.util.Objects.equals(before.maxConcurrent(), after.maxConcurrent())) {
            keys.add(PolicyKey.MAX_CONCURRENT);
        }
        if (!java.util.Objects.equals(before.maxDuration(), after.maxDuration())) {
            keys.add(PolicyKey.MAX_DURATION);
        }
        if (!java.util.Objects.equals(before.blockedCategories(), after.blockedCategories())) {
            keys.add(PolicyKey.BLOCKED_CATEGORIES);
        }
        if (!java.util.Objects.equals(before.blockedPrefixes(), after.blockedPrefixes())) {
            keys.add(PolicyKey.BLOCKED_PREFIXES);
        }
        if (!java.util.Objects.equals(before.allowedNetworks(), after.allowedNetworks())) {
            keys.add(PolicyKey.ALLOWED_NETWORKS);
        }
        return keys;
    }

    private static void check(PolicyLimits limits) {
        if (limits.delta() != null && limits.delta().signum() < 0) {
            throw new IllegalArgumentException("delta must not be negative");
        }
        if (limits.maxConcurrent() != null && limits.maxConcurrent() < 0) {
            throw new IllegalArgumentException("max-concurrent must not be negative");
        }
        if (limits.blockedCategories() != null) {
            for (String category : limits.blockedCategories()) {
                if (!CATEGORIES.contains(category)) {
                    throw new IllegalArgumentException("blocked-categories: '" + category + "' is not a category"
                            + (category.equals("emergency") ? " that can be blocked: emergency numbers never are" : ""));
                }
            }
        }
        if (limits.blockedPrefixes() != null) {
            for (String prefix : limits.blockedPrefixes()) {
                if (!prefix.matches("\\d{1,15}")) {
                    throw new IllegalArgumentException("blocked-prefixes: '" + prefix + "' is not a number prefix");
                }
            }
        }
        if (limits.allowedNetworks() != null) {
            for (String network : limits.allowedNetworks()) {
                Networks.check(network);
            }
        }
    }

    private static final String COLUMNS = "delta, max_concurrent, max_duration_seconds, blocked_categories, "
            + "blocked_prefixes, allowed_networks";

    private static PolicyLimits limits(ResultSet r) throws SQLException {
        BigDecimal delta = r.getBigDecimal("delta");
        int concurrent = r.getInt("max_concurrent");
        Integer maxConcurrent = r.wasNull() ? null : concurrent;
        int seconds = r.getInt("max_duration_seconds");
        Duration maxDuration = r.wasNull() ? null : Duration.ofSeconds(seconds);
        return new PolicyLimits(delta == null ? null : delta.stripTrailingZeros(), maxConcurrent, maxDuration,
                list(r.getArray("blocked_categories")), list(r.getArray("blocked_prefixes")),
                list(r.getArray("allowed_networks")));
    }

    private static List<String> list(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) array.getArray()) {
            out.add((String) o);
        }
        return out;
    }

    private static Array array(Connection c, List<String> values) throws SQLException {
        return values == null ? null : c.createArrayOf("text", values.toArray());
    }

    private static void setInt(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }

}
