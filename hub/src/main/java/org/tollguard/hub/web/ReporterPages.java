package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.Map;
import org.tollguard.hub.review.Reporters;

/** Every reporting site: trust, volume, rejection rate. */
final class ReporterPages {
    private final Reporters reporters;
    private final Pages pages;

    ReporterPages(Reporters reporters, Pages pages) {
        this.reporters = reporters;
        this.pages = pages;
    }

    void routes(RoutesConfig routes) {
        routes.get("/review/reporters", this::list, WebRole.REVIEWER);
    }

    private void list(Context ctx) throws SQLException {
        pages.render(ctx, "reporters.jte", "Reporters", "reporters", Map.of("reporters", reporters.all()));
    }
}
