package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.sql.SQLException;
import java.util.Map;
import org.tollguard.hub.review.Reporters;

/** Every reporting site: trust, volume, rejection rate; admins opt operators in to abuse reports here. */
final class ReporterPages {
    private final Reporters reporters;
    private final Pages pages;

    ReporterPages(Reporters reporters, Pages pages) {
        this.reporters = reporters;
        this.pages = pages;
    }

    void routes(RoutesConfig routes) {
        routes.get("/review/reporters", this::list, WebRole.REVIEWER);
        routes.post("/review/reporters/abuse-reports", this::abuseReports, WebRole.ADMIN);
    }

    private void abuseReports(Context ctx) throws SQLException {
        boolean optIn = "on".equals(ctx.formParam("abuse-reports"));
        try {
            reporters.abuseReports(Forms.text(ctx, "operator"), optIn, WebAccess.actor(ctx));
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        ctx.redirect("/review/reporters?done=" + (optIn ? "abuse-reports-on" : "abuse-reports-off"), HttpStatus.SEE_OTHER);
    }

    private void list(Context ctx) throws SQLException {
        pages.render(ctx, "reporters.jte", "Reporters", "reporters", Map.of("reporters", reporters.all()));
    }
}
