package org.tollguard.config;

import java.time.Duration;
import java.util.List;
import org.tollguard.net.Cidr;
import org.tollguard.numbers.Category;
import org.tollguard.yamlconfig.Checks;

/**
 * Limits on outgoing calls, for the defaults, a group or one account. A null field inherits: account → group →
 * defaults. Zero means "no limit" for the numeric caps.
 *
 * @param blockedCategories  destination categories refused ({@code high-risk} is blocked by default)
 * @param blockedPrefixes    numbers starting with these (E.164 without '+', or as dialled) are refused
 * @param allowedPrefixes    numbers starting with these are allowed even if their category is blocked
 * @param maxConcurrent      outgoing calls at once
 * @param maxDuration        longest answered call
 * @param maxCallsPerMinute  new outgoing calls per minute
 * @param allowedNetworks    where the account may register and call from (empty: anywhere)
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record CallLimits(
        List<Category> blockedCategories,
        List<String> blockedPrefixes,
        List<String> allowedPrefixes,
        Integer maxConcurrent,
        Duration maxDuration,
        Integer maxCallsPerMinute,
        List<Cidr> allowedNetworks) {

    public CallLimits {
        blockedCategories = blockedCategories == null ? null : List.copyOf(blockedCategories);
        blockedPrefixes = blockedPrefixes == null ? null : normalise("blocked-prefixes", blockedPrefixes);
        allowedPrefixes = allowedPrefixes == null ? null : normalise("allowed-prefixes", allowedPrefixes);
        allowedNetworks = allowedNetworks == null ? null : List.copyOf(allowedNetworks);
        if (blockedCategories != null && blockedCategories.contains(Category.EMERGENCY)) {
            throw new IllegalArgumentException("blocked-categories: emergency numbers can never be blocked");
        }
        if (maxConcurrent != null) {
            Checks.atLeast("max-concurrent", maxConcurrent, 0);
        }
        if (maxCallsPerMinute != null) {
            Checks.atLeast("max-calls-per-minute", maxCallsPerMinute, 0);
        }
        if (maxDuration != null && maxDuration.isNegative()) {
            throw new IllegalArgumentException("max-duration must not be negative");
        }
    }

    /** The built-in defaults: high-risk destinations blocked, no caps. */
    public static CallLimits builtIn() {
        return new CallLimits(List.of(Category.HIGH_RISK), List.of(), List.of(), 0, Duration.ZERO, 0, List.of());
    }

    public static CallLimits inheritAll() {
        return new CallLimits(null, null, null, null, null, null, null);
    }

    /** This, with every null field taken from {@code parent}. */
    public CallLimits over(CallLimits parent) {
        return new CallLimits(
                blockedCategories != null ? blockedCategories : parent.blockedCategories,
                blockedPrefixes != null ? blockedPrefixes : parent.blockedPrefixes,
                allowedPrefixes != null ? allowedPrefixes : parent.allowedPrefixes,
                maxConcurrent != null ? maxConcurrent : parent.maxConcurrent,
                maxDuration != null ? maxDuration : parent.maxDuration,
                maxCallsPerMinute != null ? maxCallsPerMinute : parent.maxCallsPerMinute,
                allowedNetworks != null ? allowedNetworks : parent.allowedNetworks);
    }

    private static List<String> normalise(String key, List<String> prefixes) {
        return prefixes.stream().map(p -> {
            String digits = p == null ? "" : p.strip().replaceFirst("^\\+", "");
            if (!digits.matches("\\d{1,15}")) {
                throw new IllegalArgumentException(key + ": '" + p + "' is not a number prefix");
            }
            return digits;
        }).toList();
    }
}
