package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.tollguard.hub.review.DecisionResult;
import org.tollguard.hub.review.Decisions;
import org.tollguard.hub.review.Listed;

/** The published list: search it, delist with a reason (removed from the list with the next generation). */
final class ListedPages {
    private final Listed listed;
    private final Decisions decisions;
    private final Pages pages;

    ListedPages(Listed listed, Decisions decisions, Pages pages) {
        this.listed = listed;
        this.decisions = decisions;
        this.pages = pages;
    }

    void routes(RoutesConfig routes) {
        routes.get("/review/listed", this::list, WebRole.REVIEWER);
        routes.post("/review/listed/delist", this::delist, WebRole.REVIEWER);
    }

    private void list(Context ctx) throws SQLException {
        String search = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").strip();
        pages.render(ctx, "listed.jte", "Listed", "listed", Map.of("search", search, "listed", listed.search(search, 200)));
    }

    private void delist(Context ctx) throws SQLException {
        List<String> networks = ctx.formParams("network");
        if (networks.isEmpty()) {
            ctx.redirect("/review/listed?done=none-selected", HttpStatus.SEE_OTHER);
            return;
        }
        DecisionResult result;
        try {
            result = decisions.delist(networks, WebAccess.actor(ctx), Forms.text(ctx, "reason"));
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        if (!result.skipped().isEmpty()) {
            pages.problem(ctx, HttpStatus.CONFLICT, "Delisted " + result.done() + "; left alone: "
                    + String.join("; ", result.skipped()));
            return;
        }
        ctx.redirect("/review/listed?done=delisted&n=" + result.done(), HttpStatus.SEE_OTHER);
    }
}
