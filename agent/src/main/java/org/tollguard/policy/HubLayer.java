package org.tollguard.policy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tollguard.config.CallLimits;
import org.tollguard.net.Cidr;
import org.tollguard.numbers.Category;
import org.tollguard.protocol.PolicyLimits;
import org.tollguard.protocol.SitePolicy;

/**
 * The hub's policy as a layer over the limits of the local config, key by key: a key the operator pins locally
 * keeps its local value; otherwise the hub's value (account, then group, then site defaults) wins where it sets
 * one. The reseller's fraudulent prefixes are added to every account's blocked prefixes. Each value says where it
 * came from, for {@code tollguard check-config}.
 */
public final class HubLayer {
    /** The keys the layer covers, as the agent's config names them. */
    public static final List<String> KEYS = List.of("delta", "max-concurrent", "max-duration", "blocked-categories",
            "blocked-prefixes", "allowed-networks");

    private final SitePolicy policy;
    private final Set<String> pinned;

    /** {@code policy} null: no hub policy, everything local. */
    public HubLayer(SitePolicy policy, Set<String> pinned) {
        for (String key : pinned) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("hub pinned key '" + key + "' is not one of " + KEYS);
            }
        }
        this.policy = policy;
        this.pinned = Set.copyOf(pinned);
    }

    /** Fails, naming the value, if the policy holds a category or network this agent cannot read. */
    public static void check(SitePolicy policy) {
        List<PolicyLimits> levels = new ArrayList<>();
        levels.add(policy.defaults());
        levels.addAll(policy.groups().values());
        levels.addAll(policy.accounts().values());
        for (PolicyLimits l : levels) {
            if (l.blockedCategories() != null) {
                l.blockedCategories().forEach(Category::fromId);
            }
            if (l.allowedNetworks() != null) {
                l.allowedNetworks().forEach(Cidr::parse);
            }
            if (l.maxConcurrent() != null && l.maxConcurrent() < 0 || l.delta() != null && l.delta().signum() < 0) {
                throw new IllegalArgumentException("negative max-concurrent or delta");
            }
        }
    }

    /** An account's limits in force and, per key, where each came from. */
    public record Resolved(CallLimits limits, BigDecimal delta, Map<String, String> origins) {}

    public Resolved resolve(String account, String group, CallLimits local, BigDecimal localDelta) {
        Map<String, String> origins = new LinkedHashMap<>();
        PolicyLimits hub = hubLimits(account, group);
        String from = policy == null ? null : "hub policy v" + policy.version();
        BigDecimal delta = pick("delta", hub.delta(), localDelta, from, origins);
        Integer maxConcurrent = pick("max-concurrent", hub.maxConcurrent(), local.maxConcurrent(), from, origins);
        var maxDuration = pick("max-duration", hub.maxDuration(), local.maxDuration(), from, origins);
        List<Category> categories = pick("blocked-categories", hub.blockedCategories() == null ? null
                : categories(hub.blockedCategories()), local.blockedCategories(), from, origins);
        List<String> prefixes = pick("blocked-prefixes", hub.blockedPrefixes(), local.blockedPrefixes(), from, origins);
        if (policy != null && !policy.fraudPrefixes().isEmpty() && !pinned.contains("blocked-prefixes")) {
            Set<String> all = new LinkedHashSet<>(prefixes);
            all.addAll(policy.fraudPrefixes());
            prefixes = List.copyOf(all);
            origins.put("blocked-prefixes", origins.get("blocked-prefixes") + " + hub fraudulent destinations");
        }
        List<Cidr> networks = pick("allowed-networks", hub.allowedNetworks() == null ? null
                : hub.allowedNetworks().stream().map(Cidr::parse).toList(), local.allowedNetworks(), from, origins);
        CallLimits limits = new CallLimits(categories, prefixes, local.allowedPrefixes(), maxConcurrent, maxDuration,
                local.maxCallsPerMinute(), networks);
        return new Resolved(limits, delta, origins);
    }

    /** Whether the hub has blocked this account (and who did, in the policy's record). */
    public boolean blocked(String account) {
        return policy != null && policy.blockedAccounts().stream().anyMatch(b -> b.account().equals(account));
    }

    private PolicyLimits hubLimits(String account, String group) {
        if (policy == null) {
            return PolicyLimits.none();
        }
        PolicyLimits limits = policy.defaults();
        if (group != null && policy.groups().containsKey(group)) {
            limits = policy.groups().get(group).over(limits);
        }
        PolicyLimits own = policy.accounts().get(account);
        return own == null ? limits : own.over(limits);
    }

    private <T> T pick(String key, T hub, T local, String from, Map<String, String> origins) {
        if (hub != null && !pinned.contains(key)) {
            origins.put(key, from);
            return hub;
        }
        origins.put(key, pinned.contains(key) ? "local config (pinned)" : "local config");
        return local;
    }

    private static List<Category> categories(List<String> ids) {
        List<Category> out = new ArrayList<>();
        for (String id : ids) {
            Category c = Category.fromId(id);
            if (c == Category.EMERGENCY) {
                continue; // never blockable, whatever a policy says
            }
            out.add(c);
        }
        return out;
    }
}
