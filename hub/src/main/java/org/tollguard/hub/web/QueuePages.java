package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tollguard.hub.review.Alerts;
import org.tollguard.hub.review.AuditLog;
import org.tollguard.hub.review.Candidate;
import org.tollguard.hub.review.Charts;
import org.tollguard.hub.review.DecisionResult;
import org.tollguard.hub.review.Decisions;
import org.tollguard.hub.review.Evidence;
import org.tollguard.hub.review.Grouping;
import org.tollguard.hub.review.QueueQuery;
import org.tollguard.hub.review.Reporters;
import org.tollguard.hub.review.ReviewQueue;

/** The queue (filter, sort, bulk approve/reject with a reason) and a candidate's page (evidence, reporters, history). */
final class QueuePages {
    private final ReviewQueue queue;
    private final Decisions decisions;
    private final Reporters reporters;
    private final Alerts alerts;
    private final Charts charts;
    private final AuditLog audit;
    private final Evidence evidence;
    private final Pages pages;

    QueuePages(ReviewQueue queue, Decisions decisions, Reporters reporters, Alerts alerts, Charts charts,
               AuditLog audit, Evidence evidence, Pages pages) {
        this.queue = queue;
        this.decisions = decisions;
        this.reporters = reporters;
        this.alerts = alerts;
        this.charts = charts;
        this.audit = audit;
        this.evidence = evidence;
        this.pages = pages;
    }

    void routes(RoutesConfig routes) {
        routes.get("/review/queue", this::queue, WebRole.REVIEWER);
        routes.post("/review/queue/decide", this::decide, WebRole.REVIEWER);
        routes.get("/review/candidate", this::candidate, WebRole.REVIEWER);
    }

    private void queue(Context ctx) throws SQLException {
        QueueQuery query = new QueueQuery(Grouping.parse(ctx.queryParam("group")), ctx.queryParam("q"),
                Forms.intParam(ctx.queryParam("min-operators"), 0), "on".equals(ctx.queryParam("not-spoofed")),
                QueueQuery.Sort.parse(ctx.queryParam("sort")), Forms.intParam(ctx.queryParam("page"), 1), 100);
        pages.render(ctx, "queue.jte", "Review queue", "queue", Map.of(
                "page", queue.page(query),
                "groupings", List.of(Grouping.values()),
                "sorts", List.of(QueueQuery.Sort.values()),
                "alerts", alerts.open(),
                "reportsChart", charts.reportsPerHour(48),
                "listChart", charts.listSize(24 * 7)));
    }

    private void decide(Context ctx) throws SQLException {
        Grouping grouping = Grouping.parse(ctx.formParam("group"));
        List<String> keys = ctx.formParams("key");
        String action = ctx.formParam("action");
        String back = "/review/queue?group=" + grouping.param();
        if (keys.isEmpty()) {
            ctx.redirect(back + "&done=none-selected", HttpStatus.SEE_OTHER);
            return;
        }
        List<String> addresses = queue.pendingAddresses(grouping, keys);
        String actor = WebAccess.actor(ctx);
        String reason = Forms.text(ctx, "reason");
        DecisionResult result;
        try {
            if ("approve".equals(action)) {
                result = decisions.approve(addresses, actor, reason);
            } else if ("reject".equals(action)) {
                result = decisions.reject(addresses, actor, reason);
            } else {
                pages.problem(ctx, HttpStatus.BAD_REQUEST, "unknown action '" + action + "': approve or reject");
                return;
            }
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        if (!result.skipped().isEmpty()) {
            pages.problem(ctx, HttpStatus.CONFLICT, "Done for " + result.done() + "; left alone: "
                    + String.join("; ", result.skipped()));
            return;
        }
        ctx.redirect(back + "&done=" + action + "d&n=" + result.done(), HttpStatus.SEE_OTHER);
    }

    private void candidate(Context ctx) throws SQLException {
        String key = ctx.queryParam("key");
        if (key == null || org.tollguard.hub.listing.Networks.problem(key) != null) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, "no such candidate: '" + key + "'");
            return;
        }
        Grouping grouping = key.contains("/") ? (key.endsWith("/24") || key.endsWith("/48") ? Grouping.BLOCK
                : Grouping.NETWORK) : Grouping.ADDRESS;
        Optional<Candidate> candidate = queue.page(new QueueQuery(grouping, key, 0, false, QueueQuery.Sort.SCORE, 1, 50))
                .candidates().stream().filter(c -> c.key().equals(key)).findFirst();
        pages.render(ctx, "candidate.jte", key, "queue", Map.of(
                "key", key,
                "grouping", grouping,
                "candidate", candidate,
                "reporters", reporters.of(key, queue.window()),
                "reports", evidence.recent(key, 50),
                "history", audit.about(key, 50),
                "self", "/review/candidate?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)));
    }
}
