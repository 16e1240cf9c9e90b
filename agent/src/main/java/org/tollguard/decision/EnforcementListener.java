package org.tollguard.decision;

import java.time.Instant;

/**
 * Told how enforcement goes. Runs on the deciding thread or an enforcer's callback thread: must not block.
 */
public interface EnforcementListener {
    /**
     * A new decision has been handed to every enforcer, before it is journaled (the metrics' ban latency: from the
     * decision's {@code created}, the time of the event that caused it, to {@code enforcedAt}).
     */
    default void enforced(Decision decision, Instant enforcedAt) {}

    /** Applying {@code decision} failed for the {@code attempts}-th time in a row; it will be tried again. */
    default void failed(Decision decision, String error, int attempts) {}

    /** A decision that had failed holds now, after {@code attempts} attempts. */
    default void recovered(Decision decision, int attempts) {}
}
