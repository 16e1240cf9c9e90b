package org.tollguard.calls;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.tollguard.config.CallLimits;
import org.tollguard.config.CallsConfig;
import org.tollguard.net.Cidr;
import org.tollguard.numbers.Category;
import org.tollguard.numbers.Classification;

/** The static part of the call policy: each account's limits, and whether a destination or source is allowed. */
public final class CallPolicy {
    private final CallsConfig config;
    private final Map<String, String> groupOf = new HashMap<>();
    private final Map<String, CallLimits> resolved = new java.util.concurrent.ConcurrentHashMap<>();

    public CallPolicy(CallsConfig config) {
        this.config = config;
        config.groups().forEach((name, group) -> group.accounts().forEach(a -> groupOf.put(a, name)));
    }

    public int pbxMaxConcurrent() {
        return config.pbxMaxConcurrent();
    }

    public String groupOf(String account) {
        return groupOf.get(account);
    }

    /** The account's limits: its own, over its group's, over the defaults. */
    public CallLimits limitsFor(String account) {
        return resolved.computeIfAbsent(account, a -> {
            CallLimits limits = config.defaults();
            String group = groupOf.get(a);
            if (group != null) {
                limits = config.groups().get(group).limits().over(limits);
            }
            CallLimits own = config.accounts().get(a);
            return own == null ? limits : own.over(limits);
        });
    }

    /** Whether the account may call this destination. Emergency numbers always may. */
    Optional<Violation> destination(String account, Classification c) {
        if (c.category() == Category.EMERGENCY) {
            return Optional.empty();
        }
        CallLimits limits = limitsFor(account);
        String digits = c.e164() == null ? c.dialled().replaceAll("\\D", "") : c.e164().replaceFirst("^\\+", "");
        for (String allowed : limits.allowedPrefixes()) {
            if (digits.startsWith(allowed)) {
                return Optional.empty();
            }
        }
        for (String blocked : limits.blockedPrefixes()) {
            if (digits.startsWith(blocked)) {
                return Optional.of(new Violation("blocked-prefix", "prefix " + blocked + " is blocked for " + account,
                        Violation.CALL_REJECTED));
            }
        }
        if (c.highRisk() && limits.blockedCategories().contains(Category.HIGH_RISK)) {
            return Optional.of(new Violation("blocked-category", "high-risk destination ("
                    + c.highRiskNote() + ") is blocked for " + account, Violation.CALL_REJECTED));
        }
        if (limits.blockedCategories().contains(c.category())) {
            return Optional.of(new Violation("blocked-category", c.category().id() + " is blocked for " + account,
                    Violation.CALL_REJECTED));
        }
        return Optional.empty();
    }

    /** The account is restricted to networks, and the address is unknown. */
    boolean sourceUnknownButRestricted(String account, InetAddress source) {
        return source == null && !limitsFor(account).allowedNetworks().isEmpty();
    }

    /** Whether the account may call (or log in) from this address; an unknown address is judged by the caller. */
    Optional<Violation> source(String account, InetAddress source) {
        var networks = limitsFor(account).allowedNetworks();
        if (networks.isEmpty() || source == null) {
            return Optional.empty();
        }
        for (Cidr n : networks) {
            if (n.contains(source)) {
                return Optional.empty();
            }
        }
        return Optional.of(new Violation("foreign-network", account + " may not call from "
                + org.tollguard.net.IpAddresses.format(source) + " (allowed: " + networks + ")", Violation.CALL_REJECTED));
    }
}
