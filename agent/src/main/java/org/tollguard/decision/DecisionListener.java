package org.tollguard.decision;

/** Told about every decision once it is enforced and stored (alerts, metrics, the report outbox). Must not block. */
@FunctionalInterface
public interface DecisionListener {
    void onDecision(Decision decision);
}
