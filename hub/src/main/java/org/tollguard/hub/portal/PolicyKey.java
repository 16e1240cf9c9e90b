package org.tollguard.hub.portal;

import java.util.Locale;

/** The settings the portal manages, named as the agent's config keys ({@code ids.delta}, {@code calls...}). */
public enum PolicyKey {
    DELTA, MAX_CONCURRENT, MAX_DURATION, BLOCKED_CATEGORIES, BLOCKED_PREFIXES, ALLOWED_NETWORKS;

    /** {@code max-concurrent}: the key's name in the agent's config and in the policy document. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static PolicyKey parse(String key) {
        for (PolicyKey k : values()) {
            if (k.key().equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown policy key '" + key + "'");
    }
}
