package org.tollguard.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.alerts.AgentEvents;
import org.tollguard.alerts.ChannelStatus;
import org.tollguard.config.MetricsConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.DecisionListener;
import org.tollguard.decision.EnforcementListener;
import org.tollguard.decision.Origin;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.LiveCallsSnapshot;
import org.tollguard.pbx.PbxConnection;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.pbx.PbxEventListener;

/**
 * The agent's Prometheus metrics (the official Java client) and their exporter on a loopback port. Counters
 * are fed by listeners (PBX events, decisions, enforcement); gauges read live state when scraped. Other
 * modules report into it without knowing Prometheus:
 *
 * <ul>
 *   <li>{@link #syncSource} at start-up, then {@link #syncCompleted} / {@link #syncFailed} (as
 *       {@link AgentEvents}, through the agent's fan-out so that failures are alerted too): community list
 *       imports;
 *   <li>{@link #outboxDepth(LongSupplier)}: the report outbox's backlog.
 * </ul>
 *
 * <p>Metric names (all prefixed {@code tollguard_}):
 * <pre>
 * pbx_events_total{event}                     PBX events received: auth-failed, auth-challenged, auth-succeeded,
 *                                             auth-notice, call-started, call-answered, call-ended, live-calls
 * ban_engine_events_processed_total           authentication events the ban engine handled
 * ban_engine_events_dropped_total             ... and dropped because its queue was full
 * decisions_total{kind,origin}                decisions taken (kind: ban-address, block-account, refuse-call,
 *                                             hangup-call, alert; origin: local, community, operator)
 * bans_total{origin}                          address bans taken
 * bans_active{origin}                         address bans in force (read from the decision ledger)
 * enforcement_failures_total{kind}            attempts to apply a decision that failed (each is retried)
 * enforcement_failing{kind}                   decisions not enforced now, being retried
 * blocked_accounts                            accounts blocked now
 * live_calls                                  calls in progress
 * pbx_up{pbx}                                 1 while the PBX session is up, else 0
 * pbx_state_change_timestamp_seconds{pbx}     when it last went up or down
 * ban_latency_seconds                         histogram: from the event that crossed a threshold to the ban
 *                                             handed to the firewall (local bans)
 * community_sync_duration_seconds{source}     histogram: community list imports, successful or not
 * community_list_size{source}                 entries in the last imported list
 * community_sync_last_success_timestamp_seconds{source}
 * community_sync_failures_total{source}
 * outbox_depth                                reports waiting to be sent upstream
 * alert_messages_total{channel}               alert messages delivered
 * alert_failures_total{channel}               alert send attempts that failed
 * alerts_dropped_total                        alerts lost because the alert queue was full
 * </pre>
 * A metric whose module is not running (no PBX adapter, no community lists, no outbox, no alerts) is absent from
 * the scrape until the module reports.
 */
