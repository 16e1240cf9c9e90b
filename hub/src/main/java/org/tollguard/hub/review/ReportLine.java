package org.tollguard.hub.review;

import java.time.Instant;

/** One report as the candidate page lists it: who sent it and what the agent saw. */
public record ReportLine(String address, String site, String operator, Instant received, String transport,
                         String service, String counts, String accounts, String userAgents, String reason) {}
