package org.tollguard.hub.portal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.tollguard.hub.db.Database;

/** Resellers, their customers and the customers' sites, always read through the asking user's scope. */
public final class Tenants {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._@&'-]{0,79}");

    private final Database db;

    public Tenants(Database db) {
        this.db = db;
    }

    public long createReseller(String name) throws SQLException {
        checkName("reseller", name);
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(
                     "insert into reseller (name) values (?) on conflict (name) do nothing returning id")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalArgumentException("a reseller named '" + name + "' exists already");
                }
                return r.getLong(1);
            }
        }
    }

    public Optional<Long> resellerId(String name) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select id from reseller where name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
            }
        }
    }

    /** A new customer of the reseller; a customer user's own scope can never create one. */
    public long createCustomer(TenantScope scope, long resellerId, String name) throws SQLException {
        if (scope.isCustomerUser() || (scope.resellerId() != null && scope.resellerId() != resellerId)) {
            throw new NotFound("no reseller " + resellerId + " that you manage");
        }
        checkName("customer", name);
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("insert into operator (name, reseller_id) values (?, ?) "
                     + "on conflict (name) do nothing returning id")) {
            s.setString(1, name);
            s.setLong(2, resellerId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalArgumentException("a customer named '" + name + "' exists already");
                }
                return r.getLong(1);
            }
        }
    }

    public List<Customer> customers(TenantScope scope) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(CUSTOMER_SELECT
                     + " where (?::bigint is null or o.reseller_id = ?) and (?::bigint is null or o.id = ?) "
                     + "order by o.name")) {
            setNullable(s, 1, scope.resellerId());
            setNullable(s, 2, scope.resellerId());
            setNullable(s, 3, scope.customerId());
            setNullable(s, 4, scope.customerId());
            List<Customer> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(customer(r));
                }
            }
            return out;
        }
    }

    /** The customer, if the scope sees it; otherwise {@link NotFound}, the same as for one that does not exist. */
    public Customer customer(TenantScope scope, long id) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(CUSTOMER_SELECT + " where o.id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    Customer customer = customer(r);
                    if (scope.sees(customer.id(), customer.resellerId())) {
                        return customer;
                    }
                }
                throw new NotFound("no customer " + id + " that you may see");
            }
        }
    }

    public void setCustomerMayEdit(TenantScope scope, long customerId, Set<PolicyKey> keys) throws SQLException {
        Customer customer = customer(scope, customerId);
        if (scope.isCustomerUser()) {
            throw new IllegalArgumentException("only the reseller decides what " + customer.name() + " may change");
        }
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("update operator set customer_may_edit = ? where id = ?")) {
            s.setArray(1, c.createArrayOf("text", keys.stream().map(PolicyKey::key).toArray()));
            s.setLong(2, customerId);
            s.executeUpdate();
        }
    }

    public List<Site> sites(TenantScope scope, long customerId) throws SQLException {
        customer(scope, customerId);
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(SITE_SELECT + " where s.operator_id = ? order by s.name")) {
            s.setLong(1, customerId);
            List<Site> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(site(r));
                }
            }
            return out;
        }
    }

    public Site site(TenantScope scope, long siteId) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(SITE_SELECT + " where s.id = ?")) {
            s.setLong(1, siteId);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    Site site = site(r);
                    customer(scope, site.customerId());
                    return site;
                }
            }
        } catch (NotFound e) {
            // fall through: a site of a customer the user may not see does not exist for that user
        }
        throw new NotFound("no site " + siteId + " that you may see");
    }


    private static final String CUSTOMER_SELECT = "select o.id, o.name, o.reseller_id, r.name, o.customer_may_edit "
            + "from operator o left join reseller r on r.id = o.reseller_id";
    private static final String SITE_SELECT = "select s.id, s.operator_id, s.name, "
            + "(select max(a.id) from agent a where a.site_id = s.id and a.revoked_at is null), "
            + "coalesce((select p.version from site_policy p where p.site_id = s.id), 0) from site s";

    private static Customer customer(ResultSet r) throws SQLException {
        Set<PolicyKey> may = EnumSet.noneOf(PolicyKey.class);
        Array keys = r.getArray(5);
        for (Object k : (Object[]) keys.getArray()) {
            may.add(PolicyKey.parse((String) k));
        }
        long reseller = r.getLong(3);
        return new Customer(r.getLong(1), r.getString(2), r.wasNull() ? null : reseller, r.getString(4), may);
    }

    private static Site site(ResultSet r) throws SQLException {
        long agent = r.getLong(4);
        return new Site(r.getLong(1), r.getLong(2), r.getString(3), r.wasNull() ? null : agent, r.getLong(5));
    }

    static void setNullable(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, java.sql.Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    private static void checkName(String what, String name) {
        if (name == null || !NAME.matcher(name.strip()).matches()) {
            throw new IllegalArgumentException(what + " name '" + name
                    + "' is not valid: letters, digits, spaces and . _ @ & ' -, at most 80 characters");
        }
    }
}
