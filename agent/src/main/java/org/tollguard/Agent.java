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
import org.tollguard.ban.NeverBan;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decisions;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.FirewallEnforcer;
import org.tollguard.firewall.FirewallException;
import org.tollguard.firewall.Firewalls;
import org.tollguard.freeswitch.FreeSwitchAdapter;
import org.tollguard.freeswitch.PreDialServer;
import org.tollguard.pbx.PreDialAnswer;
import org.tollguard.pbx.PreDialCheck;
import org.tollguard.store.DecisionRepository;
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
    private FreeSwitchAdapter freeswitch;
    private PreDialServer freeswitchPreDial;

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

        try {
            api = new AdminApi(config.api(), ApiToken.loadOrCreate(config.api().tokenFile()), bans, clock);
        } catch (IOException e) {
            throw new StartupException("admin api on " + config.api().listen() + ":" + config.api().port() + ": " + e.getMessage());
        }
        stopOrder.push(api);

        if (config.asterisk().enabled()) {
            ami = new AmiAdapter(config.asterisk(), clock, banEngine);
            stopOrder.push(ami);
            ami.start();
        }

        if (config.freeswitch().enabled()) {
            freeswitch = new FreeSwitchAdapter(config.freeswitch(), clock, banEngine);
            stopOrder.push(freeswitch);
            freeswitch.start();
            if (config.freeswitch().preDial().enabled()) {
                freeswitchPreDial = new PreDialServer(config.freeswitch().preDial(), config.freeswitch().host(),
                        preDialCheck());
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

    /**
     * The answer to "may this call be dialled?". Hook for the call policy (calls/): until it is wired here every
     * call is allowed, and said so once at start-up.
     */
    private static PreDialCheck preDialCheck() {
        log.warn("pre-dial check: no call policy wired yet, every call is allowed");
        return request -> PreDialAnswer.allow("no call policy");
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

    /** The FreeSWITCH adapter, null unless {@code freeswitch.enabled}. */
    public FreeSwitchAdapter freeswitch() {
        return freeswitch;
    }

    /** The FreeSWITCH pre-dial server, null unless FreeSWITCH and its pre-dial check are enabled. */
    public PreDialServer freeswitchPreDial() {
        return freeswitchPreDial;
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
