package org.tollguard.hub.portal;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;
import org.tollguard.hub.db.Database;
import org.tollguard.protocol.PolicyLimits;

/**
 * Changes one level of a customer's settings on behalf of a portal user, and re-signs the policy of every site it
 * reaches in the same transaction. A customer's own user may change only the keys its reseller lets it.
 */
public final class PolicyEditor {
    private final Database db;
    private final Tenants tenants;
    private final SitePolicies policies;

    public PolicyEditor(Database db, Tenants tenants, SitePolicies policies) {
        this.db = db;
        this.tenants = tenants;
        this.policies = policies;
    }

    public PolicyLimits read(TenantScope scope, PolicyLevel level) throws SQLException {
        check(scope, level);
        return db.transaction(c -> PolicySettings.read(c, level));
    }

    public void write(TenantScope scope, PolicyLevel level, PolicyLimits limits, String actor) throws SQLException {
        Customer customer = check(scope, level);
        db.transaction(c -> {
            PolicyLimits before = PolicySettings.read(c, level);
            if (scope.isCustomerUser()) {
                Set<PolicyKey> touched = PolicySettings.changed(before, limits);
                Set<PolicyKey> refused = EnumSet.noneOf(PolicyKey.class);
                refused.addAll(touched);
                refused.removeAll(customer.customerMayEdit());
                if (!refused.isEmpty()) {
                    throw new IllegalArgumentException("your reseller does not let you change "
                            + String.join(", ", refused.stream().map(PolicyKey::key).toList()));
                }
            }
            PolicySettings.write(c, level, limits, actor);
            if (level.siteId() != null) {
                policies.refresh(c, level.siteId());
            } else {
                policies.refreshCustomer(c, level.customerId());
            }
            return null;
        });
    }

    private Customer check(TenantScope scope, PolicyLevel level) throws SQLException {
        Customer customer = tenants.customer(scope, level.customerId());
        if (level.siteId() != null && tenants.site(scope, level.siteId()).customerId() != customer.id()) {
            throw new NotFound("no site " + level.siteId() + " of customer " + customer.name());
        }
        return customer;
    }

    /** A fraudulent-destination prefix of the reseller: refused at every site of every customer of it. */
    public void addFraudPrefix(TenantScope scope, long resellerId, String prefix, String note, String actor)
            throws SQLException {
        if (scope.isCustomerUser() || (scope.resellerId() != null && scope.resellerId() != resellerId)) {
            throw new NotFound("no reseller " + resellerId + " that you manage");
        }
        String digits = prefix == null ? "" : prefix.strip().replaceFirst("^\\+", "");
        if (!digits.matches("\\d{1,15}")) {
            throw new IllegalArgumentException("'" + prefix + "' is not a number prefix (digits, E.164 without +)");
        }
        db.transaction(c -> {
            try (java.sql.PreparedStatement s = c.prepareStatement("insert into fraud_prefix (reseller_id, prefix, note, "
                    + "added_by) values (?, ?, ?, ?) on conflict do nothing")) {
                s.setLong(1, resellerId);
                s.setString(2, digits);
                s.setString(3, note);
                s.setString(4, actor);
                s.executeUpdate();
            }
            try (java.sql.PreparedStatement s = c.prepareStatement("select id from operator where reseller_id = ?")) {
                s.setLong(1, resellerId);
                java.util.List<Long> customers = new java.util.ArrayList<>();
                try (java.sql.ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        customers.add(r.getLong(1));
                    }
                }
                for (long customer : customers) {
                    policies.refreshCustomer(c, customer);
                }
            }
            return null;
        });
    }
}
