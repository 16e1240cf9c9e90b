package org.tollguard;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.api.AdminApi;
import org.tollguard.api.AccountRoutes;
import org.tollguard.api.ApiToken;
import org.tollguard.api.BanRoutes;
import org.tollguard.api.CallRoutes;
import org.tollguard.api.CdrRoutes;
import org.tollguard.api.RateRoutes;
import org.tollguard.api.StatusRoutes;
import org.tollguard.alerts.AgentEvents;
import org.tollguard.alerts.Alerts;
import org.tollguard.metrics.Metrics;
import org.tollguard.asterisk.AmiAdapter;
import org.tollguard.ban.BanControl;
import org.tollguard.ban.BanEngine;
import org.tollguard.api.ListsRoutes;
import org.tollguard.ban.NeverBan;
import org.tollguard.asterisk.MasterCsv;
import org.tollguard.asterisk.PreDialAgiServer;
import org.tollguard.calls.AccountControl;
import org.tollguard.calls.CallEngine;
import org.tollguard.policy.HealthWatch;
import org.tollguard.policy.HeartbeatSender;
import org.tollguard.policy.HubPolicy;
import java.net.URI;
import org.tollguard.blacklist.Enrollment;
import org.tollguard.blacklist.ListException;
import org.tollguard.calls.HangupEnforcer;
import org.tollguard.decision.DecisionKind;
import org.tollguard.spend.RateDeckException;
import org.tollguard.spend.Rates;
import org.tollguard.spend.SpendEngine;
import org.tollguard.numbers.NumberClassifier;
import org.tollguard.pbx.PbxEventFanOut;
import org.tollguard.pbx.PbxEventListener;
import org.tollguard.blacklist.Blacklist;
import org.tollguard.blacklist.ReportOutbox;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decisions;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.FirewallEnforcer;
import org.tollguard.firewall.FirewallException;
import org.tollguard.firewall.FirewallGuard;
import org.tollguard.firewall.Firewalls;
import org.tollguard.freeswitch.FreeSwitchAdapter;
import org.tollguard.freeswitch.PreDialServer;
import org.tollguard.pbx.PreDialAnswer;
import org.tollguard.pbx.PreDialCheck;
import org.tollguard.store.CdrRepository;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.ReportOutboxRepository;
import org.tollguard.store.SpendTripRepository;
import org.tollguard.store.Store;
import org.tollguard.store.TrustRepository;

