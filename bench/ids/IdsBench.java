import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tollguard.calls.CallEngine;
import org.tollguard.calls.HangupEnforcer;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.spend.Cdr;
import org.tollguard.spend.Increments;
import org.tollguard.spend.Money;
import org.tollguard.spend.Rate;
import org.tollguard.spend.Rates;
import org.tollguard.spend.SpendEngine;
import org.tollguard.spend.SpendFilter;
import org.tollguard.numbers.Category;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.PbxControl;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.pbx.PbxEventFanOut;
import org.tollguard.store.CdrRepository;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.SpendTripRepository;
import org.tollguard.store.Store;

/**
 * Spend IDS benchmarks (bench/README.md, "Spend IDS"). Run with bench/ids/run.sh.
 *
 * <ol>
 *   <li>hijack: ten calls at 50 EUR/hour (0.8333 EUR/min, by the second) on an account with a 20 EUR baseline and a
 *       30 EUR delta. The real engines (spend engine, call engine, decision pipeline, SQLite store) on a simulated
 *       clock; the calls are answered at random moments in the first second, the 1 s tick has a random phase, and
 *       the PBX takes a configurable time to hang up. Money spent beyond the threshold at cut-off, against an IDS
 *       that only sees finished calls (same calls, same prices).</li>
 *   <li>tick: the time one tick takes to re-evaluate 1,000 answered calls (100 accounts), measured on the engine
 *       thread, after warm-up.</li>
 *   <li>baseline: the store queries behind a baseline and today's spend, on 60 days of history.</li>
 * </ol>
 */
public final class IdsBench {
    static final ZoneId ZONE = ZoneOffset.UTC;
    static final BigDecimal THRESHOLD = new BigDecimal("50.000000");
    static final BigDecimal DELTA = new BigDecimal("30");

