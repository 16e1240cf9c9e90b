package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.tollguard.hub.review.AutoRule;
import org.tollguard.hub.review.AutoRules;

/** Auto-listing rules: admins add, switch and remove them; everyone sees them. */
final class RulePages {
    private final AutoRules rules;
    private final Pages pages;

    RulePages(AutoRules rules, Pages pages) {
        this.rules = rules;
        this.pages = pages;
    }

    void routes(RoutesConfig routes) {
        routes.get("/review/rules", this::list, WebRole.REVIEWER);
        routes.post("/review/rules", this::save, WebRole.ADMIN);
        routes.post("/review/rules/{name}/remove", this::remove, WebRole.ADMIN);
    }

    private void list(Context ctx) throws SQLException {
        pages.render(ctx, "rules.jte", "Auto-listing", "rules", Map.of("rules", rules.rules()));
    }

    private void save(Context ctx) throws SQLException {
        try {
            double trust = Double.parseDouble(Forms.text(ctx, "min-trust"));
            AutoRule rule = new AutoRule(Forms.text(ctx, "name"), Forms.intParam(ctx.formParam("min-operators"), 0),
                    trust, Duration.ofMinutes(Forms.intParam(ctx.formParam("window-minutes"), 0)),
                    Duration.ofHours(Forms.intParam(ctx.formParam("listed-for-hours"), 0)),
                    "on".equals(ctx.formParam("enabled")));
            rules.save(rule, WebAccess.actor(ctx));
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        ctx.redirect("/review/rules?done=rule-saved", HttpStatus.SEE_OTHER);
    }

    private void remove(Context ctx) throws SQLException {
        try {
            rules.remove(ctx.pathParam("name"), WebAccess.actor(ctx));
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.NOT_FOUND, e.getMessage());
            return;
        }
        ctx.redirect("/review/rules?done=rule-removed", HttpStatus.SEE_OTHER);
    }
}
