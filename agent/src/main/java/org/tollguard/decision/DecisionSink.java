package org.tollguard.decision;

/** Where detectors and operators hand decisions to be enforced, stored and announced. */
@FunctionalInterface
public interface DecisionSink {
    /** Enforces, stores and announces {@code decision}; returns it as stored. */
    Decision take(Decision decision);
}
