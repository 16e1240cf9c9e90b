package org.tollguard.decision;

import java.time.Instant;

/**
 * Where a decision stands in the world.
 *
 * @param attempts how many times it was applied since it last held (0 once it holds)
 * @param error    why the last attempt failed; null unless {@code FAILED}
 * @param since    when it entered this state
 */
public record Enforcement(State state, int attempts, String error, Instant since) {

    public enum State {
        /** Handed to its enforcers, not yet confirmed. */
        PENDING,
        /** Every enforcer confirmed it. */
        HELD,
        /** An enforcer failed; it is being retried. */
        FAILED,
        /** Nothing enforces this kind here (e.g. no PBX connected for a hang-up): recorded only. */
        UNENFORCED;

        public String id() {
            return name().toLowerCase();
        }
    }

    static Enforcement pending(Instant at) {
        return new Enforcement(State.PENDING, 0, null, at);
    }

    public boolean failed() {
        return state == State.FAILED;
    }
}
