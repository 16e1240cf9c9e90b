package org.tollguard.protocol;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the hub's portal sets for one site, signed per version ({@link ListFile#POLICY}, list {@code site-ID}):
 * defaults, groups' and accounts' limits, the reseller's fraudulent-destination prefixes (refused for every
 * account) and the accounts blocked from the portal, with who blocked them. Versions never go back.
 */
public record SitePolicy(
        int protocol,
        long site,
        long version,
        Instant created,
        PolicyLimits defaults,
        Map<String, PolicyLimits> groups,
        Map<String, PolicyLimits> accounts,
        List<String> fraudPrefixes,
        List<AccountBlock> blockedAccounts) {

    public SitePolicy {
        defaults = defaults == null ? PolicyLimits.none() : defaults;
        groups = sorted(groups);
        accounts = sorted(accounts);
        fraudPrefixes = fraudPrefixes == null ? List.of() : List.copyOf(fraudPrefixes);
        blockedAccounts = blockedAccounts == null ? List.of() : List.copyOf(blockedAccounts);
    }

    /** Sorted, so that the same settings always give the same text. */
    private static Map<String, PolicyLimits> sorted(Map<String, PolicyLimits> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /** The name the policy's signature carries in place of a list name. */
    public static String signedName(long site) {
        return "site-" + site;
    }

    /** An account blocked from the portal: its calls are refused and hung up until it is unblocked there. */
    public record AccountBlock(String account, String by, Instant at, String reason) {}
}
