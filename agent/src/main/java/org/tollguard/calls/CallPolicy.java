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
    private volatile Layer layer = new Layer((account, limits) -> limits);

    /** A layer over the configured limits (the hub's policy) and the limits resolved through it, replaced whole. */
    private record Layer(java.util.function.BiFunction<String, CallLimits, CallLimits> over,
                         Map<String, CallLimits> resolved) {
        Layer(java.util.function.BiFunction<String, CallLimits, CallLimits> over) {
            this(over, new java.util.concurrent.ConcurrentHashMap<>());
        }
    }

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

    /**
     * Hook for the hub's policy: {@code over} turns an account's configured limits into the limits in force. Set
     * again whenever the policy changes; the next decision uses it (no restart).
     */
    public void layer(java.util.function.BiFunction<String, CallLimits, CallLimits> over) {
        layer = new Layer(over);
    }

    /** The account's configured limits: its own, over its group's, over the defaults. */
    public CallLimits configuredFor(String account) {
        CallLimits limits = config.defaults();
        String group = groupOf.get(account);
        if (group != null) {
            limits = config.groups().get(group).limits().over(limits);
        }
        CallLimits own = config.accounts().get(account);
        return own == null ? limits : own.over(limits);
    }

    /** The account's limits in force: the configured ones through the hub's layer, if one is set. */
    public CallLimits limitsFor(String account) {
        Layer l = layer;
        return l.resolved().computeIfAbsent(account, a -> l.over().apply(a, configuredFor(a)));
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
