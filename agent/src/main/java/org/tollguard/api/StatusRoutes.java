package org.tollguard.api;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tollguard.Version;
import org.tollguard.alerts.Alerts;
import org.tollguard.alerts.ChannelStatus;
import org.tollguard.ban.BanEngine;
import org.tollguard.calls.CallEngine;
import org.tollguard.calls.CallView;
import org.tollguard.decision.ActiveDecision;
import org.tollguard.decision.Decision;
import org.tollguard.decision.Decisions;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;
import org.tollguard.metrics.Metrics;
import org.tollguard.pbx.PbxConnection;

/**
 * {@code GET /v1/status}: everything {@code tollguard status} shows on one screen. A section whose module is not
 * running is null ("not configured").
 */
public final class StatusRoutes implements Route {
    static final int LIST = 5;
    static final int LAST_DECISIONS = 10;

    private final Clock clock;
    private final Instant started;
    private final Decisions decisions;
    private final List<PbxConnection> pbxs = new ArrayList<>();
    private BanEngine banEngine;
    private CallEngine calls;
    private Metrics metrics;
    private Alerts alerts;

    public StatusRoutes(Clock clock, Decisions decisions) {
        this.clock = clock;
        this.started = clock.instant();
        this.decisions = decisions;
    }

    public StatusRoutes pbx(PbxConnection connection) {
        pbxs.add(connection);
        return this;
    }

    public StatusRoutes banEngine(BanEngine engine) {
        this.banEngine = engine;
        return this;
    }

    public StatusRoutes calls(CallEngine engine) {
        this.calls = engine;
        return this;
    }

    public StatusRoutes metrics(Metrics m) {
        this.metrics = m;
        return this;
    }

    public StatusRoutes alerts(Alerts a) {
        this.alerts = a;
        return this;
    }

    /** The whole screen. */
    public record Status(String version, Instant now, Instant started, List<Pbx> pbx, Bans bans,
                         List<Metrics.SyncState> communityLists, Long outboxDepth, Calls calls,
                         List<Blocked> blockedAccounts, Alerting alerts, Integer metricsPort,
                         List<DecisionLine> lastDecisions, List<Failing> notEnforced) {}

    public record Pbx(String name, boolean up, Instant since) {}

    /**
     * @param active   bans in force by origin
     * @param newest   the newest few in force
     * @param processedEvents/droppedEvents the ban engine's counters (null without one)
     */
    public record Bans(Map<String, Integer> active, int total, List<DecisionLine> newest, Long processedEvents,
                       Long droppedEvents, int failed) {}

    public record Calls(int live, long outgoing, List<CallView> longest) {}

    /** @param enforcement held, pending, failed or unenforced */
    public record Blocked(String account, String reason, String origin, Instant since, String enforcement) {}

    /** A decision in force that is not enforced now: what failed, how often, since when. */
    public record Failing(long id, String kind, String target, String error, int attempts, Instant since) {
        static Failing of(ActiveDecision a) {
            Decision d = a.decision();
            return new Failing(d.id(), d.kind().id(), d.target().text(), a.enforcement().error(),
                    a.enforcement().attempts(), a.enforcement().since());
        }
    }

    public record Alerting(List<ChannelStatus> channels, long dropped) {}

    public record DecisionLine(long id, String kind, String target, String origin, String reason, Instant created,
                               Instant expires, Instant lifted) {
        static DecisionLine of(Decision d) {
            return new DecisionLine(d.id(), d.kind().id(), d.target().text(), d.origin().id(), d.reason(), d.created(),
                    d.expires(), d.lifted());
        }
    }

    @Override
    public Object handle(ApiRequest r) {
        if (!r.method().equals("GET")) {
            throw ApiException.methodNotAllowed(r);
        }
        return status();
    }

    public Status status() {
        Instant now = clock.instant();
        List<Pbx> pbx = pbxs.isEmpty() ? null
                : pbxs.stream().map(p -> new Pbx(p.name(), p.isConnected(), p.stateSince())).toList();

        Map<Origin, Integer> counts = decisions.activeCounts(DecisionKind.BAN_ADDRESS);
        Map<String, Integer> byOrigin = new java.util.LinkedHashMap<>();
        int total = 0;
        for (Origin o : Origin.values()) {
            int n = counts.getOrDefault(o, 0);
            byOrigin.put(o.id(), n);
            total += n;
        }
        List<ActiveDecision> activeBans = decisions.active(DecisionKind.BAN_ADDRESS);
        List<DecisionLine> newest = new ArrayList<>();
        for (int i = activeBans.size() - 1; i >= 0 && newest.size() < LIST; i--) {
            newest.add(DecisionLine.of(activeBans.get(i).decision()));
        }
        Bans bans = new Bans(byOrigin, total, newest,
                banEngine == null ? null : banEngine.processedEvents(), banEngine == null ? null : banEngine.droppedEvents(),
                decisions.failedCounts().getOrDefault(DecisionKind.BAN_ADDRESS, 0));

        List<Metrics.SyncState> community = metrics == null || metrics.syncs().isEmpty() ? null : metrics.syncs();
        Long outbox = metrics == null ? null : metrics.outboxDepth();

        Calls live = null;
        if (calls != null) {
            List<CallView> all = calls.calls();
            live = new Calls(all.size(), all.stream().filter(CallView::outgoing).count(),
                    all.stream().sorted((a, b) -> Long.compare(b.durationSeconds(), a.durationSeconds())
                            ).limit(LIST).toList());
        }

        List<Blocked> blocked = decisions.active(DecisionKind.BLOCK_ACCOUNT).stream()
                .map(a -> new Blocked(a.decision().target().text(), a.decision().reason(), a.decision().origin().id(),
                        a.decision().created(), a.enforcement().state().id())).toList();
        List<Failing> failing = new ArrayList<>();
        for (DecisionKind kind : DecisionKind.values()) {
            decisions.active(kind).stream().filter(a -> a.enforcement().failed()).map(Failing::of).forEach(failing::add);
        }

        Alerting alerting = alerts == null ? null : new Alerting(alerts.channels(), alerts.dropped());
        Integer port = metrics == null || metrics.port() < 0 ? null : metrics.port();
        List<DecisionLine> last = decisions.recent(LAST_DECISIONS).stream().map(DecisionLine::of).toList();
        return new Status(Version.get(), now, started, pbx, bans, community, outbox, live, blocked, alerting, port, last,
                failing);
    }
}
