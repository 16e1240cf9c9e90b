package org.tollguard.hub.web;

import java.util.Locale;

/** The role a person logs in with: a reviewer decides candidates; an admin also manages allowlist, rules and users. */
public enum UserRole {
    REVIEWER,
    ADMIN;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UserRole parse(String text) {
        for (UserRole r : values()) {
            if (r.dbName().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (known roles: reviewer, admin)");
    }

    public boolean allows(WebRole routeRole) {
        return routeRole == WebRole.ANYONE
                || routeRole == WebRole.REVIEWER
                || (routeRole == WebRole.ADMIN && this == ADMIN);
    }
}
