package org.tollguard;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.api.AdminApi;
import org.tollguard.api.ApiToken;
import org.tollguard.asterisk.AmiAdapter;
import org.tollguard.ban.BanControl;
import org.tollguard.ban.BanEngine;
import org.tollguard.api.ListsRoutes;
import org.tollguard.ban.NeverBan;
import org.tollguard.blacklist.Blacklist;
import org.tollguard.blacklist.ReportOutbox;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decisions;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.FirewallEnforcer;
import org.tollguard.firewall.FirewallException;
import org.tollguard.firewall.Firewalls;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.ReportOutboxRepository;
import org.tollguard.store.Store;
import org.tollguard.store.TrustRepository;

/**
 * The running agent: wires the data flow of DESIGN.md (adapter → engines → decisions → enforcers) and stops it
 * in reverse order. Start-up order matters: the firewall is set up and the stored bans re-applied before the
 * first event is read.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private BanControl bans;
    private BanEngine banEngine;
    private AdminApi api;
    private AmiAdapter ami;
    private Blacklist blacklist;
    private ReportOutbox reports;

    private Agent() {}

    /** Starts everything; on failure stops what already started and rethrows. */
    public static Agent start(TollguardConfig config, Clock clock) throws StartupException {
        Agent agent = new Agent();
        try {
            agent.wire(config, clock);
        } catch (StartupException | RuntimeException e) {
            agent.close();
            throw e;
        }
        log.info("agent started version={}", Version.get());
        return agent;
    }

    private void wire(TollguardConfig config, Clock clock) throws StartupException {
        Store store = Store.open(config.store().path());
        stopOrder.push(store);
        DecisionRepository decisionRepository = new DecisionRepository(store);
        Decisions decisions = new Decisions(decisionRepository, clock);

        Firewall firewall = Firewalls.create(config.firewall());
        try {
            firewall.setUp();
        } catch (FirewallException e) {
            throw new StartupException("firewall (" + firewall.name() + "): " + e.getMessage());
        }
        decisions.addEnforcer(new FirewallEnforcer(firewall, clock));

        NeverBan neverBan = new NeverBan(config.ban().allowlist());
        banEngine = new BanEngine(config.ban(), clock, decisions, decisionRepository, neverBan, new TrustRepository(store));
        stopOrder.push(banEngine);
        bans = new BanControl(decisions, neverBan, banEngine, clock);
        bans.restore();

        // every local ban reported upstream, through the outbox in the store
        reports = new ReportOutbox(config.blacklist().reporting(), new ReportOutboxRepository(store),
                decisionRepository, () -> pbxInfo(config), clock);
        stopOrder.push(reports);
        decisions.addListener(reports);

        // the community lists: the last good ones back in the kernel before any network request
        blacklist = new Blacklist(config.blacklist(), config.firewall().maxEntries(), firewall, neverBan, store,
                decisions, clock);
        stopOrder.push(blacklist);
        blacklist.applyStored();
        reports.start(); // may send: only after the stored lists are back

        try {
            api = new AdminApi(config.api(), ApiToken.loadOrCreate(config.api().tokenFile()), bans, clock);
        } catch (IOException e) {
            throw new StartupException("admin api on " + config.api().listen() + ":" + config.api().port() + ": " + e.getMessage());
        }
        stopOrder.push(api);
        api.route("/v1/lists", new ListsRoutes(blacklist, reports));
        try {
            blacklist.start();
        } catch (org.quartz.SchedulerException e) {
            throw new StartupException("blacklist scheduler: " + e.getMessage());
        }

        if (config.asterisk().enabled()) {
            ami = new AmiAdapter(config.asterisk(), clock, banEngine);
            stopOrder.push(ami);
            ami.start();
        }
    }

    private ReportOutbox.PbxInfo pbxInfo(TollguardConfig config) {
        AmiAdapter a = ami;
        return new ReportOutbox.PbxInfo(config.asterisk().enabled() ? "asterisk" : "unknown",
                a == null ? null : a.pbxVersion());
    }

    public Blacklist blacklist() {
        return blacklist;
    }

    public ReportOutbox reports() {
        return reports;
    }

    public BanControl bans() {
        return bans;
    }

    public BanEngine banEngine() {
        return banEngine;
    }

    public AmiAdapter ami() {
        return ami;
    }

    public AdminApi api() {
        return api;
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        log.info("agent stopping");
        while (!stopOrder.isEmpty()) {
            AutoCloseable c = stopOrder.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stop failed component={} error=\"{}\"", c.getClass().getSimpleName(), e.getMessage());
            }
        }
        log.info("agent stopped");
        stopped.countDown();
    }

    /** The agent cannot start; the message tells the operator what to fix. */
    public static final class StartupException extends Exception {
        public StartupException(String message) {
            super(message);
        }
    }
}
