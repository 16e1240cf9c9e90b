package org.tollguard.spend;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.tollguard.calls.CallEngine;
import org.tollguard.calls.HangupEnforcer;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.numbers.Category;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.PbxControl;
import org.tollguard.pbx.PbxEventFanOut;
import org.tollguard.store.CdrRepository;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.SpendTripRepository;
import org.tollguard.store.Store;
import org.tollguard.support.MutableClock;

/**
 * The spend IDS wired as in the agent — real store, decision pipeline, call engine and hang-up enforcer — with a
 * clock the test moves and a PBX that ends a call the moment it is told to hang it up.
 */
final class SpendRig implements AutoCloseable {
    final MutableClock clock;
    final TollguardConfig config;
    final Path dir;
    final Store store;
    final CdrRepository cdrs;
    final DecisionRepository decisionRepository;
    final Decisions decisions;
    final CallEngine callEngine;
    final SpendEngine spend;
    final Rates rates;
    final PbxEventFanOut pbx;
    /** Calls the PBX was told to hang up, with the clock time. */
    final List<String> hungUp = new CopyOnWriteArrayList<>();
    final List<Instant> hungUpAt = new CopyOnWriteArrayList<>();
    private int next;

    SpendRig(Path dir, Instant start, String yaml) throws Exception {
        this.dir = dir;
        this.clock = new MutableClock(start);
        this.config = ConfigLoader.parse("test.yml", yaml);
        this.store = Store.open(dir.resolve("tollguard.db"));
        this.cdrs = new CdrRepository(store);
        this.decisionRepository = new DecisionRepository(store);
        this.decisions = new Decisions(decisionRepository, clock);
        NumberClassifier classifier = new NumberClassifier(config.numbers());
        this.callEngine = new CallEngine(config.calls(), classifier, clock, decisions, Set.of());
        decisions.addEnforcer(callEngine);
        decisions.restore();
        callEngine.drain(); // the restored blocks are in force before the first event
        this.rates = new Rates(config.ids());
        this.spend = new SpendEngine(config.ids(), config.calls().groupOf(), classifier, rates, cdrs,
                new SpendTripRepository(store), clock, decisions, false);
        this.pbx = new PbxEventFanOut(List.of(callEngine, spend));
        decisions.addEnforcer(new HangupEnforcer("fake", new FakePbx()));
    }

    static Path deck(Path dir, String csv) throws Exception {
        Path p = dir.resolve("rates.csv");
        Files.writeString(p, csv);
        return p;
    }

    /** A call from {@code account} to {@code number}, answered now; returns its id. */
    String call(String account, String number) {
        String id = start(account, number);
        answer(id);
        return id;
    }

    String start(String account, String number) {
        String id = "call-" + (++next);
        pbx.onEvent(new CallStarted(id, account, account, number, null, clock.instant()));
        return id;
    }

    /** Answers now and waits until the engines took it in (the rate is fixed when the engine sees the answer). */
    void answer(String id) {
        pbx.onEvent(new CallAnswered(id, clock.instant()));
        spend.drain();
    }

    void end(String id) {
        pbx.onEvent(new CallEnded(id, -1, 16, clock.instant()));
    }

    /** A whole call: answered now, ended {@code seconds} later. */
    String talk(String account, String number, long seconds) {
        String id = call(account, number);
        clock.advance(Duration.ofSeconds(seconds));
        end(id);
        return id;
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    /** One spend tick at the current time, then everything it set off (blocks, hang-ups, call ends). */
    SpendEngine.TickStats tick() throws Exception {
        SpendEngine.TickStats stats = spend.tickNow().get(10, TimeUnit.SECONDS);
        settle();
        return stats;
    }

    /** Lets both engines finish what is queued, twice over (a hang-up queues a call end). */
    void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            spend.drain();
            callEngine.drain();
        }
    }

    List<Decision> blocks() {
        decisions.flush();
        return decisionRepository.recent(1000).stream().filter(d -> d.kind() == DecisionKind.BLOCK_ACCOUNT).toList();
    }

    List<Decision> blocksOf(String account) {
        return blocks().stream().filter(d -> d.target().text().equals(account)).toList();
    }

    /** Stores a finished call directly, as history. */
    void history(String callId, String account, String number, Category category, Instant ended, String cost) {
        cdrs.insert(new Cdr(callId, account, number, null, category, false, ended.minusSeconds(60),
                ended.minusSeconds(60), ended, 60, new BigDecimal(cost), "EUR", "test", "import"));
    }

    @Override
    public void close() {
        spend.close();
        callEngine.close();
        decisions.close(); // the journal is written to the end before the store closes
        store.close();
    }

    /** Hangs up at once: the call ends at the current clock time. */
    private final class FakePbx implements PbxControl {
        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public CompletableFuture<Void> hangup(String callId, int cause) {
            hungUp.add(callId);
            hungUpAt.add(clock.instant());
            pbx.onEvent(new CallEnded(callId, -1, cause, clock.instant()));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<List<LiveCall>> liveCalls() {
            return CompletableFuture.completedFuture(new ArrayList<>());
        }
    }
}
