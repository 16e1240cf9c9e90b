package org.tollguard.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tollguard.yamlconfig.Durations;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.DecisionListener;
import org.tollguard.decision.EnforcementListener;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.pbx.PbxConnection;

/**
 * Turns decisions and agent events into {@link Alert}s and hands them on without waiting: the receiving
 * dispatcher only enqueues. A PBX that stays down for {@code pbxDownAfter} raises a critical alert (a restart
 * that takes a few seconds does not), and its return after such an alert another, so that it reaches the same
 * channels.
 */
public final class AlertListener implements DecisionListener, EnforcementListener, AgentEvents, AutoCloseable {
    private final Consumer<Alert> sink;
    private final Duration pbxDownAfter;
    private final Clock clock;
    private final Map<String, Outage> outages = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alerts-pbx-watch");
        t.setDaemon(true);
        return t;
    });

    /** One PBX's current outage; {@code alerted} once the down alert went out. */
    private static final class Outage {
        final Instant since;
        final String detail;
        volatile boolean over;
        volatile boolean alerted;

        Outage(Instant since, String detail) {
            this.since = since;
            this.detail = detail;
        }
    }

    public AlertListener(Consumer<Alert> sink, Duration pbxDownAfter, Clock clock) {
        this.sink = sink;
        this.pbxDownAfter = pbxDownAfter;
        this.clock = clock;
    }

    @Override
    public void onDecision(Decision decision) {
        sink.accept(toAlert(decision));
    }

    /** How urgent a decision is: by kind for the agent's own, lower for the operator's and the community's. */
    static Severity severityOf(Decision d) {
        if (d.kind() == DecisionKind.ALERT) {
            Object declared = d.evidence().get("severity");
            if (declared != null) {
                try {
                    return Severity.fromId(declared.toString());
                } catch (IllegalArgumentException ignored) {
                    // fall through to the default
                }
            }
            return Severity.WARNING;
        }
        if (d.origin() == Origin.COMMUNITY) {
            return Severity.INFO;
        }
        if (d.origin() == Origin.OPERATOR) {
            return Severity.NOTICE;
        }
        return switch (d.kind()) {
            case BLOCK_ACCOUNT -> Severity.CRITICAL;
            case BAN_ADDRESS, HANGUP_CALL -> Severity.WARNING;
            case REFUSE_CALL -> Severity.NOTICE;
            case ALERT -> Severity.WARNING;
        };
    }

    static Alert toAlert(Decision d) {
        String by = d.origin() == Origin.LOCAL ? "" : " (by " + d.origin().id() + ")";
        Object destination = d.evidence().get("destination");
        String summary = switch (d.kind()) {
            case BAN_ADDRESS -> d.target().text() + " banned " + (d.expires() == null ? "permanently"
                    : "for " + Durations.format(Duration.between(d.created(), d.expires()))) + by + ": " + d.reason();
            case BLOCK_ACCOUNT -> "account " + d.target().text() + " blocked" + by + ": " + d.reason();
            case REFUSE_CALL -> "call from " + d.target().text() + (destination == null ? "" : " to " + destination)
                    + " refused: " + d.reason();
            case HANGUP_CALL -> "call from " + d.target().text() + (destination == null ? "" : " to " + destination)
                    + " hung up: " + d.reason();
            case ALERT -> d.target().text() + ": " + d.reason();
        };
        Map<String, Object> details = new LinkedHashMap<>(d.evidence());
        if (d.target() instanceof Target.Call call) {
            details.put("call-id", call.callId());
            details.put("cause", call.cause());
        }
        details.put("origin", d.origin().id());
        if (d.id() > 0) {
            details.put("decision", d.id());
        }
        return new Alert(severityOf(d), d.kind().id(), d.target().text(), summary, details, d.created());
    }

    /** A hang-up that fails once is often a race with the call ending: it alerts when it keeps failing. */
    static final int HANGUP_FAILURES_BEFORE_ALERT = 3;

    @Override
    public void failed(Decision d, String error, int attempts) {
        boolean hangup = d.kind() == DecisionKind.HANGUP_CALL;
        if (attempts != (hangup ? HANGUP_FAILURES_BEFORE_ALERT : 1)) {
            return;
        }
        sink.accept(new Alert(Severity.CRITICAL, "enforcement-failed", d.target().text(),
                d.kind().id() + " " + d.target().text() + " is NOT enforced: " + error + " (failed " + attempts
                        + (attempts == 1 ? " time" : " times") + "; retried until it holds"
                        + (hangup ? " or the call is gone)" : " or expires)"),
                Map.of("decision", d.id(), "kind", d.kind().id(), "attempts", attempts, "error", error), clock.instant()));
    }

    @Override
    public void recovered(Decision d, int attempts) {
        if (d.kind() == DecisionKind.HANGUP_CALL && attempts <= HANGUP_FAILURES_BEFORE_ALERT) {
            return; // its failure was never announced
        }
        sink.accept(new Alert(Severity.NOTICE, "enforcement-recovered", d.target().text(),
                d.kind().id() + " " + d.target().text() + " holds now, after " + attempts + " attempts",
                Map.of("decision", d.id(), "kind", d.kind().id(), "attempts", attempts), clock.instant()));
    }

    @Override
    public void firewallChanged(String what) {
        sink.accept(new Alert(Severity.CRITICAL, "firewall-changed", "firewall", what, Map.of(), clock.instant()));
    }

    @Override
    public void syncFailed(String source, Duration took, String error) {
        sink.accept(new Alert(Severity.WARNING, "sync-failed", source,
                "community list " + source + " not updated: " + error + " (the previous list stays in force)",
                Map.of("took", Durations.format(took)), clock.instant()));
    }

    @Override
    public void connectionChanged(PbxConnection pbx, boolean up, Instant at, String detail) {
        String name = pbx.name();
        if (!up) {
            Outage outage = new Outage(at, detail);
            Outage before = outages.putIfAbsent(name, outage);
            if (before == null) {
                timer.schedule(() -> stillDown(pbx, outage), pbxDownAfter.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        Outage outage = outages.remove(name);
        if (outage != null) {
            outage.over = true;
            if (outage.alerted) {
                // as urgent as the down alert, so that every channel that was told of the outage hears its end
                sink.accept(new Alert(Severity.CRITICAL, "pbx-up", name, name + " is connected again after "
                        + Durations.format(Duration.ofSeconds(Duration.between(outage.since, at).toSeconds())) + " down",
                        Map.of("down-since", outage.since.toString()), at));
            }
        }
    }

    private void stillDown(PbxConnection pbx, Outage outage) {
        if (outage.over || pbx.isConnected()) {
            return;
        }
        outage.alerted = true;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("down-since", outage.since.toString());
        details.put("cause", outage.detail);
        sink.accept(new Alert(Severity.CRITICAL, "pbx-down", pbx.name(), pbx.name() + " has been unreachable since "
                + outage.since + " (" + outage.detail + "): no events are seen, nothing is banned or cut",
                details, clock.instant()));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
