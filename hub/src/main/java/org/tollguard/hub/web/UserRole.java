package org.tollguard.hub.web;

import java.util.Locale;

/**
 * The role a person logs in with: a reviewer decides candidates; an admin also manages allowlist, rules and users;
 * a reseller manages its customers in the portal; a customer sees its own sites there.
 */
public enum UserRole {
    REVIEWER,
    ADMIN,
    RESELLER,
    CUSTOMER;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UserRole parse(String text) {
        for (UserRole r : values()) {
            if (r.dbName().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (known roles: reviewer, admin, reseller, customer)");
    }

    public boolean allows(WebRole routeRole) {
        return switch (routeRole) {
            case ANYONE, SIGNED_IN -> true;
            case REVIEWER -> this == REVIEWER || this == ADMIN;
            case ADMIN -> this == ADMIN;
            case PORTAL -> this == ADMIN || this == RESELLER || this == CUSTOMER;
            case ADMIN_API -> false;
        };
    }
}
