package org.tollguard.hub.review;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Auto-listing: an address reported by at least {@code minOperators} distinct operators, each with a reporting site
 * of trust at least {@code minTrust}, within {@code window}, is listed for {@code listedFor} as {@code rule:NAME}.
 */
public record AutoRule(String name, int minOperators, double minTrust, Duration window, Duration listedFor,
                       boolean enabled) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");

    public AutoRule {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rule name '" + name + "': lower-case letters, digits and dashes");
        }
        if (minOperators < 1) {
            throw new IllegalArgumentException("operators: at least 1");
        }
        if (minTrust < 0 || minTrust > 1) {
            throw new IllegalArgumentException("trust: between 0 and 1");
        }
        if (window.isNegative() || window.isZero() || listedFor.isNegative() || listedFor.isZero()) {
            throw new IllegalArgumentException("window and listed-for must be positive");
        }
    }

    public String actor() {
        return "rule:" + name;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%d distinct operators with trust >= %.2f within %d min, listed for %d h",
                minOperators, minTrust, window.toMinutes(), listedFor.toHours());
    }
}
