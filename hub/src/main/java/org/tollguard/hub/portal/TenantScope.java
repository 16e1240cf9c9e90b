package org.tollguard.hub.portal;

/**
 * What a portal user may see: every customer of one reseller, or one customer's own sites. A hub admin sees all.
 */
public record TenantScope(Long resellerId, Long customerId) {
    public static final TenantScope ALL = new TenantScope(null, null);

    public static TenantScope reseller(long id) {
        return new TenantScope(id, null);
    }

    public static TenantScope customer(long id) {
        return new TenantScope(null, id);
    }

    public boolean isCustomerUser() {
        return customerId != null;
    }

    /** Whether a user of this scope may see {@code customer}, which belongs to {@code customerReseller}. */
    public boolean sees(long customer, Long customerReseller) {
        if (customerId != null) {
            return customerId == customer;
        }
        return resellerId == null || resellerId.equals(customerReseller);
    }
}
