package org.tollguard.spend;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.DecisionSink;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.engine.EngineThread;
import org.tollguard.numbers.Category;
import org.tollguard.numbers.Classification;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallRecord;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.LiveCallsSnapshot;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.pbx.PbxEventListener;

/**
 * The spend IDS. Keeps every outgoing call in progress with the rate it was answered at, stores every finished one
 * with its cost, and at least once a second compares each account's spend today (calls that ended today plus the
 * accrued cost of answered calls still in progress) with its threshold: baseline (average daily spend over the
 * window) plus delta. The first time in a day an account passes its threshold, it is blocked: a
 * {@link DecisionKind#BLOCK_ACCOUNT} decision, on which the call engine hangs up its calls and refuses new ones.
 *
 * <p>Only the monitored categories count (see {@link SpendFilter}). A call counts on the day it ends; a call in
 * progress counts in full (since its answer) on the current day, so a call that runs past midnight brings its whole
 * cost into the new day. Days begin at midnight in {@code ids.time-zone}, so they are 23 or 25 hours long when the
 * clocks change.
 *
 * <p>All state is confined to the engine's own thread: events, ticks and queries are queued to it.
 */
public final class SpendEngine implements PbxEventListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpendEngine.class);
    /** Spend at this share of the threshold shows as "near". */
    private static final BigDecimal NEAR = new BigDecimal("0.8");
    /** Finished calls remembered for the PBX's own call record, which may come a little after the end. */
    private static final int RECENT_ENDED = 4096;
    private static final int CUT_CALLS_IN_REASON = 5;

    private final IdsConfig config;
    private final ZoneId zone;
    private final SpendFilter filter;
    private final Map<String, String> groupOf;
    private final NumberClassifier classifier;
    private final Rates rates;
    private final CallHistory cdrs;
    private final SpendTrips trips;
    private final Clock clock;
    private final DecisionSink decisions;
    private final EngineThread thread = new EngineThread("spend-engine", 65_536);

    // ---- engine thread only
    private final Map<String, Live> live = new LinkedHashMap<>();
    private final Map<String, BigDecimal> finishedToday = new HashMap<>();
    /** Accounts an operator unblocked after a trip today: their spend then; the IDS trips again at it plus delta. */
    private final Map<String, BigDecimal> rearmedAt = new HashMap<>();
    private final Map<String, Baseline> baselines = new HashMap<>();
    private final Map<String, Instant> tripped = new HashMap<>();
    private final Map<String, Live> recentlyEnded = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Live> eldest) {
            return size() > RECENT_ENDED;
        }
    };
    private LocalDate today;
    private Instant todayStart;
    private Instant tomorrowStart;
    private boolean dirty = true;

    private volatile Set<String> accountsView = Set.of();
    private volatile TickStats lastTick;
    private volatile java.util.function.BiFunction<String, BigDecimal, BigDecimal> deltaLayer = (a, delta) -> delta;

    /**
     * @param groupOf  the group of each grouped account ({@code calls.groups}), for {@code ids.group-deltas}
     * @param autoTick tick every {@code ids.tick} and check the rate deck every {@code ids.rate-deck-check} on a
     *                 timer; false for tests that drive {@link #tickNow()} themselves
     */
    public SpendEngine(IdsConfig config, Map<String, String> groupOf, NumberClassifier classifier, Rates rates, CallHistory cdrs,
                       SpendTrips trips, Clock clock, DecisionSink decisions, boolean autoTick) {
        this.config = config;
        this.zone = config.zone();
        this.filter = SpendFilter.of(config.monitoredCategories());
        this.groupOf = Map.copyOf(groupOf);
        this.classifier = classifier;
        this.rates = rates;
        this.cdrs = cdrs;
        this.trips = trips;
        this.clock = clock;
        this.decisions = decisions;
        enqueue(() -> roll(clock.instant()));
        if (autoTick) {
            thread.every(config.tick(), () -> lastTick = tick());
            if (config.rateDeckCheck().toMillis() > 0 && config.rateDeck() != null) {
                thread.onTimer(config.rateDeckCheck(), rates::reloadIfChanged);
            }
        }
    }

    public Rates rates() {
        return rates;
    }

    public IdsConfig config() {
        return config;
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
        } else if (event instanceof CallRecord r) {
            enqueue(() -> recorded(r));
        } else if (event instanceof LiveCallsSnapshot snapshot) {
            enqueue(() -> resync(snapshot));
        }
    }

    /** One re-evaluation of every live call, now; completes with its figures once done on the engine thread. */
    public CompletableFuture<TickStats> tickNow() {
        CompletableFuture<TickStats> done = new CompletableFuture<>();
        enqueue(() -> done.complete(tick()));
        return done;
    }

    /**
     * An operator unblocked the account: the IDS re-arms at today's spend so far plus the account's delta, so a
     * second wave of fraud the same day is cut too.
     */
    public void accountUnblocked(String account) {
        enqueue(() -> {
            Instant now = clock.instant();
            roll(now);
            if (tripped.remove(account) != null) {
                BigDecimal spend = finishedToday.getOrDefault(account, Money.ZERO).add(liveSpendOf(account, now));
                rearmedAt.put(account, spend);
                log.info("spend ids re-armed after unblock account={} spend={} trips-again-above={}", account, spend,
                        thresholdOf(account, baseline(account)));
            }
        });
    }

    /** Baseline plus delta; after a re-arm, at least today's spend then plus delta. */
    private BigDecimal thresholdOf(String account, Baseline baseline) {
        BigDecimal delta = deltaFor(account);
        BigDecimal threshold = baseline.value().add(delta);
        BigDecimal rearmed = rearmedAt.get(account);
        return rearmed == null ? threshold : threshold.max(rearmed.add(delta));
    }

    /** The stored history changed behind the engine's back (import-cdr): re-read today's spend and baselines. */
    public void historyChanged() {
        enqueue(() -> {
            baselines.clear();
            loadToday();
        });
    }

    /** The account's spend today, threshold and status. */
    public SpendStatus status(String account) {
        return onEngine(() -> statusOf(account, clock.instant()));
    }

    /** Accounts with spend or calls today (safe from any thread). */
    public Set<String> accounts() {
        return accountsView;
    }

    /** The last timer tick's figures, null before the first. */
    public TickStats lastTick() {
        return lastTick;
    }

    /** Waits until everything queued so far is handled. */
    public void drain() {
        onEngine(() -> null);
    }

    private <T> T onEngine(Supplier<T> work) {
        try {
            return thread.call(work, Duration.ofSeconds(10));
        } catch (TimeoutException e) {
            throw new IllegalStateException("spend engine busy");
        }
    }

    private void enqueue(Runnable work) {
        thread.submit(work);
    }

    // ---------------------------------------------------------------- engine thread

    // Event handlers judge as of the event's time, not the time they get to it: the outcome does not depend on
    // how long an event waited in the queue.

    private void started(CallStarted s) {
        roll(s.at());
        if (live.containsKey(s.callId())) {
            return;
        }
        Classification c = classifier.classify(s.destination());
        if (!isOutgoing(c)) {
            return;
        }
        live.put(s.callId(), new Live(s.callId(), s.account(), s.destination(), c, filter.counts(c), s.at()));
        dirty = true;
    }

    private static boolean isOutgoing(Classification c) {
        return c.isPhoneNumber() && c.category() != Category.UNKNOWN;
    }

    private void answered(CallAnswered a) {
        Instant now = a.at();
        roll(now);
        Live c = live.get(a.callId());
        if (c == null || c.answered != null) {
            return;
        }
        c.answered = a.at();
        c.rate = rates.current().rateFor(c.classification);
        log.debug("call answered call={} account={} destination={} rate={} per-minute={} increments={}", c.callId,
                c.account, c.destination, c.rate.prefix(), c.rate.perMinute(), c.rate.increments());
        if (c.monitored) {
            evaluate(c.account, liveSpendOf(c.account, now), now);
        }
    }

    private void ended(CallEnded e) {
        Instant now = e.at();
        roll(now);
        Live c = live.remove(e.callId());
        if (c == null) {
            return;
        }
        dirty = true;
        c.ourBillable = e.billableSeconds() >= 0 ? e.billableSeconds()
                : c.answered == null ? 0 : seconds(c.answered, e.at());
        long billable = billable(c);
        finish(c, e.at(), billable, c.billedByPbx ? "cdr" : "live");
        recentlyEnded.put(c.callId, c);
        if (c.monitored) {
            evaluate(c.account, liveSpendOf(c.account, now), now);
        }
    }

    /**
     * The billable seconds of a finished call: the PBX's own count where its records account for the call, else
     * ours. Ours counts started seconds, the PBX's whole seconds, so the PBX's may be a second or two lower; if it
     * is lower still, its records do not cover the whole call (a record went missing) and ours stand: the IDS never
     * counts less than it saw.
     */
    private long billable(Live c) {
        c.billedByPbx = c.pbxBillable >= 0 && c.pbxBillable + 2 >= c.ourBillable;
        if (c.pbxBillable >= 0 && !c.billedByPbx) {
            log.warn("the PBX's records bill less than the call lasted, our count stands call={} pbx={}s ours={}s",
                    c.callId, c.pbxBillable, c.ourBillable);
        }
        return c.billedByPbx ? c.pbxBillable : c.ourBillable;
    }

    /** Stores the finished call and counts its cost today. */
    private void finish(Live c, Instant end, long billable, String origin) {
        c.ended = end;
        c.finalCost = costOf(c, billable);
        store(c, billable, origin, false);
        if (c.monitored && isToday(end)) {
            finishedToday.merge(c.account, c.finalCost, BigDecimal::add);
        }
        log.debug("call finished call={} account={} destination={} billable={}s cost={} {}", c.callId, c.account,
                c.destination, billable, c.finalCost, config.currency());
    }

    private BigDecimal costOf(Live c, long billable) {
        boolean charged = c.answered != null || c.pbxAnswered || billable > 0;
        Rate rate = c.rate != null ? c.rate : rates.current().rateFor(c.classification);
        c.rate = rate;
        return charged ? rate.cost(billable) : Money.ZERO;
    }

    private void store(Live c, long billable, String origin, boolean replace) {
        Cdr cdr = new Cdr(c.callId, c.account, c.destination, c.classification.e164(), c.classification.category(),
                c.classification.highRisk(), c.started, c.answered, c.ended, billable, c.finalCost, config.currency(),
                c.rate.prefix(), origin);
        try {
            if (replace) {
                cdrs.replace(cdr);
            } else {
                cdrs.insert(cdr);
            }
        } catch (RuntimeException ex) {
            log.error("call record not stored call={} account={} error=\"{}\"", c.callId, c.account, ex.getMessage());
        }
    }

    /**
     * The PBX's own record of (part of) a call, Asterisk's Cdr event. Its billable seconds are what the PBX bills
     * and replace our count. It may come before the call's end (Asterisk sends it before the Hangup), and a
     * channel that dials more than once has a record per dial: the records of a call still in progress are kept
     * for its end — a record never ends a call — and a late one corrects the stored call.
     */
    private void recorded(CallRecord r) {
        Instant now = r.at();
        roll(now);
        Live c = live.get(r.callId());
        if (c != null) {
            c.addRecord(r);
            return;
        }
        c = recentlyEnded.get(r.callId());
        if (c == null) {
            return; // not a call we saw: import-cdr is the way to load those
        }
        c.addRecord(r);
        long billable = billable(c);
        if (!c.billedByPbx) {
            return;
        }
        BigDecimal before = c.finalCost;
        c.finalCost = costOf(c, billable);
        store(c, billable, "cdr", true);
        if (c.monitored && isToday(c.ended)) {
            finishedToday.merge(c.account, c.finalCost.subtract(before), BigDecimal::add);
            evaluate(c.account, liveSpendOf(c.account, now), now);
        }
    }

    private void resync(LiveCallsSnapshot snapshot) {
        roll(snapshot.at());
        Set<String> present = new HashSet<>();
        for (LiveCall l : snapshot.calls()) {
            present.add(l.callId());
        }
        for (Live c : new ArrayList<>(live.values())) {
            if (!present.contains(c.callId)) {
                // it ended while we could not see: counted as ended now (on the safe side), and stored
                live.remove(c.callId);
                log.warn("call ended unseen, counted until now call={} account={} destination={}", c.callId,
                        c.account, c.destination);
                finish(c, snapshot.at(), c.answered == null ? 0 : seconds(c.answered, snapshot.at()), "live");
            }
        }
        for (LiveCall l : snapshot.calls()) {
            Live c = live.get(l.callId());
            if (c == null) {
                Classification cl = classifier.classify(l.destination());
                if (!isOutgoing(cl)) {
                    continue;
                }
                c = new Live(l.callId(), l.account() == null ? "" : l.account(), l.destination(), cl,
                        filter.counts(cl), l.started() == null ? snapshot.at() : l.started());
                live.put(c.callId, c);
            }
            if (c.answered == null && l.answered() != null) {
                c.answered = l.answered();
                c.rate = rates.current().rateFor(c.classification);
            }
        }
        dirty = true;
        log.info("spend engine live calls resynchronised count={}", live.size());
    }

    private TickStats tick() {
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        roll(now);
        Map<String, BigDecimal> sums = new HashMap<>();
        int counted = 0;
        for (Live c : live.values()) {
            if (c.answered != null && c.monitored) {
                counted++;
                sums.merge(c.account, c.accrued(now), BigDecimal::add);
            }
        }
        for (Map.Entry<String, BigDecimal> e : sums.entrySet()) {
            evaluate(e.getKey(), e.getValue(), now);
        }
        publish();
        return new TickStats(now, counted, sums.size(), System.nanoTime() - t0);
    }

    private BigDecimal liveSpendOf(String account, Instant now) {
        BigDecimal sum = Money.ZERO;
        for (Live c : live.values()) {
            if (c.answered != null && c.monitored && c.account.equals(account)) {
                sum = sum.add(c.accrued(now));
            }
        }
        return sum;
    }

    private void evaluate(String account, BigDecimal liveSpend, Instant now) {
        if (account.isEmpty() || tripped.containsKey(account)) {
            return;
        }
        BigDecimal finished = finishedToday.getOrDefault(account, Money.ZERO);
        BigDecimal spend = finished.add(liveSpend);
        if (spend.signum() == 0) {
            return;
        }
        Baseline baseline;
        try {
            baseline = baseline(account);
        } catch (RuntimeException e) { // the call history could not be read
            log.error("spend of {} not evaluated error=\"{}\"", account, e.getMessage());
            return;
        }
        BigDecimal delta = deltaFor(account);
        BigDecimal threshold = thresholdOf(account, baseline);
        if (spend.compareTo(threshold) > 0) {
            trip(account, finished, liveSpend, baseline, delta, threshold, now);
        }
    }

    private BigDecimal deltaFor(String account) {
        return deltaLayer.apply(account, config.deltaFor(account, groupOf.get(account)));
    }

    /** Hook for the hub's policy: turns an account's configured delta into the delta in force, from the next tick. */
    public void deltaLayer(java.util.function.BiFunction<String, BigDecimal, BigDecimal> layer) {
        this.deltaLayer = layer;
    }

    private void trip(String account, BigDecimal finished, BigDecimal liveSpend, Baseline baseline, BigDecimal delta,
                      BigDecimal threshold, Instant now) {
        tripped.put(account, now);
        try {
            trips.record(account, today, now);
        } catch (RuntimeException e) {
            log.error("spend trip not stored account={} error=\"{}\"", account, e.getMessage());
        }
        List<Live> cut = live.values().stream()
                .filter(c -> c.account.equals(account) && c.classification.category() != Category.EMERGENCY).toList();
        BigDecimal spend = finished.add(liveSpend);
        String currency = config.currency();
        List<Map<String, Object>> calls = new ArrayList<>();
        for (Live c : cut) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("call-id", c.callId);
            m.put("destination", c.destination);
            m.put("category", c.classification.category().id());
            m.put("cost", c.answered == null ? Money.ZERO.toPlainString() : c.accrued(now).toPlainString());
            calls.add(m);
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("rule", "spend-ids");
        evidence.put("day", today.toString());
        evidence.put("currency", currency);
        evidence.put("today-spend", spend.toPlainString());
        evidence.put("finished-spend", finished.toPlainString());
        evidence.put("live-spend", liveSpend.toPlainString());
        evidence.put("baseline", baseline.value().toPlainString());
        evidence.put("baseline-days", baseline.days());
        evidence.put("baseline-from-history", baseline.fromHistory());
        evidence.put("delta", delta.toPlainString());
        evidence.put("threshold", threshold.toPlainString());
        evidence.put("calls-cut", cut.size());
        evidence.put("cut-calls", calls);
        StringBuilder reason = new StringBuilder();
        reason.append("spend IDS: ").append(account).append(" spent ").append(Money.format(spend)).append(' ')
                .append(currency).append(" today (finished ").append(Money.format(finished)).append(" + live ")
                .append(Money.format(liveSpend)).append("), over its threshold ").append(Money.format(threshold))
                .append(' ').append(currency).append(" = baseline ").append(Money.format(baseline.value()))
                .append(baseline.fromHistory() ? " (average of " + baseline.days() + " days)" : " (floor: "
                        + baseline.days() + " days of history)")
                .append(" + delta ").append(Money.format(delta)).append("; ").append(cut.size())
                .append(cut.size() == 1 ? " live call cut" : " live calls cut");
        if (!cut.isEmpty()) {
            reason.append(": ");
            for (int i = 0; i < Math.min(cut.size(), CUT_CALLS_IN_REASON); i++) {
                reason.append(i > 0 ? ", " : "").append(cut.get(i).destination);
            }
            if (cut.size() > CUT_CALLS_IN_REASON) {
                reason.append(" and ").append(cut.size() - CUT_CALLS_IN_REASON).append(" more");
            }
        }
        log.warn("spend threshold passed account={} spend={} threshold={} baseline={} delta={} currency={} calls-cut={}",
                account, spend, threshold, baseline.value(), delta, currency, cut.size());
        decisions.take(Decision.of(DecisionKind.BLOCK_ACCOUNT, new Target.Account(account), reason.toString(), evidence, Origin.LOCAL, now,
                null));
        dirty = true;
    }

    /** The account's baseline today; computed once a day per account. */
    private Baseline baseline(String account) {
        Baseline b = baselines.get(account);
        if (b == null) {
            b = computeBaseline(account);
            baselines.put(account, b);
        }
        return b;
    }

    private Baseline computeBaseline(String account) {
        LocalDate windowStart = today.minusDays(config.window().toDays());
        LocalDate first = cdrs.firstEnded(account).map(i -> LocalDate.ofInstant(i, zone)).orElse(today);
        LocalDate from = first.isAfter(windowStart) ? first : windowStart;
        long days = from.isBefore(today) ? ChronoUnit.DAYS.between(from, today) : 0;
        if (days == 0 || days < config.minHistory().toDays()) {
            return new Baseline(Money.of(config.floor()), days, false);
        }
        BigDecimal sum = cdrs.sum(account, start(from), todayStart, filter);
        return new Baseline(sum.divide(BigDecimal.valueOf(days), Money.SCALE, Money.ROUNDING), days, true);
    }

    private SpendStatus statusOf(String account, Instant now) {
        roll(now);
        BigDecimal finished = finishedToday.getOrDefault(account, Money.ZERO);
        BigDecimal liveSpend = liveSpendOf(account, now);
        int liveCalls = (int) live.values().stream()
                .filter(c -> c.answered != null && c.monitored && c.account.equals(account)).count();
        Baseline baseline = baseline(account);
        BigDecimal delta = deltaFor(account);
        BigDecimal threshold = thresholdOf(account, baseline);
        BigDecimal spend = finished.add(liveSpend);
        Instant trippedAt = tripped.get(account);
        String status = trippedAt != null ? "tripped"
                : spend.compareTo(threshold.multiply(NEAR)) >= 0 && spend.signum() > 0 ? "near" : "ok";
        return new SpendStatus(account, today, config.currency(), spend, finished, liveSpend, liveCalls,
                baseline.value(), baseline.days(), baseline.fromHistory(), delta, threshold, status, trippedAt);
    }

    /** Starts a new day when the date in the configured zone moved on (a late event never moves it back). */
    private void roll(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, zone);
        if (today != null && !day.isAfter(today)) {
            return;
        }
        LocalDate previous = today;
        today = day;
        todayStart = start(day);
        tomorrowStart = start(day.plusDays(1));
        baselines.clear();
        tripped.clear();
        rearmedAt.clear();
        try {
            tripped.putAll(trips.on(day));
        } catch (RuntimeException e) {
            log.error("spend trips of {} not read error=\"{}\"", day, e.getMessage());
        }
        loadToday();
        if (previous != null) {
            log.info("spend day begins day={} zone={} accounts-with-spend={}", day, zone.getId(), finishedToday.size());
        }
    }

    private void loadToday() {
        finishedToday.clear();
        try {
            finishedToday.putAll(cdrs.sumByAccount(todayStart, tomorrowStart, filter));
        } catch (RuntimeException e) {
            log.error("today's spend not read error=\"{}\"", e.getMessage());
        }
        dirty = true;
        publish();
    }

    private boolean isToday(Instant t) {
        return !t.isBefore(todayStart) && t.isBefore(tomorrowStart);
    }

    private Instant start(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    private void publish() {
        if (!dirty) {
            return;
        }
        Set<String> accounts = new TreeSet<>(finishedToday.keySet());
        live.values().forEach(c -> accounts.add(c.account));
        accounts.addAll(tripped.keySet());
        accounts.remove("");
        accountsView = Set.copyOf(accounts);
        dirty = false;
    }

    /** Started seconds between two instants: a call up for 2.1 s has had 3 seconds. */
    static long seconds(Instant from, Instant to) {
        long ms = Duration.between(from, to).toMillis();
        return ms <= 0 ? 0 : (ms + 999) / 1000;
    }

    @Override
    public void close() {
        thread.close();
    }

    /** What one tick did. */
    public record TickStats(Instant at, int liveCalls, int accounts, long nanos) {}

    /** A call in progress. Engine thread only. */
    private static final class Live {
        final String callId;
        final String account;
        final String destination;
        final Classification classification;
        final boolean monitored;
        final Instant started;
        Instant answered;
        Rate rate;
        Instant ended;
        BigDecimal finalCost = Money.ZERO;
        /** Billable seconds from the PBX's own records of this call, -1 while none came. */
        long pbxBillable = -1;
        boolean pbxAnswered;
        /** Billable seconds as we counted them (answer to end, started seconds), set at the end. */
        long ourBillable;
        boolean billedByPbx;
        private long billed = -1;
        private BigDecimal accrued = Money.ZERO;

        Live(String callId, String account, String destination, Classification classification, boolean monitored,
             Instant started) {
            this.callId = callId;
            this.account = account;
            this.destination = destination;
            this.classification = classification;
            this.monitored = monitored;
            this.started = started;
        }

        void addRecord(CallRecord r) {
            pbxBillable = Math.max(0, pbxBillable) + Math.max(0, r.billableSeconds());
            pbxAnswered |= r.answered() != null;
        }

        /** What the call has cost so far, by its billing increments (recomputed only when a new increment starts). */
        BigDecimal accrued(Instant now) {
            long b = rate.increments().billed(seconds(answered, now));
            if (b != billed) {
                billed = b;
                accrued = rate.cost(seconds(answered, now));
            }
            return accrued;
        }
    }
}
