package org.tollguard.hub.portal;

import java.util.regex.Pattern;

/**
 * Where a setting applies: a customer's defaults, one site's, or a group's or account's (of one site, or of every
 * site of the customer when {@code siteId} is null). Narrower levels override wider ones key by key.
 */
public record PolicyLevel(long customerId, Long siteId, Scope scope, String name) {
    private static final Pattern ACCOUNT_OR_GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");

    public enum Scope { CUSTOMER, SITE, GROUP, ACCOUNT }

    public PolicyLevel {
        name = name == null ? "" : name.strip();
        switch (scope) {
            case CUSTOMER -> {
                if (siteId != null || !name.isEmpty()) {
                    throw new IllegalArgumentException("a customer's defaults name no site, group or account");
                }
            }
            case SITE -> {
                if (siteId == null || !name.isEmpty()) {
                    throw new IllegalArgumentException("a site's defaults need the site and no name");
                }
            }
            case GROUP, ACCOUNT -> {
                if (!ACCOUNT_OR_GROUP.matcher(name).matches()) {
                    throw new IllegalArgumentException(scope.name().toLowerCase() + " name '" + name
                            + "' is not valid: letters, digits and . _ @ + -, at most 64 characters");
                }
            }
        }
    }

    public static PolicyLevel customer(long customerId) {
        return new PolicyLevel(customerId, null, Scope.CUSTOMER, "");
    }

    public static PolicyLevel site(long customerId, long siteId) {
        return new PolicyLevel(customerId, siteId, Scope.SITE, "");
    }

    String dbScope() {
        return scope.name().toLowerCase();
    }
}
