package org.tollguard.freeswitch;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.config.FreeSwitchConfig;
import org.tollguard.freeswitch.esl.EslClient;
import org.tollguard.freeswitch.esl.EslConfig;
import org.tollguard.freeswitch.esl.EslEvent;
import org.tollguard.freeswitch.esl.EslListener;
import org.tollguard.freeswitch.esl.EslLogLine;
import org.tollguard.pbx.ConnectionState;
import org.tollguard.pbx.PbxConnection;
import org.tollguard.pbx.PbxConnectionListener;
import org.tollguard.pbx.PbxControl;
import org.tollguard.pbx.PbxEventListener;

/**
 * Keeps an Event Socket connection to FreeSWITCH and turns what it reports into PBX-neutral events, the
 * FreeSWITCH counterpart of the Asterisk AMI adapter.
 *
 * <p>Subscribes to {@code CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE} and {@code CUSTOM
 * sofia::pre_register sofia::register_failure sofia::register_attempt sofia::register}, and streams the log at
 * {@code log-level} (WARNING) for the Event Socket ACL lines. See {@link AuthMapper} for the
 * authentication events and {@link CallTracker} / {@link ChannelFields} for calls. After every (re)connect it asks
 * for {@code show channels as json} and delivers the merged result as a
 * {@link org.tollguard.pbx.LiveCallsSnapshot} through the same listener.
 *
 * <p>Everything runs on the client's reader thread and only converts and hands over: the listener must not block
 * (the engines enqueue). Reconnecting with back-off is the client's job ({@link EslClient}).
 */
