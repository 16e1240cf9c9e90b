package org.tollguard.calls;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tollguard.config.CallLimits;
import org.tollguard.config.CallsConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.spend.SpendEngine;
import org.tollguard.spend.SpendStatus;

/** What operators do with accounts: see their limits, usage and spend, block and unblock them. */
public final class AccountControl {
    private final CallsConfig config;
    private final CallEngine engine;
    private final Decisions decisions;
    private final Clock clock;
    private final SpendEngine spend;

    public AccountControl(CallsConfig config, CallEngine engine, Decisions decisions, Clock clock) {
        this(config, engine, decisions, clock, null);
    }

    /** @param spend the spend IDS, null when it is off */
    public AccountControl(CallsConfig config, CallEngine engine, Decisions decisions, Clock clock, SpendEngine spend) {
        this.config = config;
        this.engine = engine;
        this.decisions = decisions;
        this.clock = clock;
        this.spend = spend;
    }

    /**
     * An account's limits, what it uses now and what it spent today.
     *
     * @param spend today's spend (finished + live), baseline, delta, threshold and IDS status; null when the
     *              spend IDS is off
     */
    public record AccountView(String account, String group, boolean blocked, long liveOutgoing, CallLimits limits,
                              SpendStatus spend) {}

    /** Every account that is configured, blocked, has calls now or spent today. */
    public Set<String> known() {
        Set<String> accounts = new TreeSet<>(config.accounts().keySet());
        config.groups().values().forEach(g -> accounts.addAll(g.accounts()));
        engine.calls().forEach(c -> accounts.add(c.account()));
        decisions.active(DecisionKind.BLOCK_ACCOUNT).forEach(a -> accounts.add(a.decision().target().text()));
        if (spend != null) {
            accounts.addAll(spend.accounts());
        }
        accounts.remove("");
        return accounts;
    }

    public AccountView view(String account) {
        long live = engine.calls().stream().filter(c -> c.account().equals(account) && c.outgoing()).count();
        return new AccountView(account, engine.policy().groupOf(account), engine.isBlocked(account), live,
                engine.policy().limitsFor(account), spend == null ? null : spend.status(account));
    }

    /** Blocks by hand: new calls are refused, live ones hung up (emergency calls excepted). */
    public Decision block(String account, String reason, String by) {
        return decisions.take(Decision.of(DecisionKind.BLOCK_ACCOUNT, new Target.Account(account),
                reason == null || reason.isBlank() ? "blocked by " + by : reason, Map.of("by", by), Origin.OPERATOR,
                clock.instant(), null));
    }

    /** Lifts the account's blocks through the ledger and records who and why; returns how many were lifted. */
    public int unblock(String account, String by, String reason) {
        int lifted = decisions.lift(DecisionKind.BLOCK_ACCOUNT, account, by, reason);
        if (spend != null) {
            spend.accountUnblocked(account);
        }
        return lifted;
    }
}
