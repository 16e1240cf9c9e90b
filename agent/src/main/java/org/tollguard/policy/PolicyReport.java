package org.tollguard.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import org.tollguard.calls.CallPolicy;
import org.tollguard.config.TollguardConfig;
import org.tollguard.protocol.SitePolicy;

/** For {@code tollguard check-config}: each account's limits in force and where each value came from. */
public final class PolicyReport {
    private PolicyReport() {}

    public static List<String> lines(TollguardConfig config, SitePolicy policy) {
        CallPolicy calls = new CallPolicy(config.calls());
        HubLayer layer = new HubLayer(policy, new HashSet<>(config.hub().pinned()));
        TreeSet<String> accounts = new TreeSet<>(config.calls().accounts().keySet());
        config.calls().groups().values().forEach(g -> accounts.addAll(g.accounts()));
        if (policy != null) {
            accounts.addAll(policy.accounts().keySet());
            policy.blockedAccounts().forEach(b -> accounts.add(b.account()));
        }
        List<String> out = new ArrayList<>();
        out.add("# hub policy: " + (policy == null ? "none kept; the local config alone rules"
                : "version " + policy.version() + " of " + policy.created()));
        out.add(line("(every other account)", null, layer, calls, config));
        for (String account : accounts) {
            out.add(line(account, calls.groupOf(account), layer, calls, config));
        }
        return out;
    }

    private static String line(String account, String group, HubLayer layer, CallPolicy calls,
                               TollguardConfig config) {
        String key = account.startsWith("(") ? "" : account;
        HubLayer.Resolved r = layer.resolve(key, group, calls.configuredFor(key), config.ids().deltaFor(key, group));
        StringBuilder sb = new StringBuilder("# ").append(account).append(':');
        sb.append(" delta=").append(r.delta().toPlainString()).append(" [").append(r.origins().get("delta")).append(']');
        sb.append(" max-concurrent=").append(r.limits().maxConcurrent()).append(" [")
                .append(r.origins().get("max-concurrent")).append(']');
        sb.append(" max-duration=").append(r.limits().maxDuration()).append(" [")
                .append(r.origins().get("max-duration")).append(']');
        sb.append(" blocked-categories=").append(r.limits().blockedCategories()).append(" [")
                .append(r.origins().get("blocked-categories")).append(']');
        sb.append(" blocked-prefixes=").append(r.limits().blockedPrefixes()).append(" [")
                .append(r.origins().get("blocked-prefixes")).append(']');
        sb.append(" allowed-networks=").append(r.limits().allowedNetworks()).append(" [")
                .append(r.origins().get("allowed-networks")).append(']');
        if (layer.blocked(key)) {
            sb.append(" BLOCKED from the hub portal");
        }
        return sb.toString();
    }
}
