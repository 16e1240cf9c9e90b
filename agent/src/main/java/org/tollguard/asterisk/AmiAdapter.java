package org.tollguard.asterisk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.action.GetVarAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.event.CdrEvent;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.AsteriskConfig;
import org.tollguard.pbx.LiveCallsSnapshot;
import org.tollguard.pbx.ConnectionState;
import org.tollguard.pbx.PbxConnection;
import org.tollguard.pbx.PbxConnectionListener;
import org.tollguard.pbx.PbxControl;
import org.tollguard.pbx.PbxEventListener;

/**
 * Keeps an AMI session to Asterisk and turns its events into PBX-neutral events. The first connection is retried
 * with exponential back-off; once logged in, asterisk-java reconnects by itself after Asterisk restarts, and we
 * log both ends of every outage. Event callbacks only convert and hand over: nothing here blocks.
 *
 * <p>Security events come on a second session of our own ({@link AmiSecurityStream}); asterisk-java has calls,
 * CDRs and actions. The adapter is up only while both sessions are.
 */
public final class AmiAdapter implements PbxConnection, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AmiAdapter.class);
    private static final String EVENT_MASK = "call,system,cdr";

    private final AsteriskConfig config;
    private final Clock clock;
    private final PbxEventListener listener;
    private final AtomicReference<ManagerConnection> connection = new AtomicReference<>();
    private final AmiCallTracker calls;
    private final AmiControl control;
    private final List<String> emergencyDialStrings;
    private final ConnectionState state;
    private final AmiSecurityStream security;
    private volatile boolean managerUp;
    private volatile String managerDetail = "not connected yet";
    private volatile String securityDetail = "security events: not connected yet";
    private volatile boolean closed;
    private Thread connector;
    private final ScheduledExecutorService resyncTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ami-resync");
        t.setDaemon(true);
        return t;
    });

    public AmiAdapter(AsteriskConfig config, Clock clock, PbxEventListener listener) {
        this(config, clock, listener, List.of());
    }

    /**
     * @param emergencyDialStrings every dial string of an emergency number, set as the global
     *                             {@code TOLLGUARD_EMERGENCY} on every connect for the dialplan's fail-closed path
     */
    public AmiAdapter(AsteriskConfig config, Clock clock, PbxEventListener listener,
                      List<String> emergencyDialStrings) {
        this.emergencyDialStrings = List.copyOf(emergencyDialStrings);
        this.config = config;
        this.clock = clock;
        this.state = new ConnectionState(this, clock);
        this.listener = listener;
        this.calls = new AmiCallTracker(clock, listener, CallDirection.of(config));
        this.control = new AmiControl(connection::get, calls);
        this.security = new AmiSecurityStream(config, clock, listener, (up, detail) -> securityChanged(detail));
    }

    /** Hang-ups and live-call listings on this Asterisk. */
    public PbxControl control() {
        return control;
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        connector = new Thread(this::connectUntilLoggedIn, "ami-connect");
        connector.setDaemon(true);
        connector.start();
        security.start();
        long every = config.resyncInterval().toMillis();
        resyncTimer.scheduleWithFixedDelay(() -> {
            if (managerConnected()) {
                resync();
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "asterisk " + config.host() + ":" + config.port();
    }

    @Override
    public void addConnectionListener(PbxConnectionListener l) {
        state.addListener(l);
    }

    @Override
    public boolean isConnected() {
        return managerConnected() && security.isConnected();
    }

    private boolean managerConnected() {
        ManagerConnection c = connection.get();
        return c != null && c.getState() == ManagerConnectionState.CONNECTED;
    }

    /** Whether the security events' own session is logged in (part of {@link #isConnected}). */
    public boolean securityEventsConnected() {
        return security.isConnected();
    }

    private void manager(boolean up, String detail) {
        managerUp = up;
        managerDetail = detail;
        changed(detail);
    }

    private void securityChanged(String detail) {
        securityDetail = detail;
        changed(detail);
    }

    /** Up when both sessions are; a down names the session that is down and why. */
    private synchronized void changed(String detail) {
        if (managerUp && security.isConnected()) {
            state.changed(true, detail);
        } else {
            state.changed(false, managerUp ? securityDetail : managerDetail);
        }
    }

    /** Asterisk's version as AMI reported it at login, or null before the first login. */
    public String pbxVersion() {
        ManagerConnection c = connection.get();
        try {
            return c == null || c.getVersion() == null ? null : c.getVersion().toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** When the connection last went up or down. */
    @Override
    public Instant stateSince() {
        return state.since();
    }


    private void connectUntilLoggedIn() {
        Duration delay = Duration.ofSeconds(1);
        while (!closed) {
            ManagerConnection c = newConnection();
            try {
                c.login(EVENT_MASK);
                connection.set(c);
                manager(true, "connected");
                log.info("ami connected host={} port={} version={}", config.host(), config.port(), c.getVersion());
                tellEmergencyNumbers();
                resync();
                return;
            } catch (AuthenticationFailedException e) {
                log.error("ami login refused host={} port={} username={} reason=\"wrong username or secret, or no permit for this address\"",
                        config.host(), config.port(), config.username());
                manager(false, "login refused (wrong username or secret, or no permit for this address)");
            } catch (Exception e) {
                log.warn("ami connect failed host={} port={} error=\"{}\" retry-in={}s", config.host(), config.port(),
                        e.getMessage(), delay.toSeconds());
                manager(false, "connect failed: " + e.getMessage());
            }
            safeLogoff(c);
            sleep(delay);
            delay = min(delay.multipliedBy(2), config.reconnectMax());
        }
    }

    private ManagerConnection newConnection() {
        ManagerConnection c = new ManagerConnectionFactory(config.host(), config.port(), config.username(),
                config.secret().value()).createManagerConnection();
        c.setSocketTimeout((int) config.connectTimeout().toMillis());
        c.addEventListener(new Listener());
        return c;
    }

    private final class Listener implements ManagerEventListener {
        @Override
        public void onManagerEvent(ManagerEvent event) {
            if (event instanceof NewChannelEvent created && calls.isCallStart(created)) {
                fetchSourceThenStart(created);
            } else if (event instanceof DialBeginEvent dial) {
                calls.dialling(dial);
            } else if (event instanceof NewStateEvent state) {
                calls.stateChanged(state);
            } else if (event instanceof HangupEvent hangup) {
                calls.hungUp(hangup);
            } else if (event instanceof CdrEvent cdr) {
                calls.recorded(cdr);
            } else if (event instanceof DisconnectEvent) {
                manager(false, "disconnected");
                log.warn("ami disconnected host={} port={} (reconnecting)", config.host(), config.port());
            } else if (event instanceof ConnectEvent) {
                if (connection.get() != null) {
                    manager(true, "reconnected");
                    log.info("ami reconnected host={} port={}", config.host(), config.port());
                    tellEmergencyNumbers();
                    resync();
                }
            }
        }
    }

    /** The caller's signalling address is not in Newchannel: ask for it without waiting, then report the call. */
    private void fetchSourceThenStart(NewChannelEvent e) {
        Instant at = clock.instant();
        calls.starting(e, at);
        ManagerConnection c = connection.get();
        try {
            c.sendAction(new GetVarAction(e.getChannel(), "CHANNEL(pjsip,remote_addr)"),
                    response -> calls.sourceKnown(e.getUniqueId(), AmiCallTracker.parseRemoteAddr(response.getAttribute("Value"))));
        } catch (Exception ex) {
            log.warn("cannot read the caller's address channel={} error=\"{}\"", e.getChannel(), ex.getMessage());
            calls.sourceKnown(e.getUniqueId(), null);
        }
    }

    /** The dialplan include's fail-closed path lets these through when the agent cannot be reached. */
    private void tellEmergencyNumbers() {
        if (emergencyDialStrings.isEmpty()) {
            return;
        }
        String value = String.join("|", emergencyDialStrings);
        try {
            connection.get().sendAction(new SetVarAction("TOLLGUARD_EMERGENCY", value), response -> {
                if (response instanceof ManagerError error) {
                    log.error("emergency numbers not set in the dialplan (TOLLGUARD_EMERGENCY): {}", error.getMessage());
                } else {
                    log.info("emergency numbers set in the dialplan TOLLGUARD_EMERGENCY={}", value);
                }
            });
        } catch (Exception e) {
            log.error("emergency numbers not set in the dialplan (TOLLGUARD_EMERGENCY): {}", e.getMessage());
        }
    }

    /** After every (re)connect and periodically: the calls Asterisk has now, for the engines to rebuild their tables. */
    private void resync() {
        control.liveCalls().whenComplete((live, error) -> {
            if (error != null) {
                log.warn("ami live call resync failed error=\"{}\"", error.getMessage());
            } else {
                listener.onEvent(new LiveCallsSnapshot(live, clock.instant()));
            }
        });
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static void safeLogoff(ManagerConnection c) {
        try {
            if (c.getState() == ManagerConnectionState.CONNECTED || c.getState() == ManagerConnectionState.RECONNECTING) {
                c.logoff();
            }
        } catch (RuntimeException ignored) {
            // already broken
        }
    }

    @Override
    public void close() {
        closed = true;
        resyncTimer.shutdownNow();
        state.closing();
        security.close();
        if (connector != null) {
            connector.interrupt();
        }
        ManagerConnection c = connection.getAndSet(null);
        if (c != null) {
            safeLogoff(c);
            log.info("ami closed host={} port={}", config.host(), config.port());
        }
    }
}
