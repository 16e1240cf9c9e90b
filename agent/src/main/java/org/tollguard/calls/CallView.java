package org.tollguard.calls;

import java.time.Duration;
import java.time.Instant;

/** A live call as operators see it; {@code durationSeconds} counts from the answer to when it was asked. */
public record CallView(String callId, String account, String destination, String category, boolean highRisk,
                       boolean outgoing, String source, Instant started, Instant answered, long durationSeconds) {
    static CallView of(TrackedCall c, Instant now) {
        return new CallView(c.callId, c.account, c.destination,
                c.classification == null ? "unknown" : c.classification.category().id(),
                c.classification != null && c.classification.highRisk(), c.isOutgoing(),
                c.source == null ? null : org.tollguard.net.IpAddresses.format(c.source), c.started, c.answered,
                c.answered == null ? 0 : Duration.between(c.answered, now).toSeconds());
    }

    /** The same call, its duration counted up to {@code now}. */
    CallView asOf(Instant now) {
        long seconds = answered == null ? 0 : Math.max(0, Duration.between(answered, now).toSeconds());
        return new CallView(callId, account, destination, category, highRisk, outgoing, source, started, answered, seconds);
    }
}
