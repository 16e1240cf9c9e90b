package org.tollguard.protocol;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /v1/heartbeat}, every 30 seconds: the agent's health and a summary of what it sees now. The hub keeps
 * the newest one per agent for the portal; an agent not heard from for two minutes shows as down.
 */
public record Heartbeat(int protocol, String agentVersion, Health health, Summary summary) {
    public Heartbeat(int protocol, String agentVersion) {
        this(protocol, agentVersion, null, null);
    }

    /**
     * @param pbxConnected    whether the PBX adapter (AMI or Event Socket) is connected
     * @param firewall        the firewall enforcer's state ({@code ok}, {@code log-only}, or what failed)
     * @param listGeneration  the community list generation in force (0: none yet)
     * @param listSynced      when the community list was last synchronised
     * @param policyVersion   the site policy version in force (0: none)
     * @param policySynced    when the policy was last checked with the hub
     * @param policyProblem   why the last policy offered was refused, if it was
     */
    public record Health(boolean pbxConnected, String firewall, long listGeneration, Instant listSynced,
                         long policyVersion, Instant policySynced, String policyProblem) {}

    public record Summary(List<LiveCall> liveCalls, List<AccountSpend> spend, List<String> blockedAccounts,
                          List<RecentAlert> alerts) {
        public Summary {
            liveCalls = liveCalls == null ? List.of() : List.copyOf(liveCalls);
            spend = spend == null ? List.of() : List.copyOf(spend);
            blockedAccounts = blockedAccounts == null ? List.of() : List.copyOf(blockedAccounts);
            alerts = alerts == null ? List.of() : List.copyOf(alerts);
        }
    }

    /** An outgoing call in progress. */
    public record LiveCall(String account, String destination, String category, Instant started, Instant answered) {}

    /** An account's spend today against its threshold (baseline: the window's daily average), in {@code currency}. */
    public record AccountSpend(String account, BigDecimal today, BigDecimal baseline, BigDecimal threshold,
                               String currency) {}

    public record RecentAlert(Instant at, String text) {}
}
