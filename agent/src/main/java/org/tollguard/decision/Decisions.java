package org.tollguard.decision;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.StoreException;

/**
 * The decision pipeline: enforce first (a ban must reach the kernel in milliseconds), then store, then tell the
 * listeners. A failing store does not undo enforcement; a failing enforcer is logged and the decision still kept.
 */
public final class Decisions implements DecisionSink {
    private static final Logger log = LoggerFactory.getLogger(Decisions.class);

    private final DecisionRepository repository;
    private final Clock clock;
    private final List<Enforcer> enforcers = new CopyOnWriteArrayList<>();
    private final List<DecisionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<EnforcementListener> enforcementListeners = new CopyOnWriteArrayList<>();

    public Decisions(DecisionRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public void addEnforcer(Enforcer enforcer) {
        enforcers.add(enforcer);
    }

    public void addListener(DecisionListener listener) {
        listeners.add(listener);
    }

    public void addEnforcementListener(EnforcementListener listener) {
        enforcementListeners.add(listener);
    }

    public DecisionRepository repository() {
        return repository;
    }

    @Override
    public Decision take(Decision decision) {
        enforce(decision);
        if (!enforcementListeners.isEmpty()) {
            java.time.Instant enforcedAt = clock.instant();
            for (EnforcementListener l : enforcementListeners) {
                try {
                    l.enforced(decision, enforcedAt);
                } catch (RuntimeException e) {
                    log.warn("enforcement listener failed error=\"{}\"", e.getMessage());
                }
            }
        }
        Decision stored = decision;
        try {
            stored = repository.insert(decision);
        } catch (StoreException e) {
            log.error("decision not stored kind={} target={} error=\"{}\"", decision.kind().id(), decision.target(), e.getMessage());
        }
        log.info("decision kind={} target={} origin={} reason=\"{}\" expires={} evidence={}", stored.kind().id(),
                stored.target(), stored.origin().id(), stored.reason(), stored.expires() == null ? "never" : stored.expires(),
                stored.evidence());
        for (DecisionListener l : listeners) {
            try {
                l.onDecision(stored);
            } catch (RuntimeException e) {
                log.warn("decision listener failed listener={} error=\"{}\"", l.getClass().getSimpleName(), e.getMessage());
            }
        }
        return stored;
    }

    /** Applies a stored decision again (after a restart), without storing it anew. */
    public void reapply(Decision decision) {
        enforce(decision);
    }

    /** Lifts every active decision of {@code kind} on {@code target}; returns how many were lifted. */
    public int lift(DecisionKind kind, String target, String by, String reason) {
        List<Decision> active = repository.activeFor(kind, target, clock.instant());
        for (Enforcer e : enforcers) {
            if (e.handles(kind)) {
                for (Decision d : active.isEmpty() ? List.of(placeholder(kind, target)) : active) {
                    try {
                        e.lift(d);
                    } catch (Exception ex) {
                        log.error("lift failed kind={} target={} enforcer={} error=\"{}\"", kind.id(), target,
                                e.getClass().getSimpleName(), ex.getMessage());
                    }
                }
            }
        }
        int lifted = repository.lift(kind, target, clock.instant(), by, reason);
        log.info("decision lifted kind={} target={} by={} reason=\"{}\" count={}", kind.id(), target, by, reason, lifted);
        return lifted;
    }

    private Decision placeholder(DecisionKind kind, String target) {
        return Decision.of(kind, target, "lift", null, Origin.OPERATOR, clock.instant(), null);
    }

    private void enforce(Decision decision) {
        for (Enforcer e : enforcers) {
            if (e.handles(decision.kind())) {
                try {
                    e.apply(decision);
                } catch (Exception ex) {
                    log.error("enforcement failed kind={} target={} enforcer={} error=\"{}\"", decision.kind().id(),
                            decision.target(), e.getClass().getSimpleName(), ex.getMessage());
                }
            }
        }
    }
}
