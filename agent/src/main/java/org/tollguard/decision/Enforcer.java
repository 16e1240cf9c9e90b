package org.tollguard.decision;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Applies decisions of some kinds to the world (kernel firewall, PBX) and lifts them. Both return at once: the
 * stage completes when the decision holds (or is gone), exceptionally when it did not take; the ledger then
 * records it as failed and tries again.
 */
public interface Enforcer {
    boolean handles(Decision decision);

    CompletionStage<Void> apply(Decision decision);

    CompletionStage<Void> lift(Decision decision);

    /**
     * How often a decision that holds must be applied again because the world forgets it sooner than the decision
     * expires (a kernel entry timeout is capped); null if it never must.
     */
    default Duration renewEvery() {
        return null;
    }

    static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    static CompletionStage<Void> failed(Throwable error) {
        return CompletableFuture.failedFuture(error);
    }
}
