package org.tollguard.protocol;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Settings of one level of a site policy (the site's defaults, a group or an account), under the names of the
 * agent's {@code calls} and {@code ids} keys. An absent value inherits: account, then group, then site defaults,
 * then the agent's own configuration. Categories are the agent's category ids ({@code national-premium}).
 */
public record PolicyLimits(
        BigDecimal delta,
        Integer maxConcurrent,
        Duration maxDuration,
        List<String> blockedCategories,
        List<String> blockedPrefixes,
        List<String> allowedNetworks) {

    public PolicyLimits {
        blockedCategories = blockedCategories == null ? null : List.copyOf(blockedCategories);
        blockedPrefixes = blockedPrefixes == null ? null : List.copyOf(blockedPrefixes);
        allowedNetworks = allowedNetworks == null ? null : List.copyOf(allowedNetworks);
    }

    public static PolicyLimits none() {
        return new PolicyLimits(null, null, null, null, null, null);
    }

    /** This, with every absent value taken from {@code parent}. */
    public PolicyLimits over(PolicyLimits parent) {
        return new PolicyLimits(
                delta != null ? delta : parent.delta,
                maxConcurrent != null ? maxConcurrent : parent.maxConcurrent,
                maxDuration != null ? maxDuration : parent.maxDuration,
                blockedCategories != null ? blockedCategories : parent.blockedCategories,
                blockedPrefixes != null ? blockedPrefixes : parent.blockedPrefixes,
                allowedNetworks != null ? allowedNetworks : parent.allowedNetworks);
    }

    public boolean isEmpty() {
        return equals(none());
    }
}