public final class Metrics implements DecisionListener, EnforcementListener, PbxEventListener, AgentEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Metrics.class);
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Clock clock;
    private final Map<String, CounterDataPoint> events = new HashMap<>();
    private final Counter decisions;
    private final Counter bans;
    private final Histogram banLatency;
    private final Histogram syncDuration;
    private final Counter syncFailures;
    private final List<PbxConnection> pbxs = new CopyOnWriteArrayList<>();
    private final Map<String, SyncState> syncs = new ConcurrentHashMap<>();
    private final AtomicReference<LongSupplier> liveCalls = new AtomicReference<>();
    private final AtomicReference<LongSupplier> blockedAccounts = new AtomicReference<>();
    private final AtomicReference<LongSupplier> outbox = new AtomicReference<>();
    private final AtomicReference<LongSupplier> processed = new AtomicReference<>();
    private final AtomicReference<LongSupplier> dropped = new AtomicReference<>();
    private final AtomicReference<Supplier<List<ChannelStatus>>> alertChannels = new AtomicReference<>();
    private final AtomicReference<LongSupplier> alertsDropped = new AtomicReference<>();
    private final AtomicReference<Supplier<Map<Origin, Integer>>> activeBans = new AtomicReference<>();
    private final AtomicReference<Supplier<Map<DecisionKind, Integer>>> failing = new AtomicReference<>();
    private final Counter enforcementFailures;
    private HTTPServer server;

    /**
     * The last import of a community list source, for the status screen.
     *
     * @param size        entries in the last list imported (-1 before the first success)
     * @param lastSuccess null before the first success
     * @param lastError   the last failure's message, null if the last attempt succeeded
     */
    public record SyncState(String source, long size, Instant lastAttempt, Instant lastSuccess, Duration took,
                            String lastError) {}

    public Metrics(Clock clock) {
        this.clock = clock;
        Counter eventCounter = Counter.builder().name("tollguard_pbx_events_total")
                .help("PBX events received, by event").labelNames("event").withoutExemplars().register(registry);
        for (String e : List.of("auth-failed", "auth-challenged", "auth-succeeded", "auth-notice", "call-started",
                "call-answered", "call-ended", "live-calls", "other")) {
            events.put(e, eventCounter.labelValues(e));
        }
        CounterWithCallback.builder().name("tollguard_ban_engine_events_processed_total")
                .help("Authentication events the ban engine handled")
                .callback(cb -> read(processed).ifPresent(v -> cb.call(v))).register(registry);
        CounterWithCallback.builder().name("tollguard_ban_engine_events_dropped_total")
                .help("Authentication events the ban engine dropped because its queue was full")
                .callback(cb -> read(dropped).ifPresent(v -> cb.call(v))).register(registry);
        decisions = Counter.builder().name("tollguard_decisions_total").help("Decisions taken, by kind and origin")
                .labelNames("kind", "origin").withoutExemplars().register(registry);
        bans = Counter.builder().name("tollguard_bans_total").help("Address bans taken, by origin")
                .labelNames("origin").withoutExemplars().register(registry);
        for (Origin o : Origin.values()) {
            bans.labelValues(o.id());
            for (DecisionKind k : DecisionKind.values()) {
                decisions.labelValues(k.id(), o.id());
            }
        }
        GaugeWithCallback.builder().name("tollguard_bans_active").help("Address bans in force, by origin")
                .labelNames("origin").callback(cb -> {
                    if (activeBans.get() != null) {
                        Map<Origin, Integer> counts = activeBans.get().get();
                        for (Origin o : Origin.values()) {
                            cb.call(counts.getOrDefault(o, 0), o.id());
                        }
                    }
                }).register(registry);
        enforcementFailures = Counter.builder().name("tollguard_enforcement_failures_total")
                .help("Attempts to apply a decision that failed (each is retried), by kind")
                .labelNames("kind").withoutExemplars().register(registry);
        for (DecisionKind k : DecisionKind.values()) {
            enforcementFailures.labelValues(k.id());
        }
        GaugeWithCallback.builder().name("tollguard_enforcement_failing")
                .help("Decisions not enforced now (their enforcement failed and is being retried), by kind")
                .labelNames("kind").callback(cb -> {
                    if (failing.get() != null) {
                        Map<DecisionKind, Integer> counts = failing.get().get();
                        for (DecisionKind k : DecisionKind.values()) {
                            cb.call(counts.getOrDefault(k, 0), k.id());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("tollguard_blocked_accounts").help("Accounts blocked now")
                .callback(cb -> read(blockedAccounts).ifPresent(v -> cb.call(v))).register(registry);
        GaugeWithCallback.builder().name("tollguard_live_calls").help("Calls in progress")
                .callback(cb -> read(liveCalls).ifPresent(v -> cb.call(v))).register(registry);
        GaugeWithCallback.builder().name("tollguard_pbx_up").help("1 while the PBX session is up, else 0")
                .labelNames("pbx").callback(cb -> pbxs.forEach(p -> cb.call(p.isConnected() ? 1 : 0, p.name())))
                .register(registry);
        GaugeWithCallback.builder().name("tollguard_pbx_state_change_timestamp_seconds")
                .help("When the PBX session last went up or down (Unix time)").labelNames("pbx")
                .callback(cb -> pbxs.forEach(p -> {
                    Instant since = p.stateSince();
                    if (since != null) {
                        cb.call(since.toEpochMilli() / 1000.0, p.name());
                    }
                })).register(registry);
        banLatency = Histogram.builder().name("tollguard_ban_latency_seconds")
                .help("From the event that crossed a threshold to the ban handed to the firewall (local bans)")
                .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .withoutExemplars().register(registry);
        syncDuration = Histogram.builder().name("tollguard_community_sync_duration_seconds")
                .help("Community list imports, successful or not, by source").labelNames("source")
                .classicOnly().classicUpperBounds(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
                .withoutExemplars().register(registry);
        syncFailures = Counter.builder().name("tollguard_community_sync_failures_total")
                .help("Community list imports that failed, by source").labelNames("source").withoutExemplars()
                .register(registry);
        GaugeWithCallback.builder().name("tollguard_community_list_size")
                .help("Entries in the last imported community list, by source").labelNames("source")
                .callback(cb -> syncs.values().forEach(s -> {
                    if (s.size() >= 0) {
                        cb.call(s.size(), s.source());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("tollguard_community_sync_last_success_timestamp_seconds")
                .help("When each community list source was last imported (Unix time)").labelNames("source")
                .callback(cb -> syncs.values().forEach(s -> {
                    if (s.lastSuccess() != null) {
                        cb.call(s.lastSuccess().toEpochMilli() / 1000.0, s.source());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("tollguard_outbox_depth").help("Reports waiting to be sent upstream")
                .callback(cb -> read(outbox).ifPresent(v -> cb.call(v))).register(registry);
        CounterWithCallback.builder().name("tollguard_alert_messages_total").help("Alert messages delivered, by channel")
                .labelNames("channel").callback(cb -> channels().forEach(c -> cb.call(c.messagesSent(), c.name())))
                .register(registry);
        CounterWithCallback.builder().name("tollguard_alert_failures_total")
                .help("Alert send attempts that failed, by channel").labelNames("channel")
                .callback(cb -> channels().forEach(c -> cb.call(c.failedAttempts(), c.name()))).register(registry);
        CounterWithCallback.builder().name("tollguard_alerts_dropped_total")
                .help("Alerts lost because the alert queue was full")
                .callback(cb -> read(alertsDropped).ifPresent(v -> cb.call(v))).register(registry);
    }

    // ---------------------------------------------------------------- the exporter

    /** Serves {@code /metrics} as {@code config} says; returns this. A port in use fails with the reason. */
    public Metrics serve(MetricsConfig config) throws IOException {
        if (!config.enabled()) {
            return this;
        }
        server = HTTPServer.builder().hostname(config.listen()).port(config.port()).registry(registry)
                .executorService(Executors.newFixedThreadPool(1, r -> {
                    Thread t = new Thread(r, "metrics-http");
                    t.setDaemon(true);
                    return t;
                }))
                .buildAndStart();
        log.info("metrics listening address={} port={} path=/metrics", config.listen(), server.getPort());
        return this;
    }

    /** The exporter's port, or -1 when it is not serving. */
    public int port() {
        return server == null ? -1 : server.getPort();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    // ---------------------------------------------------------------- what the agent wires in

    public void pbx(PbxConnection connection) {
        pbxs.add(connection);
    }

    public void liveCalls(LongSupplier count) {
        liveCalls.set(count);
    }

    public void blockedAccounts(LongSupplier count) {
        blockedAccounts.set(count);
    }

    public void banEngine(LongSupplier processedEvents, LongSupplier droppedEvents) {
        processed.set(processedEvents);
        dropped.set(droppedEvents);
    }

    /** Where the counts of bans in force come from (read at most every 10s). */
    public void activeBans(Supplier<Map<Origin, Integer>> counts) {
        activeBans.set(counts);
    }

    /** Decisions whose enforcement is failing now, by kind. */
    public void failingEnforcement(Supplier<Map<DecisionKind, Integer>> counts) {
        failing.set(counts);
    }

    public void alerts(Supplier<List<ChannelStatus>> channels, LongSupplier droppedAlerts) {
        alertChannels.set(channels);
        alertsDropped.set(droppedAlerts);
    }

    /** For the report outbox: its backlog, read when scraped. */
    public void outboxDepth(LongSupplier depth) {
        outbox.set(depth);
    }

    // ---------------------------------------------------------------- listeners

    /** Counts a PBX event (on the adapter's thread: an add, nothing more). */
    @Override
    public void onEvent(PbxEvent event) {
        String name;
        if (event instanceof AuthEvent auth) {
            name = "auth-" + auth.outcome().name().toLowerCase();
        } else if (event instanceof CallStarted) {
            name = "call-started";
        } else if (event instanceof CallAnswered) {
            name = "call-answered";
        } else if (event instanceof CallEnded) {
            name = "call-ended";
        } else if (event instanceof LiveCallsSnapshot) {
            name = "live-calls";
        } else {
            name = "other";
        }
        CounterDataPoint c = events.get(name);
        (c != null ? c : events.get("other")).inc();
    }

    @Override
    public void onDecision(Decision d) {
        decisions.labelValues(d.kind().id(), d.origin().id()).inc();
        if (d.kind() == DecisionKind.BAN_ADDRESS) {
            bans.labelValues(d.origin().id()).inc();
        }
    }

    @Override
    public void failed(Decision d, String error, int attempts) {
        enforcementFailures.labelValues(d.kind().id()).inc();
    }

    @Override
    public void enforced(Decision d, Instant enforcedAt) {
        if (d.kind() == DecisionKind.BAN_ADDRESS && d.origin() == Origin.LOCAL) {
            double seconds = Duration.between(d.created(), enforcedAt).toNanos() / 1e9;
            banLatency.observe(Math.max(0, seconds));
        }
    }

    /** Declares a community list source at start-up, so that status and metrics show it before its first import. */
    public void syncSource(String source) {
        syncs.putIfAbsent(source, new SyncState(source, -1, null, null, null, null));
    }

    @Override
    public void syncCompleted(String source, Duration took, long size) {
        syncDuration.labelValues(source).observe(took.toNanos() / 1e9);
        syncFailures.labelValues(source); // the series exists from the first sync on
        Instant now = clock.instant();
        syncs.put(source, new SyncState(source, size, now, now, took, null));
    }

    @Override
    public void syncFailed(String source, Duration took, String error) {
        syncDuration.labelValues(source).observe(took.toNanos() / 1e9);
        syncFailures.labelValues(source).inc();
        SyncState before = syncs.get(source);
        syncs.put(source, new SyncState(source, before == null ? -1 : before.size(), clock.instant(),
                before == null ? null : before.lastSuccess(), took, error));
    }

    /** Every community list source heard of, by name. */
    public List<SyncState> syncs() {
        return new ArrayList<>(new TreeMap<>(syncs).values());
    }

    /** The outbox backlog, or null without an outbox. */
    public Long outboxDepth() {
        return read(outbox).orElse(null);
    }

    // ---------------------------------------------------------------- internals


    private List<ChannelStatus> channels() {
        Supplier<List<ChannelStatus>> s = alertChannels.get();
        return s == null ? List.of() : s.get();
    }

    private static java.util.Optional<Long> read(AtomicReference<LongSupplier> ref) {
        LongSupplier s = ref.get();
        return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.getAsLong());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
