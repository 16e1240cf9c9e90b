package org.tollguard.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.calls.AccountControl;
import org.tollguard.protocol.SitePolicy;
import org.tollguard.protocol.SitePolicy.AccountBlock;

/**
 * Carries the portal's account blocks out at the PBX: an account newly blocked in the policy is blocked through
 * the agent's own route (new calls refused, live ones hung up, emergency calls never), recorded with who blocked it
 * in the portal; one no longer in the policy is unblocked the same way.
 */
public final class HubBlocks implements Consumer<SitePolicy> {
    private static final Logger log = LoggerFactory.getLogger(HubBlocks.class);

    private final AccountControl accounts;
    private Map<String, AccountBlock> applied;

    public HubBlocks(AccountControl accounts) {
        this.accounts = accounts;
    }

    @Override
    public synchronized void accept(SitePolicy policy) {
        Map<String, AccountBlock> now = new HashMap<>();
        policy.blockedAccounts().forEach(b -> now.put(b.account(), b));
        Map<String, AccountBlock> before = applied == null ? Map.of() : applied;
        for (AccountBlock b : now.values()) {
            if (!before.containsKey(b.account()) && !accounts.view(b.account()).blocked()) {
                accounts.block(b.account(), b.reason() == null ? "blocked in the hub portal by " + b.by() : b.reason(),
                        "hub:" + b.by());
                log.info("account {} blocked from the hub portal by {} (policy v{})", b.account(), b.by(),
                        policy.version());
            }
        }
        if (applied != null) {
            for (String account : before.keySet()) {
                if (!now.containsKey(account)) {
                    accounts.unblock(account, "hub", "unblocked in the hub portal (policy v" + policy.version() + ")");
                    log.info("account {} unblocked from the hub portal (policy v{})", account, policy.version());
                }
            }
        }
        applied = now;
    }
}
