package org.tollguard.decision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision ledger: every decision goes through here. {@link #take} enforces first (a ban must reach the
 * kernel in milliseconds), holds the decision in memory while it lasts, hands it to the journal (the store, on
 * its own thread) and tells the listeners. An enforcement that fails is recorded as failed, announced, and tried
 * again with back-off until it holds, expires or is lifted. Expiry and lifting go through the same enforcers;
 * at start-up every decision still in force is applied again the same way.
 */
public final class Decisions implements DecisionSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Decisions.class);
    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);
    private static final Duration LIFT_WAIT = Duration.ofSeconds(10);

    private final Clock clock;
    private final DecisionJournal journal;
    private final Ledger ledger = new Ledger();
    private final AtomicLong lastId;
    private final Duration retryBase;
    private final List<Enforcer> enforcers = new CopyOnWriteArrayList<>();
    private final List<DecisionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<DecisionListener> journaledListeners = new CopyOnWriteArrayList<>();
    private final List<EnforcementListener> enforcementListeners = new CopyOnWriteArrayList<>();
    private final JournalWriter writer;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "decision-timer");
        t.setDaemon(true);
        return t;
    });

    public Decisions(DecisionJournal journal, Clock clock) {
        this(journal, clock, Duration.ofSeconds(1));
    }

    /** @param retryBase the first retry delay after a failed enforcement; it doubles up to a minute */
    public Decisions(DecisionJournal journal, Clock clock, Duration retryBase) {
        this.clock = clock;
        this.journal = journal;
        this.retryBase = retryBase;
        this.lastId = new AtomicLong(journal.lastId());
        ledger.loadHistory(journal.localBanCounts(), journal.recent(1000));
        this.writer = new JournalWriter(journal, journaledListeners);
        timer.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::renew, 1, 1, TimeUnit.MINUTES);
    }

    public void addEnforcer(Enforcer enforcer) {
        enforcers.add(enforcer);
    }

    /** Told at once about every new decision, on the deciding thread: must not block. */
    public void addListener(DecisionListener listener) {
        listeners.add(listener);
    }

    /** Told about every new decision once it is in the journal, on the journal's thread (may use the store). */
    public void addJournaledListener(DecisionListener listener) {
        journaledListeners.add(listener);
    }

    public void addEnforcementListener(EnforcementListener listener) {
        enforcementListeners.add(listener);
    }

    @Override
    public Decision take(Decision decision) {
        Instant now = clock.instant();
        Decision d = decision.withId(lastId.incrementAndGet());
        List<Enforcer> mine = enforcersOf(d);
        ledger.add(d, d.kind().lasting() || !mine.isEmpty(), now, true);
        enforce(d, mine);
        if (!enforcementListeners.isEmpty()) {
            Instant enforcedAt = clock.instant();
            for (EnforcementListener l : enforcementListeners) {
                try {
                    l.enforced(d, enforcedAt);
                } catch (RuntimeException e) {
                    log.warn("enforcement listener failed error=\"{}\"", e.getMessage());
                }
            }
        }
        writer.append(d);
        log.info("decision id={} kind={} target={} origin={} reason=\"{}\" expires={} evidence={}", d.id(), d.kind().id(),
                d.target().text(), d.origin().id(), d.reason(), d.expires() == null ? "never" : d.expires(), d.evidence());
        for (DecisionListener l : listeners) {
            try {
                l.onDecision(d);
            } catch (RuntimeException e) {
                log.warn("decision listener failed listener={} error=\"{}\"", l.getClass().getSimpleName(), e.getMessage());
            }
        }
        return d;
    }

    /**
     * Applies every decision the journal holds in force again (after a restart the kernel and the call engine
     * know nothing), through the same enforcers as a new one; returns how many.
     */
    public int restore() {
        Instant now = clock.instant();
        List<Decision> active = journal.activeLasting(now);
        for (Decision d : active) {
            ledger.add(d, true, now, false);
            enforce(d, enforcersOf(d));
        }
        log.info("decisions restored count={}", active.size());
        return active.size();
    }

    /** Applies every decision of {@code kind} in the ledger again (the world lost them); returns how many. */
    public int reapply(DecisionKind kind) {
        List<ActiveDecision> active = ledger.active(kind);
        for (ActiveDecision a : active) {
            enforce(a.decision(), enforcersOf(a.decision()));
        }
        log.info("decisions re-applied kind={} count={}", kind.id(), active.size());
        return active.size();
    }

    /**
     * Lifts every active decision of {@code kind} on {@code target} through its enforcers and records who and
     * why; returns how many were lifted. With none in the ledger, the enforcers are still asked to lift (a
     * kernel entry left from before). Throws if an enforcer could not lift: the operator must know.
     */
    public int lift(DecisionKind kind, String target, String by, String reason) {
        Instant now = clock.instant();
        List<Decision> active = ledger.activeFor(kind, target);
        List<String> errors = new ArrayList<>();
        if (active.isEmpty()) {
            Decision placeholder = Decision.of(kind, ledgerTargetFor(kind, target), "lift", null, Origin.OPERATOR, now, null);
            errors.addAll(liftThrough(placeholder));
        }
        for (Decision d : active) {
            if (ledger.remove(d.id())) {
                errors.addAll(liftThrough(d));
                writer.lifted(d.liftedAt(now, by, reason));
            }
        }
        log.info("decision lifted kind={} target={} by={} reason=\"{}\" count={}", kind.id(), target, by, reason,
                active.size());
        if (!errors.isEmpty()) {
            throw new IllegalStateException("lifted in the ledger, but not in the world: " + String.join("; ", errors));
        }
        return active.size();
    }

    private static Target ledgerTargetFor(DecisionKind kind, String target) {
        return kind == DecisionKind.BAN_ADDRESS ? Target.Address.parse(target) : new Target.Account(target);
    }

    // ---------------------------------------------------------------- the ledger's views

    /** Decisions of {@code kind} in force (or, for hang-ups, not yet done), oldest first, with their state. */
    public List<ActiveDecision> active(DecisionKind kind) {
        return ledger.active(kind);
    }

    /** The decision with this id while the ledger holds it, with where its enforcement stands; null after. */
    public ActiveDecision get(long id) {
        return ledger.get(id);
    }

    /** How many decisions of {@code kind} are in force, by origin (origins with none left out). */
    public Map<Origin, Integer> activeCounts(DecisionKind kind) {
        return ledger.counts(kind);
    }

    /** Decisions whose enforcement failed and is being retried, by kind (kinds with none left out). */
    public Map<DecisionKind, Integer> failedCounts() {
        return ledger.failedCounts();
    }

    /** How many local bans {@code address} ever had (the ban engine's escalation). */
    public int localBans(String address) {
        return ledger.localBans(address);
    }

    /** The newest decisions of any kind, newest first. */
    public List<Decision> recent(int limit) {
        return ledger.recent(limit);
    }

    /** Decisions whose journal write failed since start. */
    public long journalFailures() {
        return writer.failures();
    }

    /** Waits until every decision taken so far is in the journal (tests, shutdown). */
    public void flush() {
        writer.flush();
    }

    // ---------------------------------------------------------------- enforcement

    private List<Enforcer> enforcersOf(Decision d) {
        List<Enforcer> mine = new ArrayList<>(1);
        for (Enforcer e : enforcers) {
            if (e.handles(d)) {
                mine.add(e);
            }
        }
        return mine;
    }

    private void enforce(Decision d, List<Enforcer> mine) {
        Instant appliedAt = clock.instant();
        if (mine.isEmpty()) {
            if (d.kind().lasting()) {
                ledger.update(d, new Enforcement(Enforcement.State.UNENFORCED, 0, null, appliedAt), appliedAt);
            }
            return;
        }
        CompletableFuture<?>[] stages = new CompletableFuture<?>[mine.size()];
        for (int i = 0; i < stages.length; i++) {
            Enforcer e = mine.get(i);
            CompletableFuture<Void> stage;
            try {
                stage = e.apply(d).toCompletableFuture();
            } catch (RuntimeException ex) {
                stage = CompletableFuture.failedFuture(ex);
            }
            stages[i] = stage.exceptionally(ex -> {
                throw new CompletionException(e.getClass().getSimpleName() + ": " + message(ex), ex);
            });
        }
        CompletableFuture.allOf(stages).whenComplete((ok, error) -> settle(d, error, appliedAt));
    }

    private void settle(Decision d, Throwable error, Instant appliedAt) {
        ActiveDecision current = ledger.get(d.id());
        if (current == null) {
            return; // lifted or expired meanwhile
        }
        Instant now = clock.instant();
        Enforcement before = current.enforcement();
        int attempts = before.attempts() + 1;
        if (error == null) {
            if (d.kind().lasting()) {
                ledger.update(d, new Enforcement(Enforcement.State.HELD, 0, null, now), appliedAt);
            } else {
                ledger.remove(d.id());
            }
            if (before.failed()) {
                log.warn("enforcement holds again id={} kind={} target={} attempts={}", d.id(), d.kind().id(),
                        d.target().text(), attempts);
                tell(l -> l.recovered(d, attempts));
            }
            return;
        }
        String why = message(error);
        ledger.update(d, new Enforcement(Enforcement.State.FAILED, attempts, why, before.failed() ? before.since() : now), null);
        Duration delay = retryDelay(attempts);
        log.error("enforcement failed id={} kind={} target={} attempts={} retry_in={} error=\"{}\"", d.id(),
                d.kind().id(), d.target().text(), attempts, delay, why);
        tell(l -> l.failed(d, why, attempts));
        try {
            timer.schedule(() -> retry(d.id()), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // stopping
        }
    }

    private Duration retryDelay(int attempts) {
        Duration d = retryBase;
        for (int i = 1; i < attempts && d.compareTo(MAX_RETRY_DELAY) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : d;
    }

    private void retry(long id) {
        ActiveDecision a = ledger.get(id);
        if (a == null || !a.enforcement().failed()) {
            return;
        }
        if (!a.decision().isActive(clock.instant())) {
            ledger.remove(id);
            return;
        }
        enforce(a.decision(), enforcersOf(a.decision()));
    }

    /** Lifts expired decisions through their enforcers (the kernel also expires its own entries). */
    private void expire() {
        try {
            for (Decision d : ledger.expired(clock.instant())) {
                if (ledger.remove(d.id())) {
                    List<String> errors = liftThrough(d);
                    log.info("decision expired id={} kind={} target={}{}", d.id(), d.kind().id(), d.target().text(),
                            errors.isEmpty() ? "" : " lift_errors=\"" + String.join("; ", errors) + "\"");
                }
            }
        } catch (RuntimeException e) {
            log.error("expiring decisions failed error=\"{}\"", e.toString());
        }
    }

    /** Applies again what an enforcer's world forgets before the decision ends (a capped kernel timeout). */
    private void renew() {
        try {
            Instant now = clock.instant();
            for (Enforcer e : enforcers) {
                Duration every = e.renewEvery();
                if (every == null) {
                    continue;
                }
                for (Decision d : ledger.appliedBefore(now.minus(every), e::handles)) {
                    log.info("decision renewed id={} kind={} target={}", d.id(), d.kind().id(), d.target().text());
                    enforce(d, List.of(e));
                }
            }
        } catch (RuntimeException e) {
            log.error("renewing decisions failed error=\"{}\"", e.toString());
        }
    }

    /** Runs the renewal check now (tests). */
    void renewNow() {
        renew();
    }

    private List<String> liftThrough(Decision d) {
        List<String> errors = new ArrayList<>();
        for (Enforcer e : enforcersOf(d)) {
            try {
                e.lift(d).toCompletableFuture().get(LIFT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | RuntimeException ex) {
                errors.add(e.getClass().getSimpleName() + ": " + message(ex));
            } catch (TimeoutException ex) {
                errors.add(e.getClass().getSimpleName() + ": no answer in " + LIFT_WAIT.toSeconds() + " s");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                errors.add(e.getClass().getSimpleName() + ": interrupted");
            }
        }
        for (String error : errors) {
            log.error("lift failed id={} kind={} target={} error=\"{}\"", d.id(), d.kind().id(), d.target().text(), error);
        }
        return errors;
    }

    private void tell(java.util.function.Consumer<EnforcementListener> call) {
        for (EnforcementListener l : enforcementListeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("enforcement listener failed error=\"{}\"", e.getMessage());
            }
        }
    }

    private static String message(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            if (c.getMessage() != null && !c.getMessage().equals(c.getCause().toString())) {
                return c.getMessage();
            }
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        writer.close();
    }
}
