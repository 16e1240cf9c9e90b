package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.tollguard.hub.review.Alerts;
import org.tollguard.hub.review.Allowlist;
import org.tollguard.hub.review.CanaryWatch;

/** The allowlist and canaries (admins edit, reviewers read) and the alerts canaries raise. */
final class AllowlistPages {
    private final Allowlist allowlist;
    private final CanaryWatch canaries;
    private final Alerts alerts;
    private final Pages pages;

    AllowlistPages(Allowlist allowlist, CanaryWatch canaries, Alerts alerts, Pages pages) {
        this.allowlist = allowlist;
        this.canaries = canaries;
        this.alerts = alerts;
        this.pages = pages;
    }

    void routes(RoutesConfig routes) {
        routes.get("/review/allowlist", this::list, WebRole.REVIEWER);
        routes.post("/review/allowlist", this::add, WebRole.ADMIN);
        routes.post("/review/allowlist/{id}/remove", this::remove, WebRole.ADMIN);
        routes.post("/review/alerts/{id}/acknowledge", this::acknowledge, WebRole.REVIEWER);
    }

    private void list(Context ctx) throws SQLException {
        pages.render(ctx, "allowlist.jte", "Allowlist & canaries", "allowlist", Map.of(
                "entries", allowlist.entries(), "kinds", List.of("carrier", "provider", "network", "canary"),
                "alerts", alerts.open()));
    }

    private void add(Context ctx) throws SQLException {
        try {
            allowlist.add(Forms.text(ctx, "network"), Forms.text(ctx, "kind"), Forms.text(ctx, "note"),
                    WebAccess.actor(ctx));
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        canaries.scan();
        ctx.redirect("/review/allowlist?done=allowlisted", HttpStatus.SEE_OTHER);
    }

    private void remove(Context ctx) throws SQLException {
        try {
            allowlist.remove(Forms.intParam(ctx.pathParam("id"), -1), WebAccess.actor(ctx));
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.NOT_FOUND, e.getMessage());
            return;
        }
        ctx.redirect("/review/allowlist?done=allowlist-removed", HttpStatus.SEE_OTHER);
    }

    private void acknowledge(Context ctx) throws SQLException {
        alerts.acknowledge(Forms.intParam(ctx.pathParam("id"), -1), WebAccess.actor(ctx));
        ctx.redirect("/review/allowlist", HttpStatus.SEE_OTHER);
    }
}
