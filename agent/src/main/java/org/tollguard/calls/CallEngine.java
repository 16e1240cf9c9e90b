package org.tollguard.calls;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.CallLimits;
import org.tollguard.config.CallsConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Enforcer;
import org.tollguard.decision.DecisionSink;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.engine.EngineThread;
import org.tollguard.net.IpAddresses;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthOutcome;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.LiveCallsSnapshot;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.pbx.PbxEventListener;
import org.tollguard.pbx.PreDialAnswer;
import org.tollguard.pbx.PreDialCheck;
import org.tollguard.pbx.PreDialRequest;

/**
 * The live call table and the call policy in force: answers pre-dial checks, and as a backstop hangs up calls
 * that should not be running (blocked destination or account, over a cap, past their duration). All state is
 * confined to the engine's own thread: events, checks and ticks are queued to it.
 */
public final class CallEngine implements PbxEventListener, PreDialCheck, Enforcer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallEngine.class);
    /** How long the backstop waits for the pre-dial check before judging a new call itself. */
    static final Duration PRE_DIAL_GRACE = Duration.ofMillis(400);

    private final CallsConfig config;
    private final CallPolicy policy;
    private final NumberClassifier classifier;
    private final Clock clock;
    private final DecisionSink decisions;
    private final String pbx;
    private final Map<String, TrackedCall> calls = new LinkedHashMap<>();
    private final Map<String, ArrayDeque<Instant>> recentStarts = new HashMap<>();
    private final Set<String> blockedAccounts = new HashSet<>();
    private final EngineThread thread = new EngineThread("call-engine", 65_536);
    private volatile List<CallView> view = List.of();
    private volatile Set<String> blockedView = Set.of();

    public CallEngine(CallsConfig config, NumberClassifier classifier, Clock clock, DecisionSink decisions,
                      Set<String> blockedAtStart) {
        this(config, classifier, clock, decisions, blockedAtStart, "");
    }

    /**
     * @param blockedAtStart accounts to treat as blocked before the ledger re-applies its blocks (tests)
     * @param pbx            the PBX whose calls these are, as hang-up targets name it; "" for any
     */
    public CallEngine(CallsConfig config, NumberClassifier classifier, Clock clock, DecisionSink decisions,
                      Set<String> blockedAtStart, String pbx) {
        this.config = config;
        this.pbx = pbx;
        this.policy = new CallPolicy(config);
        this.classifier = classifier;
        this.clock = clock;
        this.decisions = decisions;
        this.blockedAccounts.addAll(blockedAtStart);
        this.blockedView = Set.copyOf(blockedAtStart);
        thread.every(Duration.ofMillis(100), this::tick);
    }

    public CallPolicy policy() {
        return policy;
    }

    // ---------------------------------------------------------------- inputs (any thread)

    @Override
    public void onEvent(PbxEvent event) {
        if (event instanceof CallStarted s) {
            enqueue(() -> started(s));
        } else if (event instanceof CallAnswered a) {
            enqueue(() -> answered(a));
        } else if (event instanceof CallEnded e) {
            enqueue(() -> ended(e));
        } else if (event instanceof LiveCallsSnapshot snapshot) {
            enqueue(() -> resync(snapshot));
        } else if (event instanceof AuthEvent auth && auth.outcome() == AuthOutcome.SUCCEEDED) {
            enqueue(() -> loggedIn(auth));
        }
    }

    // ---------------------------------------------------------------- the account-block enforcer

    @Override
    public boolean handles(Decision decision) {
        return decision.kind() == DecisionKind.BLOCK_ACCOUNT && decision.target() instanceof Target.Account;
    }

    /** Holds once the engine refuses the account's new calls and has asked to hang up its live ones. */
    @Override
    public CompletionStage<Void> apply(Decision decision) {
        String account = decision.target().text();
        return onEngine(() -> block(account, decision.reason()));
    }

    @Override
    public CompletionStage<Void> lift(Decision decision) {
        String account = decision.target().text();
        return onEngine(() -> {
            blockedAccounts.remove(account);
            publish();
        });
    }

    private CompletionStage<Void> onEngine(Runnable work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!thread.submit(() -> {
            work.run();
            done.complete(null);
        })) {
            done.completeExceptionally(new IllegalStateException("call engine queue full"));
        }
        return done;
    }

    /** Runs on the pre-dial server's thread; the decision itself is taken on the engine thread. */
    @Override
    public PreDialAnswer check(PreDialRequest request) {
        AtomicBoolean gaveUp = new AtomicBoolean();
        try {
            return thread.call(() -> preDial(request, gaveUp.get()), config.preDial().timeout());
        } catch (TimeoutException e) {
            gaveUp.set(true);
            log.warn("pre-dial check timed out, call allowed call={} account={} destination={}", request.callId(),
                    request.account(), request.destination());
            return PreDialAnswer.allow("agent busy: allowed (backstop still applies)");
        } catch (RuntimeException e) {
            log.error("pre-dial check failed call={} error=\"{}\"", request.callId(), e.toString());
            return PreDialAnswer.allow("check failed: allowed (backstop still applies)");
        }
    }

    /** Calls in progress, newest last (safe from any thread). */
    public List<CallView> calls() {
        Instant now = clock.instant();
        return view.stream().map(v -> v.asOf(now)).toList();
    }

    public boolean isBlocked(String account) {
        return blockedView.contains(account);
    }

    /** Waits until everything queued so far is handled. */
    public void drain() {
        thread.drain();
    }

    private void enqueue(Runnable work) {
        thread.submit(work);
    }

    // ---------------------------------------------------------------- engine thread

    private TrackedCall track(String callId, String account, String caller, String destination, InetAddress source,
                              Instant started) {
        TrackedCall c = calls.computeIfAbsent(callId, TrackedCall::new);
        if (c.started == null) {
            c.started = started;
        }
        if (!account.isEmpty()) {
            c.account = account;
        }
        c.caller = caller;
        if (!destination.isEmpty() && (c.destination == null || !c.checked)) {
            c.destination = destination;
            c.classification = classifier.classify(destination);
        }
        if (source != null) {
            c.source = source;
        }
        if (c.account == null) {
            c.account = "";
        }
        return c;
    }

    private void started(CallStarted s) {
        TrackedCall c = track(s.callId(), s.account(), s.caller(), s.destination(), s.source(), s.at());
        log.debug("call started call={} account={} destination={} category={}", c.callId, c.account, c.destination,
                c.classification == null ? "-" : c.classification.category().id());
        publish();
    }

    private void answered(CallAnswered a) {
        TrackedCall c = calls.get(a.callId());
        if (c != null && c.answered == null) {
            c.answered = a.at();
            publish();
        }
    }

    private void ended(CallEnded e) {
        if (calls.remove(e.callId()) != null) {
            publish();
        }
    }

    private void resync(LiveCallsSnapshot snapshot) {
        Map<String, TrackedCall> old = new HashMap<>(calls);
        calls.clear();
        for (LiveCall live : snapshot.calls()) {
            TrackedCall c = track(live.callId(), live.account(), live.caller(), live.destination(), live.source(),
                    live.started());
            TrackedCall before = old.get(live.callId());
            c.checked = before != null && before.checked;
            c.judged = before != null && before.judged;
            c.hangingUp = before != null && before.hangingUp;
            c.answered = before != null && before.answered != null ? before.answered : live.answered();
        }
        log.info("live calls resynchronised count={}", calls.size());
        publish();
    }

    /**
     * The pre-dial check. {@code late}: its caller stopped waiting and the PBX let the call go ahead (fail open), so
     * it is the backstop's to judge: the call stays unchecked and is hung up if forbidden.
     */
    private PreDialAnswer preDial(PreDialRequest r, boolean late) {
        Instant now = clock.instant();
        TrackedCall c = track(r.callId(), r.account(), r.caller(), r.destination(), r.source(), now);
        if (late) {
            log.info("pre-dial check came too late, the backstop judges the call call={} account={}", c.callId, c.account);
            return PreDialAnswer.allow("late");
        }
        c.checked = true;
        Optional<Violation> v = violation(c, now);
        if (v.isPresent()) {
            c.hangingUp = true; // the dialplan hangs it up
            record(DecisionKind.REFUSE_CALL, c, v.get());
            publish();
            return PreDialAnswer.deny(v.get().reason(), v.get().cause());
        }
        noteStart(c, now);
        publish();
        return PreDialAnswer.allow(c.isEmergency() ? "emergency" : "allowed");
    }

    /** What forbids this call now, checking everything a new call must pass. */
    private Optional<Violation> violation(TrackedCall c, Instant now) {
        if (c.isEmergency()) {
            return Optional.empty();
        }
        if (blockedAccounts.contains(c.account)) {
            return Optional.of(new Violation("blocked-account", "account " + c.account + " is blocked", Violation.CALL_REJECTED));
        }
        Optional<Violation> v = policy.destination(c.account, c.classification);
        if (v.isPresent()) {
            return v;
        }
        v = policy.source(c.account, c.source);
        if (v.isPresent()) {
            return v;
        }
        v = unknownSource(c);
        if (v.isPresent()) {
            return v;
        }
        CallLimits limits = policy.limitsFor(c.account);
        List<TrackedCall> before = calls.values().stream().filter(o -> o != c && o.counts() && startedBefore(o, c)).toList();
        long mine = before.stream().filter(o -> o.account.equals(c.account)).count();
        if (limits.maxConcurrent() > 0 && mine >= limits.maxConcurrent()) {
            return Optional.of(new Violation("max-concurrent", c.account + " already has " + mine
                    + " outgoing calls (max " + limits.maxConcurrent() + ")", Violation.NO_CIRCUIT));
        }
        long all = before.size();
        if (policy.pbxMaxConcurrent() > 0 && all >= policy.pbxMaxConcurrent()) {
            return Optional.of(new Violation("pbx-max-concurrent", "the PBX already has " + all
                    + " outgoing calls (max " + policy.pbxMaxConcurrent() + ")", Violation.NO_CIRCUIT));
        }
        if (limits.maxCallsPerMinute() > 0) {
            ArrayDeque<Instant> starts = recentStarts.get(c.account);
            int n = starts == null ? 0 : (int) starts.stream().filter(t -> t.isAfter(now.minusSeconds(60))).count();
            if (n >= limits.maxCallsPerMinute()) {
                return Optional.of(new Violation("max-calls-per-minute", c.account + " started " + n
                        + " calls in the last minute (max " + limits.maxCallsPerMinute() + ")", Violation.NO_CIRCUIT));
            }
        }
        return Optional.empty();
    }

    /**
     * Caps count the calls that were there first: a call found at resync or judged by the backstop after its grace
     * is not cut for a call that started after it.
     */
    private static boolean startedBefore(TrackedCall o, TrackedCall c) {
        return o.checked || o.judged || !o.started.isAfter(c.started);
    }

    /** An account restricted to networks calls from an address the PBX did not give: as configured. */
    private Optional<Violation> unknownSource(TrackedCall c) {
        if (!policy.sourceUnknownButRestricted(c.account, c.source)) {
            return Optional.empty();
        }
        String reason = "call of " + c.account + " to " + c.destination + " from an unknown address (allowed: "
                + policy.limitsFor(c.account).allowedNetworks() + ")";
        switch (config.onUnknownSource()) {
            case REFUSE -> {
                return Optional.of(new Violation("unknown-source", reason, Violation.CALL_REJECTED));
            }
            case ALERT -> {
                if (!c.sourceAlerted) {
                    c.sourceAlerted = true;
                    record(DecisionKind.ALERT, c, new Violation("unknown-source", reason, Violation.CALL_REJECTED));
                }
            }
            case ALLOW -> { }
        }
        return Optional.empty();
    }

    private void noteStart(TrackedCall c, Instant now) {
        ArrayDeque<Instant> starts = recentStarts.computeIfAbsent(c.account, a -> new ArrayDeque<>());
        starts.addLast(now);
        while (!starts.isEmpty() && starts.peekFirst().isBefore(now.minusSeconds(60))) {
            starts.pollFirst();
        }
    }

    private void tick() {
        Instant now = clock.instant();
        for (TrackedCall c : new ArrayList<>(calls.values())) {
            if (c.hangingUp || !c.isOutgoing() || c.isEmergency()) {
                continue;
            }
            if (!c.checked && !c.judged && !c.started.plus(PRE_DIAL_GRACE).isAfter(now)) {
                c.judged = true;
                Optional<Violation> v = violation(c, now);
                if (v.isPresent()) {
                    hangUp(c, v.get());
                    continue;
                }
                noteStart(c, now);
            }
            Duration max = policy.limitsFor(c.account).maxDuration();
            if (c.answered != null && !max.isZero() && Duration.between(c.answered, now).compareTo(max) >= 0) {
                hangUp(c, new Violation("max-duration", "call of " + c.account + " to " + c.destination
                        + " reached the maximum duration of " + org.tollguard.yamlconfig.Durations.format(max),
                        Violation.NORMAL_CLEARING));
            }
        }
        recentStarts.values().removeIf(q -> q.isEmpty() || q.peekLast().isBefore(now.minusSeconds(60)));
    }

    private void hangUp(TrackedCall c, Violation v) {
        c.hangingUp = true;
        record(DecisionKind.HANGUP_CALL, c, v);
        publish();
    }

    private void block(String account, String reason) {
        blockedAccounts.add(account);
        for (TrackedCall c : new ArrayList<>(calls.values())) {
            if (c.account.equals(account) && !c.isEmergency() && !c.hangingUp) {
                hangUp(c, new Violation("blocked-account", "account " + account + " was blocked: " + reason,
                        Violation.CALL_REJECTED));
            }
        }
        publish();
    }

    private void loggedIn(AuthEvent auth) {
        Optional<Violation> v = policy.source(auth.account(), auth.address());
        if (v.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        String address = IpAddresses.format(auth.address());
        Map<String, Object> evidence = Map.of("account", auth.account(), "address", address, "service", auth.service(),
                "allowed-networks", String.valueOf(policy.limitsFor(auth.account()).allowedNetworks()));
        String reason = "successful login of " + auth.account() + " from a foreign network " + address;
        switch (config.onForeignNetwork()) {
            case ALERT -> decisions.take(Decision.of(DecisionKind.ALERT, new Target.Account(auth.account()), reason,
                    evidence, Origin.LOCAL, now, null));
            case BAN_ADDRESS -> decisions.take(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.of(auth.address()),
                    reason, evidence, Origin.LOCAL, now, Duration.ofDays(1)));
            case BLOCK_ACCOUNT -> decisions.take(Decision.of(DecisionKind.BLOCK_ACCOUNT, new Target.Account(auth.account()),
                    reason, evidence, Origin.LOCAL, now, null));
        }
    }

    private void record(DecisionKind kind, TrackedCall c, Violation v) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("destination", c.destination == null ? "" : c.destination);
        evidence.put("category", c.classification == null ? "unknown" : c.classification.category().id());
        evidence.put("high-risk", c.classification != null && c.classification.highRisk());
        evidence.put("rule", v.rule());
        if (c.source != null) {
            evidence.put("source", IpAddresses.format(c.source));
        }
        decisions.take(Decision.of(kind, new Target.Call(pbx, c.callId, c.account, v.cause()), v.reason(), evidence,
                Origin.LOCAL, clock.instant(), null));
    }

    private void publish() {
        Instant now = clock.instant();
        List<CallView> v = new ArrayList<>(calls.size());
        for (TrackedCall c : calls.values()) {
            v.add(CallView.of(c, now));
        }
        view = List.copyOf(v);
        blockedView = Set.copyOf(blockedAccounts);
    }

    @Override
    public void close() {
        thread.close();
    }
}
