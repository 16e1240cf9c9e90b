package org.tollguard.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One action the agent takes, with why it took it. Enforcers apply decisions; the CLI, alerts, reporter and
 * metrics read them.
 *
 * @param id       the ledger's id (also the store's), 0 until the ledger took it
 * @param evidence what was seen (counts, account names, first/last seen...), reported and shown as is; what the
 *                 enforcers need is in the typed {@code target}
 * @param expires  null for a permanent decision
 * @param lifted   null while not lifted by an operator or the agent
 */
public record Decision(
        long id,
        DecisionKind kind,
        Target target,
        String reason,
        Map<String, Object> evidence,
        Origin origin,
        Instant created,
        Instant expires,
        Instant lifted,
        String liftedBy,
        String liftReason) {

    public Decision {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(created, "created");
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }

    /** A new, not yet stored decision; {@code duration} null means permanent. */
    public static Decision of(DecisionKind kind, Target target, String reason, Map<String, Object> evidence,
                              Origin origin, Instant now, Duration duration) {
        return new Decision(0, kind, target, reason, evidence, origin, now,
                duration == null ? null : now.plus(duration), null, null, null);
    }

    public boolean isActive(Instant now) {
        return lifted == null && (expires == null || expires.isAfter(now));
    }

    /** Time left at {@code now}; null if permanent. */
    public Duration remaining(Instant now) {
        return expires == null ? null : Duration.between(now, expires).isNegative() ? Duration.ZERO : Duration.between(now, expires);
    }

    public Decision withId(long newId) {
        return new Decision(newId, kind, target, reason, evidence, origin, created, expires, lifted, liftedBy, liftReason);
    }

    public Decision liftedAt(Instant at, String by, String why) {
        return new Decision(id, kind, target, reason, evidence, origin, created, expires, at, by, why);
    }
}
