package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;
import org.tollguard.hub.review.AuditLog;
import java.util.Optional;

/** Admins list, add and disable the people who use the pages. */
final class UserPages {
    private final Users users;
    private final Pages pages;
    private final AuditLog audit;

    UserPages(Users users, Pages pages, AuditLog audit) {
        this.users = users;
        this.pages = pages;
        this.audit = audit;
    }

    void routes(RoutesConfig routes) {
        routes.get("/review/users", this::list, WebRole.ADMIN);
        routes.post("/review/users", this::add, WebRole.ADMIN);
        routes.post("/review/users/{name}/disabled", this::disable, WebRole.ADMIN);
    }

    private void list(Context ctx) {
        show(ctx, null);
    }

    private void show(Context ctx, String error) {
        pages.render(ctx, "users.jte", "Users", "users",
                Map.of("users", users.list(), "error", Optional.ofNullable(error)));
    }

    private void add(Context ctx) {
        String name = ctx.formParam("username");
        try {
            UserRole role = UserRole.parse(ctx.formParam("role"));
            users.create(name, ctx.formParam("password"), role);
            audit.record(WebAccess.actor(ctx), "user-added", "user:" + name, null, "role " + role.dbName());
        } catch (IllegalArgumentException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            show(ctx, e.getMessage());
            return;
        }
        ctx.redirect("/review/users", HttpStatus.SEE_OTHER);
    }

    private void disable(Context ctx) {
        String name = ctx.pathParam("name");
        boolean disabled = "true".equals(ctx.formParam("disabled"));
        try {
            users.setDisabled(name, disabled);
        } catch (IllegalArgumentException e) {
            ctx.status(HttpStatus.NOT_FOUND);
            show(ctx, e.getMessage());
            return;
        }
        audit.record(WebAccess.actor(ctx), disabled ? "user-disabled" : "user-enabled", "user:" + name, null, null);
        ctx.redirect("/review/users", HttpStatus.SEE_OTHER);
    }
}
