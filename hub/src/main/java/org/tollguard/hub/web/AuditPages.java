package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.tollguard.hub.review.AuditLog;

/** The audit log, newest first, searchable by who, what or which address. */
final class AuditPages {
    private final AuditLog audit;
    private final Pages pages;

    AuditPages(AuditLog audit, Pages pages) {
        this.audit = audit;
        this.pages = pages;
    }

    void routes(RoutesConfig routes) {
        routes.get("/review/audit", this::list, WebRole.REVIEWER);
    }

    private void list(Context ctx) {
        String search = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").strip();
        pages.render(ctx, "audit.jte", "Audit log", "audit", Map.of("search", search,
                "entries", audit.latest(search, 500)));
    }
}