/**
 * The running agent: wires the data flow of DESIGN.md (adapter → engines → decisions → enforcers) and stops it
 * in reverse order. Start-up order matters: the firewall is set up and the stored bans re-applied before the
 * first event is read.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    /** The last good hub policy, kept beside the store. */
    public static final String HUB_POLICY_FILE = "hub-policy.json";
    private static final String ASTERISK = "asterisk";
    /** How often the firewall is checked for changes by other tools: repaired within 5 s. */
    private static final Duration FIREWALL_CHECK = Duration.ofSeconds(2);
    private static final String FREESWITCH = "freeswitch";

    private final Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private BanControl bans;
    private BanEngine banEngine;
    private AdminApi api;
    private AmiAdapter ami;
    private CallEngine callEngine;
    private AccountControl accounts;
    private Metrics metrics;
    private Alerts alerts;
    private AgentEvents events = new AgentEvents() {};
    private FreeSwitchAdapter freeswitch;
    private Blacklist blacklist;
    private ReportOutbox reports;
    private SpendEngine spendEngine;
    private CdrRepository cdrs;

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
        stopOrder.push(decisions); // stops after everything that decides: the journal is written to the end

        // observers first, so that they see everything; they stop after the engines (a final digest is sent)
        metrics = new Metrics(clock);
        stopOrder.push(metrics);
        try {
            metrics.serve(config.metrics());
        } catch (IOException e) {
            throw new StartupException("metrics on " + config.metrics().listen() + ":" + config.metrics().port() + ": "
                    + e.getMessage());
        }
        decisions.addListener(metrics);
        decisions.addEnforcementListener(metrics);
        metrics.activeBans(() -> decisions.activeCounts(DecisionKind.BAN_ADDRESS));
        metrics.failingEnforcement(decisions::failedCounts);
        List<AgentEvents> eventSinks = new java.util.ArrayList<>(List.of(metrics));
        if (config.alerts().anyChannel()) {
            alerts = Alerts.start(config.alerts(), clock);
            stopOrder.push(alerts);
            decisions.addListener(alerts.listener());
            decisions.addEnforcementListener(alerts.listener());
            eventSinks.add(alerts.listener());
            metrics.alerts(alerts::channels, alerts::dropped);
        }
        HealthWatch health = new HealthWatch();
        if (config.hub().configured()) {
            eventSinks.add(health);
        }
        events = AgentEvents.fanOut(eventSinks);

        Firewall firewall = Firewalls.create(config.firewall());
        try {
            firewall.setUp();
        } catch (FirewallException e) {
            throw new StartupException("firewall (" + firewall.name() + "): " + e.getMessage());
        }
        decisions.addEnforcer(new FirewallEnforcer(firewall, clock));

        NeverBan neverBan = new NeverBan(config.ban().allowlist());
        banEngine = new BanEngine(config.ban(), clock, decisions, neverBan, new TrustRepository(store));
        stopOrder.push(banEngine);
        metrics.banEngine(banEngine::processedEvents, banEngine::droppedEvents);
        bans = new BanControl(decisions, neverBan, banEngine, clock);

        NumberClassifier classifier = new NumberClassifier(config.numbers());
        callEngine = new CallEngine(config.calls(), classifier, clock, decisions, Set.of(), pbxName(config));
        stopOrder.push(callEngine);
        decisions.addEnforcer(callEngine);
        metrics.liveCalls(() -> callEngine.calls().size());
        metrics.blockedAccounts(() -> decisions.activeCounts(DecisionKind.BLOCK_ACCOUNT)
                .values().stream().mapToLong(Integer::longValue).sum());
        // bans back in the kernel, blocks back in the call engine, before the first event is read
        decisions.restore();

        cdrs = new CdrRepository(store);
        if (config.ids().enabled()) {
            Rates rates;
            try {
                rates = new Rates(config.ids());
            } catch (RateDeckException e) {
                throw new StartupException("rate deck " + e.getMessage());
            }
            spendEngine = new SpendEngine(config.ids(), config.calls().groupOf(), classifier, rates, cdrs,
                    new SpendTripRepository(store), clock, decisions, true);
            stopOrder.push(spendEngine);
        }
        PbxEventListener engines = new PbxEventFanOut(spendEngine == null ? List.of(metrics, banEngine, callEngine)
                : List.of(metrics, banEngine, callEngine, spendEngine));
        accounts = new AccountControl(config.calls(), callEngine, decisions, clock, spendEngine);
        startHubPolicy(config, clock, health, firewall.name());

        // every local ban reported upstream, through the outbox in the store
        reports = new ReportOutbox(config.blacklist().reporting(), config.hub(), new ReportOutboxRepository(store),
                decisionRepository, () -> pbxInfo(config), clock);
        stopOrder.push(reports);
        decisions.addJournaledListener(reports);

        // the community lists: the last good ones back in the kernel before any network request
        blacklist = new Blacklist(config.blacklist(), config.hub(), config.firewall().maxEntries(), firewall, neverBan, store,
                decisions, clock);
        stopOrder.push(blacklist);
        blacklist.applyStored();
        blacklist.sourceNames().forEach(metrics::syncSource);
        blacklist.onSynced(r -> {
            Duration took = Duration.ofMillis(r.elapsedMillis());
            if (r.error() == null) { // events reach the metrics and the alerts: each hears it once
                events.syncCompleted(r.source(), took, r.size());
            } else {
                events.syncFailed(r.source(), took, r.error());
            }
        });
        if (config.blacklist().reporting().enabled()) {
            metrics.outboxDepth(() -> reports.counts().getOrDefault(ReportOutboxRepository.PENDING, 0));
        }
        reports.start(); // may send: only after the stored lists are back
        stopOrder.push(new FirewallGuard(firewall, () -> {
            decisions.reapply(DecisionKind.BAN_ADDRESS);
            blacklist.applyStored();
        }, events::firewallChanged).start(FIREWALL_CHECK));

        try {
            api = new AdminApi(config.api(), ApiToken.loadOrCreate(config.api().tokenFile()));
        } catch (IOException e) {
            throw new StartupException("admin api on " + config.api().listen() + ":" + config.api().port() + ": " + e.getMessage());
        }
        stopOrder.push(api);
        StatusRoutes status = new StatusRoutes(clock, decisions).banEngine(banEngine).calls(callEngine)
                .metrics(metrics).alerts(alerts);
        api.route("/v1/status", status)
                .route("/v1/bans", new BanRoutes(bans, clock))
                .route("/v1/calls", new CallRoutes(callEngine))
                .route("/v1/accounts", new AccountRoutes(accounts))
                .route("/v1/lists", new ListsRoutes(blacklist, reports))
                .route("/v1/rates", new RateRoutes(spendEngine))
                .route("/v1/cdr", new CdrRoutes(spendEngine, classifier, cdrs, new MasterCsv()));

        try {
            blacklist.start();
        } catch (org.quartz.SchedulerException e) {
            throw new StartupException("blacklist scheduler: " + e.getMessage());
        }

        if (config.asterisk().enabled()) {
            ami = new AmiAdapter(config.asterisk(), clock, engines, classifier.emergencyDialStrings());
            stopOrder.push(ami);
            ami.addConnectionListener(events);
            metrics.pbx(ami);
            status.pbx(ami);
            decisions.addEnforcer(new HangupEnforcer(ASTERISK, ami.control()));
            try {
                stopOrder.push(new PreDialAgiServer(config.calls().preDial(), callEngine));
            } catch (IOException e) {
                throw new StartupException("pre-dial server on " + config.calls().preDial().listen() + ":"
                        + config.calls().preDial().port() + ": " + e.getMessage());
            }
            ami.start();
        }

        if (config.freeswitch().enabled()) {
            freeswitch = new FreeSwitchAdapter(config.freeswitch(), clock, engines, classifier.emergencyDialStrings());
            stopOrder.push(freeswitch);
            freeswitch.addConnectionListener(events);
            metrics.pbx(freeswitch);
            status.pbx(freeswitch);
            decisions.addEnforcer(new HangupEnforcer(FREESWITCH, freeswitch.control()));
            freeswitch.start();
            if (config.freeswitch().preDial().enabled()) {
                PreDialServer freeswitchPreDial = new PreDialServer(config.freeswitch().preDial(),
                        config.freeswitch().host(), callEngine);
                stopOrder.push(freeswitchPreDial);
                try {
                    freeswitchPreDial.start();
                } catch (IOException e) {
                    throw new StartupException("freeswitch pre-dial check on " + config.freeswitch().preDial().listen()
                            + ":" + config.freeswitch().preDial().port() + ": " + e.getMessage());
                }
            }
        }
    }

    /** The PBX whose calls the call engine sees, as hang-up targets name it; "" when both adapters run. */
    private static String pbxName(TollguardConfig config) {
        boolean asterisk = config.asterisk().enabled();
        boolean freeswitch = config.freeswitch().enabled();
        return asterisk == freeswitch ? "" : asterisk ? ASTERISK : FREESWITCH;
    }

    private org.tollguard.protocol.Pbx pbxInfo(TollguardConfig config) {
        AmiAdapter a = ami;
        FreeSwitchAdapter f = freeswitch;
        if (a == null && f != null) {
            return new org.tollguard.protocol.Pbx("freeswitch", f.pbxVersion());
        }
        return new org.tollguard.protocol.Pbx(config.asterisk().enabled() ? "asterisk" : "unknown",
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

    public AccountControl accounts() {
        return accounts;
    }

    /** The hub's site policy, if a hub is configured: the kept one applied before any call is checked. */
    private void startHubPolicy(TollguardConfig config, Clock clock, HealthWatch health, String firewall)
            throws StartupException {
        if (!config.hub().configured()) {
            return;
        }
        try {
            Enrollment enrollment = Enrollment.load(config.hub());
            HubPolicy hub = new HubPolicy(config.hub(), enrollment, config.store().path().resolveSibling(HUB_POLICY_FILE),
                    callEngine.policy(), spendEngine, accounts,
                    why -> events.syncFailed("hub-policy", Duration.ZERO, why), clock);
            stopOrder.push(hub);
            HeartbeatSender heartbeats = new HeartbeatSender(URI.create(config.hub().url()), enrollment.credential(),
                    accounts, health, hub.live(), firewall);
            hub.start(() -> heartbeats.send(callEngine.calls()));
        } catch (ListException e) {
            // the list sync says the same; the policy cannot be taken without the agent's own credential and site
            events.syncFailed("hub-policy", Duration.ZERO, e.getMessage());
        }
    }

    public CallEngine calls() {
        return callEngine;
    }

    /** Finished calls with their cost. */
    public CdrRepository cdrs() {
        return cdrs;
    }

    /** The spend IDS; null when {@code ids.enabled} is false. */
    public SpendEngine spend() {
        return spendEngine;
    }

    public AmiAdapter ami() {
        return ami;
    }

    /** The FreeSWITCH adapter, null unless {@code freeswitch.enabled}. */
    public FreeSwitchAdapter freeswitch() {
        return freeswitch;
    }

    public AdminApi api() {
        return api;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Null when no alert channel is configured. */
    public Alerts alerts() {
        return alerts;
    }

    /** Where modules report what is not a decision (community list syncs, PBX sessions): metrics and alerts hear it. */
    public AgentEvents events() {
        return events;
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
