package org.tollguard.decision;

import java.time.Instant;

/**
 * Told the moment a new decision has been handed to every enforcer, before it is stored (the metrics' ban
 * latency: from the decision's {@code created}, the time of the event that caused it, to {@code enforcedAt}).
 * Runs on the deciding engine's thread: must not block.
 */
@FunctionalInterface
public interface EnforcementListener {
    void enforced(Decision decision, Instant enforcedAt);
}