public final class FreeSwitchAdapter implements PbxConnection, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FreeSwitchAdapter.class);
    /** The global variable {@code freeswitch-conf/dialplan/tollguard.xml} reads. */
    static final String EMERGENCY_VARIABLE = "tollguard_emergency";
    private static final Pattern VERSION = Pattern.compile("FreeSWITCH Version (\\S+)");

    private final FreeSwitchConfig config;
    private final Clock clock;
    private final AuthMapper auth;
    private final CallTracker calls;
    private final EslClient client;
    private final FreeSwitchControl control;
    private final ConnectionState state;
    private volatile boolean closed;
    private final String emergencyDialStrings;
    private volatile String version;

    /**
     * @param emergencyDialStrings every dial string of an emergency number, set as the global variable
     *                             {@code tollguard_emergency} on every connect for the dialplan's fail-closed path
     */
    public FreeSwitchAdapter(FreeSwitchConfig config, Clock clock, PbxEventListener listener,
                             List<String> emergencyDialStrings) {
        this(config, clock, listener, emergencyDialStrings, Duration.ofSeconds(1));
    }

    /** {@code initialBackoff}: the first reconnect delay (tests shorten it). */
    FreeSwitchAdapter(FreeSwitchConfig config, Clock clock, PbxEventListener listener,
                      List<String> emergencyDialStrings, Duration initialBackoff) {
        this.config = config;
        this.emergencyDialStrings = String.join("|", emergencyDialStrings);
        this.clock = clock;
        this.state = new ConnectionState(this, clock);
        this.auth = new AuthMapper(clock, listener);
        this.calls = new CallTracker(clock, listener, CallDirection.of(config));
        EslConfig esl = EslConfig.builder(config.host(), config.port(), config.password().value())
                .events("CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE")
                .customEvents(AuthMapper.PRE_REGISTER, AuthMapper.REGISTER_FAILURE, AuthMapper.REGISTER_ATTEMPT,
                        AuthMapper.REGISTER)
                .logLevel(config.logLevel())
                .backoff(min(initialBackoff, config.reconnectMax()), config.reconnectMax())
                .connectTimeout(config.connectTimeout())
                .build();
        this.client = new EslClient(esl, new Listener());
        this.control = new FreeSwitchControl(client, calls, () -> version);
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        log.info("connecting to FreeSWITCH Event Socket host={} port={}", config.host(), config.port());
        client.start();
    }

    @Override
    public String name() {
        return "freeswitch " + config.host() + ":" + config.port();
    }

    @Override
    public void addConnectionListener(PbxConnectionListener l) {
        state.addListener(l);
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    /** When the connection last went up or down; null before the first attempt ended. */
    @Override
    public Instant stateSince() {
        return state.since();
    }


    /** Hang-up and live-call listing (Event Socket commands). */
    public PbxControl control() {
        return control;
    }

    /** Calls tracked now. */
    /** FreeSWITCH's version as its {@code version} api gave it, or null before the first connect. */
    public String pbxVersion() {
        return version;
    }

    public int liveCallCount() {
        return calls.size();
    }

    @Override
    public void close() {
        closed = true;
        state.closing();
        client.close();
        log.info("FreeSWITCH adapter closed host={} port={}", config.host(), config.port());
    }

    private final class Listener implements EslListener {
        @Override
        public void onConnected() {
            state.changed(true, "connected");
            client.api("version").orTimeout(FreeSwitchControl.TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .thenAccept(body -> {
                        Matcher m = VERSION.matcher(body);
                        version = m.find() ? m.group(1) : Text.clean(body.strip());
                        log.info("FreeSWITCH version={}", version);
                    })
                    .exceptionally(t -> null);
            tellEmergencyNumbers();
            calls.resyncStarted();
            client.api("show channels as json").orTimeout(FreeSwitchControl.TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .whenComplete((body, t) -> {
                        if (t != null) {
                            log.warn("cannot resynchronise calls after connecting error=\"{}\"", t.getMessage());
                            calls.resyncFailed();
                            return;
                        }
                        try {
                            calls.resynced(ChannelRows.parse(body));
                        } catch (IOException | RuntimeException e) {
                            log.error("cannot resynchronise calls after connecting error=\"{}\"", e.getMessage());
                            calls.resyncFailed();
                        }
                    });
        }

        @Override
        public void onEvent(EslEvent e) {
            switch (e.name()) {
                case "CHANNEL_CREATE" -> {
                    ChannelFields channel = new ChannelFields(e::header);
                    if (channel.isCountedLeg() && channel.isDigestAuthenticated()) {
                        auth.onAuthenticatedInvite(channel, e);
                    }
                    calls.onCreate(channel);
                }
                case "CHANNEL_ANSWER" -> calls.onAnswer(e.header("Unique-ID"));
                case "CHANNEL_HANGUP_COMPLETE" -> calls.onHangupComplete(new ChannelFields(e::header));
                case "CUSTOM" -> auth.onEvent(e);
                default -> {
                    // HEARTBEAT, RE_SCHEDULE... when subscribed to more than we need
                }
            }
        }

        @Override
        public void onLog(EslLogLine line) {
            auth.onLog(line);
        }

        @Override
        public void onDisconnected(String reason) {
            state.changed(false, reason == null || reason.isBlank() ? "disconnected" : reason);
        }

        @Override
        public void onAuthFailed(String reply) {
            state.changed(false, "login refused: " + reply);
        }
    }

    /** The verdict context's fail-closed path lets these through when the agent cannot be reached. */
    private void tellEmergencyNumbers() {
        if (emergencyDialStrings.isEmpty()) {
            return;
        }
        client.api("global_setvar " + EMERGENCY_VARIABLE + "=" + emergencyDialStrings)
                .orTimeout(FreeSwitchControl.TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .whenComplete((body, t) -> {
                    if (t == null && body.startsWith("+OK")) {
                        log.info("emergency numbers set in the dialplan {}={}", EMERGENCY_VARIABLE, emergencyDialStrings);
                    } else {
                        log.error("emergency numbers not set in the dialplan ({}): {}", EMERGENCY_VARIABLE,
                                t != null ? t.getMessage() : Text.clean(body.strip()));
                    }
                });
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
