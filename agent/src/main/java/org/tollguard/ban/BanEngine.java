package org.tollguard.ban;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.BanConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.engine.EngineThread;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthOutcome;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.pbx.PbxEventListener;

/**
 * Counts authentication failures per address over sliding windows and bans the addresses that cross a
 * threshold. All state is confined to the engine's own thread; callers only enqueue.
 */
public final class BanEngine implements PbxEventListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BanEngine.class);
    /** Evidence label of a challenge nobody answered (PBX-neutral). */
    static final String UNANSWERED_CHALLENGE = "challenge-unanswered";

    private final BanConfig config;
    private final Clock clock;
    private final Decisions decisions;
    private final NeverBan neverBan;
    private final TrustedAddresses trusted;
    private final Escalation escalation;
    private final AddressTable table;
    private final int maxFailuresKept;
    private final long graceMillis;
    private final EngineThread thread = new EngineThread("ban-engine", 65_536);
    private final AtomicLong processed = new AtomicLong();

    public BanEngine(BanConfig config, Clock clock, Decisions decisions, NeverBan neverBan,
                     org.tollguard.store.TrustRepository trust) {
        this.config = config;
        this.clock = clock;
        this.decisions = decisions;
        this.neverBan = neverBan;
        this.trusted = new TrustedAddresses(trust, config.trustAfterSuccess(), clock.instant());
        this.escalation = new Escalation(config);
        this.maxFailuresKept = config.windows().stream().mapToInt(BanConfig.Window::failures).max().orElse(1);
        long longestWindow = config.windows().stream().map(BanConfig.Window::window).max(Duration::compareTo)
                .orElseThrow().plus(config.enumeration().window()).toMillis();
        this.table = new AddressTable(config.maxTrackedAddresses(), longestWindow);
        this.graceMillis = config.challengeGrace().toMillis();
        thread.every(Duration.ofSeconds(1), this::tick);
    }

    /** Called on the adapter's thread: never blocks. */
    @Override
    public void onEvent(PbxEvent event) {
        if (event instanceof AuthEvent auth) {
            enqueue(() -> handle(auth));
        }
    }

    /** Forgets what the address did (after an operator unban), so it starts from a clean slate. */
    public void forget(InetAddress address) {
        enqueue(() -> table.remove(address));
    }

    public long droppedEvents() {
        return thread.dropped();
    }

    /** Addresses with state in memory now (read from the engine thread, or after {@link #drain()}). */
    public int trackedAddresses() {
        return table.size();
    }

    public long processedEvents() {
        return processed.get();
    }

    /** Waits until everything queued so far has been handled (tests, benchmarks, shutdown). */
    public void drain() {
        thread.drain();
    }

    private void enqueue(Runnable work) {
        thread.submit(work);
    }

    void handle(AuthEvent e) {
        processed.incrementAndGet();
        long now = e.at().toEpochMilli();
        InetAddress address = e.address();
        if (e.pbxAddress() != null && !e.pbxAddress().isAnyLocalAddress()) {
            neverBan.addPbxAddress(e.pbxAddress());
        }
        if (e.outcome() == AuthOutcome.NOTICE) {
            log.info("pbx notice type={} address={} service={}", e.type(), IpAddresses.format(address), e.service());
            return;
        }
        if (e.outcome() == AuthOutcome.SUCCEEDED) {
            trusted.recordSuccess(address, e.account(), now);
            AddressRecord r = table.get(address);
            if (r != null) {
                r.answerChallenge();
            }
            return;
        }
        AddressRecord r = table.getOrCreate(address, now, maxFailuresKept);
        if (r.bannedUntil > now) {
            r.lastSeen = Math.max(r.lastSeen, now);
            return; // requests that were on their way before the kernel entry landed
        }
        r.noteContext(e.service(), e.transport(), e.userAgent());
        convertUnanswered(r, now);
        if (e.outcome() == AuthOutcome.CHALLENGED) {
            r.lastSeen = Math.max(r.lastSeen, now);
            if (r.addPendingChallenge(now, e.account())) {
                return;
            }
            r.addFailure(UNANSWERED_CHALLENGE, e.account(), now);
        } else {
            r.answerChallenge();
            r.addFailure(e.kind().id(), e.account(), now);
        }
        evaluate(r, now);
    }

    private void convertUnanswered(AddressRecord r, long now) {
        AddressRecord.PendingChallenge sent;
        boolean converted = false;
        while ((sent = r.takeUnansweredBefore(now - graceMillis)) != null) {
            r.addFailure(UNANSWERED_CHALLENGE, sent.account(), Math.max(sent.at(), r.lastFailure()));
            converted = true;
        }
        if (converted) {
            evaluate(r, now);
        }
    }

    private void tick() {
        long now = clock.millis();
        List<AddressRecord> pending = new ArrayList<>();
        for (AddressRecord r : table.all()) {
            if (r.hasPendingChallenges()) {
                pending.add(r);
            }
        }
        for (AddressRecord r : pending) {
            if (table.get(r.address) == r) {
                convertUnanswered(r, now);
            }
        }
        table.expire(now);
        trusted.expire(now);
    }

    private void evaluate(AddressRecord r, long now) {
        Optional<String> crossed = crossedRule(r, now);
        if (crossed.isEmpty()) {
            return;
        }
        Instant at = Instant.ofEpochMilli(now);
        Map<String, Object> evidence = evidence(r, crossed.get());
        Target target = Target.Address.of(r.address);
        Optional<String> protectedWhy = neverBan.whyProtected(r.address);
        if (protectedWhy.isPresent() || trusted.isTrusted(r.address, now)) {
            String why = protectedWhy.orElse("authenticated successfully within "
                    + org.tollguard.yamlconfig.Durations.format(config.trustAfterSuccess()));
            evidence.put("not-banned-because", why);
            decisions.take(Decision.of(DecisionKind.ALERT, target,
                    "failures from a protected address (" + why + "): " + crossed.get(), evidence, Origin.LOCAL, at, null));
            r.clearFailures();
            return;
        }
        int previous = decisions.localBans(target.text());
        Duration duration = escalation.durationAfter(previous);
        evidence.put("previous-bans", previous);
        decisions.take(Decision.of(DecisionKind.BAN_ADDRESS, target, crossed.get(), evidence, Origin.LOCAL, at, duration));
        r.clearFailures();
        r.bannedUntil = duration == null ? Long.MAX_VALUE : now + duration.toMillis();
    }

    private Optional<String> crossedRule(AddressRecord r, long now) {
        for (BanConfig.Window w : config.windows()) {
            int n = r.failuresSince(now - w.window().toMillis());
            if (n >= w.failures()) {
                return Optional.of(w.name() + ": " + n + " failures within " + org.tollguard.yamlconfig.Durations.format(w.window()));
            }
        }
        BanConfig.Enumeration en = config.enumeration();
        if (en.accounts() > 0) {
            int n = r.accountsSince(now - en.window().toMillis());
            if (n >= en.accounts()) {
                return Optional.of("enumeration: " + n + " account names within " + org.tollguard.yamlconfig.Durations.format(en.window()));
            }
        }
        return Optional.empty();
    }

    private static Map<String, Object> evidence(AddressRecord r, String rule) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("rule", rule);
        ev.put("counts", new LinkedHashMap<>(r.countsByType()));
        List<String> accounts = new ArrayList<>();
        r.accounts().forEach(accounts::add);
        ev.put("accounts", accounts);
        ev.put("first-seen", Instant.ofEpochMilli(r.firstSeen).toString());
        ev.put("last-seen", Instant.ofEpochMilli(r.lastSeen).toString());
        ev.putAll(r.context());
        return ev;
    }

    @Override
    public void close() {
        thread.close();
    }
}
