package org.tollguard.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One local ban, reported with its evidence. {@code id} is chosen by the agent when the ban happens and is
 * what the hub de-duplicates on. {@code accounts} is null when the operator keeps account names out of
 * reports; {@code accountCount} is always there.
 */
public record Report(
        String id,
        String address,
        Instant firstSeen,
        Instant lastSeen,
        Instant bannedAt,
        Instant banExpires,
        String reason,
        Map<String, Integer> counts,
        List<String> accounts,
        Integer accountCount,
        List<String> userAgents,
        String service,
        String transport,
        Pbx pbx,
        String agentVersion) {}