    public static void main(String[] args) throws Exception {
        int runs = 100;
        int ticks = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--ticks" -> ticks = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("tollguard-ids-bench");
        System.out.printf("java %s, %d cpus, %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), String.join(" ",
                        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        String only = System.getProperty("bench.only", "");
        if (only.isEmpty() || only.equals("hijack")) {
            hijack(dir.resolve("hijack"), runs);
        }
        if (only.isEmpty() || only.equals("tick")) {
            tick(dir.resolve("tick"), ticks);
        }
        if (only.isEmpty() || only.equals("baseline")) {
            baseline(dir.resolve("baseline"));
        }
    }

    // ------------------------------------------------------------------------------------------ the hijack

    static void hijack(Path dir, int runs) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("rates.csv"), """
                prefix,description,price-per-minute,setup-price,increments
                1,North America,1.00,0,60/60
                31909,Netherlands amusement 0909 (50 EUR/hour),0.8333,0,1/1
                """);
        System.out.println();
        System.out.println("## hijack: 10 calls x 0.8333 EUR/min (1/1), baseline 20, delta 30, threshold 50 EUR; " + runs
                + " runs per hang-up latency");
        for (long latencyMs : new long[] {0, 100, 1000}) {
            Rig rig = new Rig(dir.resolve("lat" + latencyMs), dir.resolve("rates.csv"), latencyMs);
            List<BigDecimal> beyond = new ArrayList<>();
            List<Double> cutSeconds = new ArrayList<>();
            Random random = new Random(42 + latencyMs);
            for (int run = 0; run < runs; run++) {
                Result r = rig.hijack("victim-" + run, random);
                beyond.add(r.spent.subtract(THRESHOLD));
                cutSeconds.add(r.cutAfterSeconds);
            }
            rig.close();
            beyond.sort(null);
            System.out.printf(Locale.ROOT, "live-cost IDS, hang-up latency %4d ms: spent beyond threshold at cut-off"
                            + " p50 %s EUR (%.2f%% of delta), max %s EUR (%.2f%% of delta); cut %.1f-%.1f s after the"
                            + " first answer%n",
                    latencyMs, Money.format(beyond.get(beyond.size() / 2)), pct(beyond.get(beyond.size() / 2)),
                    Money.format(beyond.get(beyond.size() - 1)), pct(beyond.get(beyond.size() - 1)),
                    cutSeconds.stream().mapToDouble(d -> d).min().orElse(0),
                    cutSeconds.stream().mapToDouble(d -> d).max().orElse(0));
        }
        finishedOnly();
    }

    static double pct(BigDecimal beyond) {
        return beyond.multiply(BigDecimal.valueOf(100)).divide(DELTA, 6, RoundingMode.HALF_UP).doubleValue();
    }

    /**
     * An IDS that sees only finished calls (a provider's CDR-based IDS), on the same ten 4-hour calls: it can act
     * when the first call ends; it is granted hanging up the other nine at that very moment.
     */
    static void finishedOnly() {
        Rate rate = new Rate("31909", "", new BigDecimal("0.8333"), BigDecimal.ZERO, new Increments(1, 1));
        Random random = new Random(7);
        long[] answerMs = new long[10];
        for (int i = 0; i < 10; i++) {
            answerMs[i] = random.nextInt(1000);
        }
        Arrays.sort(answerMs);
        long firstEndMs = answerMs[0] + 4 * 3600_000L;
        BigDecimal spent = BigDecimal.ZERO;
        for (long a : answerMs) {
            long seconds = (firstEndMs - a + 999) / 1000;
            spent = spent.add(rate.cost(seconds));
        }
        BigDecimal beyond = spent.subtract(THRESHOLD);
        System.out.printf(Locale.ROOT, "finished-calls-only IDS: first sees spend when a call ends, after 4 h: spent %s EUR,"
                        + " beyond threshold %s EUR (%.0f%% of delta)%n", Money.format(spent), Money.format(beyond),
                pct(beyond));
    }

    record Result(BigDecimal spent, double cutAfterSeconds) {}

    /** The agent's engines on a simulated clock, driven by a queue of timed events. */
    static final class Rig {
        final SimClock clock = new SimClock(LocalDate.of(2025, 6, 10).atTime(8, 0).toInstant(ZoneOffset.UTC));
        final PriorityBlockingQueue<Timed> queue = new PriorityBlockingQueue<>();
        final AtomicLong seq = new AtomicLong();
        final Store store;
        final CdrRepository cdrs;
        final Decisions decisions;
        final CallEngine callEngine;
        final SpendEngine spend;
        final PbxEventFanOut pbx;
        final long latencyMs;

        Rig(Path dir, Path deck, long latencyMs) throws Exception {
            Files.createDirectories(dir);
            this.latencyMs = latencyMs;
            TollguardConfig config = ConfigLoader.parse("bench", """
                    ids:
                      time-zone: UTC
                      rate-deck: %s
                      delta: 30
                    """.formatted(deck));
            store = Store.open(dir.resolve("bench.db"));
            cdrs = new CdrRepository(store);
            decisions = new Decisions(new DecisionRepository(store), clock);
            NumberClassifier classifier = new NumberClassifier(config.numbers());
            callEngine = new CallEngine(config.calls(), classifier, clock, decisions, new HashSet<>());
            decisions.addEnforcer(callEngine);
            spend = new SpendEngine(config.ids(), config.calls().groupOf(), classifier, new Rates(config.ids()), cdrs,
                    new SpendTripRepository(store), clock, decisions, false);
            pbx = new PbxEventFanOut(List.of(callEngine, spend));
            decisions.addEnforcer(new HangupEnforcer("simulated", new PbxControl() {
                @Override
                public String describe() {
                    return "simulated";
                }

                @Override
                public CompletableFuture<Void> hangup(String callId, int cause) {
                    Instant at = clock.instant().plusMillis(Rig.this.latencyMs);
                    queue.add(new Timed(at, seq.incrementAndGet(), new CallEnded(callId, -1, cause, at)));
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<List<LiveCall>> liveCalls() {
                    return CompletableFuture.completedFuture(List.of());
                }
            }));
        }

        /** One hijack on a fresh account; returns what its ten calls cost in the end. */
        Result hijack(String account, Random random) throws Exception {
            // 60 days of 20 EUR: a 20 EUR baseline
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZONE);
            List<Cdr> history = new ArrayList<>();
            for (int d = 1; d <= 60; d++) {
                Instant noon = today.minusDays(d).atTime(12, 0).toInstant(ZoneOffset.UTC);
                history.add(new Cdr(account + "-h" + d, account, "0012125551234", "+12125551234", Category.INTERNATIONAL,
                        false, noon.minusSeconds(1200), noon.minusSeconds(1200), noon, 1200, new BigDecimal("20.00"),
                        "EUR", "1", "import"));
            }
            cdrs.insertAll(history);
            spend.historyChanged();
            Instant t0 = clock.instant();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String id = account + "-c" + i;
                ids.add(id);
                Instant at = t0.plusMillis(random.nextInt(1000));
                queue.add(new Timed(at, seq.incrementAndGet(), new CallStarted(id, account, account,
                        "0909123456" + i, null, at)));
                queue.add(new Timed(at, seq.incrementAndGet(), new CallAnswered(id, at)));
                Instant end = at.plus(Duration.ofHours(4));
                queue.add(new Timed(end, seq.incrementAndGet(), new CallEnded(id, -1, 16, end)));
            }
            // the 1 s tick, at a random phase
            Instant tick = t0.plusMillis(random.nextInt(1000));
            Instant cut = null;
            int ended = 0;
            while (ended < 10) {
                Timed next = queue.peek();
                if (next != null && !next.at.isAfter(tick)) {
                    queue.poll();
                    clock.set(next.at);
                    if (next.event instanceof CallEnded e && ids.contains(e.callId())) {
                        ended++;
                    }
                    pbx.onEvent(next.event);
                } else {
                    clock.set(tick);
                    spend.tickNow().get(10, TimeUnit.SECONDS);
                    tick = tick.plusSeconds(1);
                }
                settle();
                if (cut == null && decisions.active(DecisionKind.BLOCK_ACCOUNT).stream().anyMatch(a -> a.decision().target().text().equals(account))) {
                    cut = clock.instant();
                }
            }
            queue.removeIf(t -> t.event instanceof CallEnded e && e.callId().startsWith(account + "-"));
            BigDecimal spent = BigDecimal.ZERO;
            for (String id : ids) {
                spent = spent.add(cdrs.byId(id).orElseThrow().cost());
            }
            // the next run starts a little later on the same day
            clock.set(clock.instant().plusSeconds(60));
            return new Result(spent, cut == null ? Double.NaN : Duration.between(t0, cut).toMillis() / 1000.0);
        }

        void settle() {
            for (int i = 0; i < 3; i++) {
                spend.drain();
                callEngine.drain();
            }
        }

        void close() {
            spend.close();
            callEngine.close();
            store.close();
        }
    }

    record Timed(Instant at, long seq, PbxEvent event) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    static final class SimClock extends Clock {
        private volatile Instant now;

        SimClock(Instant start) {
            now = start;
        }

        void set(Instant t) {
            if (t.isAfter(now)) {
                now = t;
            }
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    // ------------------------------------------------------------------------------------------ the tick

    static void tick(Path dir, int ticks) throws Exception {
        Files.createDirectories(dir);
        StringBuilder deck = new StringBuilder("prefix,description,price-per-minute,setup-price,increments\n");
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            // 1,000 London prefixes 44207NNN
            deck.append("44207").append(String.format("%03d", i)).append(",destination ").append(i).append(',')
                    .append(BigDecimal.valueOf(random.nextInt(200_000), 4).toPlainString()).append(",0.0100,1/1\n");
        }
        Files.writeString(dir.resolve("rates.csv"), deck);
        TollguardConfig config = ConfigLoader.parse("bench", """
                ids:
                  time-zone: UTC
                  rate-deck: %s
                  delta: 1000000
                """.formatted(dir.resolve("rates.csv")));
        SimClock clock = new SimClock(Instant.parse("2025-06-10T08:00:00Z"));
        try (Store store = Store.open(dir.resolve("bench.db"))) {
            Decisions decisions = new Decisions(new DecisionRepository(store), clock);
            SpendEngine spend = new SpendEngine(config.ids(), config.calls().groupOf(), new NumberClassifier(config.numbers()),
                    new Rates(config.ids()), new CdrRepository(store), new SpendTripRepository(store), clock, decisions,
                    false);
            for (int i = 0; i < 1000; i++) {
                String id = "c" + i;
                // +44 20 7NNN 1234: an international number for each of the deck's prefixes
                String number = "0044207" + String.format("%03d", i) + "1234";
                Instant at = clock.instant().minusMillis(random.nextInt(60_000));
                spend.onEvent(new CallStarted(id, "acct-" + (i % 100), "x", number, null, at));
                spend.onEvent(new CallAnswered(id, at));
            }
            spend.drain();
            int warmup = Math.max(2000, ticks / 5);
            long[] inside = new long[ticks];
            long[] roundTrip = new long[ticks];
            int counted = 0;
            for (int i = 0; i < warmup + ticks; i++) {
                clock.set(clock.instant().plusSeconds(1));
                long t0 = System.nanoTime();
                SpendEngine.TickStats s = spend.tickNow().get();
                long rt = System.nanoTime() - t0;
                if (i >= warmup) {
                    inside[i - warmup] = s.nanos();
                    roundTrip[i - warmup] = rt;
                    counted = s.liveCalls();
                }
            }
            spend.close();
            long over = Arrays.stream(inside).filter(n -> n > 10_000_000L).count();
            Arrays.sort(inside);
            Arrays.sort(roundTrip);
            System.out.println();
            System.out.printf(Locale.ROOT, "## tick: %d answered live calls (%d counted), 100 accounts, every call's cost"
                    + " changes every tick (1/1 increments); %d ticks after %d warm-up%n", 1000, counted, ticks, warmup);
            System.out.printf(Locale.ROOT, "tick on the engine thread: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms;"
                            + " %d of %d ticks over 10 ms%n", inside[ticks / 2] / 1e6, inside[(int) (ticks * 0.99)] / 1e6,
                    inside[(int) (ticks * 0.999)] / 1e6, inside[ticks - 1] / 1e6, over, ticks);
            System.out.printf(Locale.ROOT, "tick seen by the caller (queue hand-off included): p50 %.3f ms, p99 %.3f ms,"
                    + " max %.3f ms%n", roundTrip[ticks / 2] / 1e6, roundTrip[(int) (ticks * 0.99)] / 1e6,
                    roundTrip[ticks - 1] / 1e6);
        }
    }

    // ------------------------------------------------------------------------------------------ baseline queries

    static void baseline(Path dir) throws Exception {
        Files.createDirectories(dir);
        int accounts = 100;
        int perDay = 50;
        try (Store store = Store.open(dir.resolve("bench.db"))) {
            CdrRepository cdrs = new CdrRepository(store);
            Instant today = Instant.parse("2025-06-10T00:00:00Z");
            Random random = new Random(3);
            for (int d = 60; d >= 0; d--) {
                List<Cdr> day = new ArrayList<>();
                for (int a = 0; a < accounts; a++) {
                    for (int c = 0; c < perDay; c++) {
                        Instant end = today.minus(Duration.ofDays(d)).plusSeconds(random.nextInt(86_000));
                        Category cat = c % 3 == 0 ? Category.INTERNATIONAL : Category.NATIONAL_GEOGRAPHIC;
                        day.add(new Cdr("d" + d + "-a" + a + "-c" + c, "acct-" + a, "x", null, cat, false,
                                end.minusSeconds(120), end.minusSeconds(120), end, 120,
                                BigDecimal.valueOf(random.nextInt(5_000_000), 6), "EUR", "bench", "import"));
                    }
                }
                cdrs.insertAll(day);
            }
            SpendFilter filter = SpendFilter.of(List.of(Category.INTERNATIONAL, Category.NATIONAL_PREMIUM,
                    Category.NATIONAL_AMUSEMENT, Category.HIGH_RISK));
            long rows = cdrs.count();
            Instant windowStart = today.minus(Duration.ofDays(60));
            for (int i = 0; i < 200; i++) { // warm-up
                cdrs.sum("acct-" + (i % accounts), windowStart, today, filter);
            }
            long[] sum = new long[accounts];
            long[] first = new long[accounts];
            for (int a = 0; a < accounts; a++) {
                long t0 = System.nanoTime();
                cdrs.firstEnded("acct-" + a);
                long t1 = System.nanoTime();
                cdrs.sum("acct-" + a, windowStart, today, filter);
                long t2 = System.nanoTime();
                first[a] = t1 - t0;
                sum[a] = t2 - t1;
            }
            long t0 = System.nanoTime();
            int n = cdrs.sumByAccount(today, today.plus(Duration.ofDays(1)), filter).size();
            long byAccount = System.nanoTime() - t0;
            Arrays.sort(sum);
            Arrays.sort(first);
            System.out.println();
            System.out.printf(Locale.ROOT, "## baseline queries: %d stored calls (%d accounts x %d calls/day x 61 days)%n",
                    rows, accounts, perDay);
            System.out.printf(Locale.ROOT, "60-day sum of one account (once per account per day): p50 %.2f ms, max %.2f ms%n",
                    sum[accounts / 2] / 1e6, sum[accounts - 1] / 1e6);
            System.out.printf(Locale.ROOT, "first call of one account: p50 %.3f ms, max %.3f ms%n",
                    first[accounts / 2] / 1e6, first[accounts - 1] / 1e6);
            System.out.printf(Locale.ROOT, "today's spend of all %d accounts (at start and at midnight): %.2f ms%n", n,
                    byAccount / 1e6);
        }
    }
}
