package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;
import org.tollguard.hub.review.DecisionResult;
import org.tollguard.hub.review.Decisions;
import org.tollguard.hub.review.Grouping;
import org.tollguard.hub.review.QueueQuery;
import org.tollguard.hub.review.ReviewQueue;

/**
 * The admin API, for scripts: the queue as JSON, decisions, users. A bearer token from {@code admin_api_token}
 * (created with {@code tollguard-hub admin-token NAME}); the audit log names the token.
 */
final class AdminApi {
    /** {@code {"addresses": [...], "reason": "..."}}; for delist the addresses may be networks */
    record DecisionRequest(List<String> addresses, String reason) {}

    record UserRequest(String username, String password, String role) {}

    private final ReviewQueue queue;
    private final Decisions decisions;
    private final Users users;

    AdminApi(ReviewQueue queue, Decisions decisions, Users users) {
        this.queue = queue;
        this.decisions = decisions;
        this.users = users;
    }

    void routes(RoutesConfig routes) {
        routes.get("/admin/api/queue", this::queue, WebRole.ADMIN_API);
        routes.post("/admin/api/approve", answering(ctx -> decide(ctx, "approve")), WebRole.ADMIN_API);
        routes.post("/admin/api/reject", answering(ctx -> decide(ctx, "reject")), WebRole.ADMIN_API);
        routes.post("/admin/api/delist", answering(ctx -> decide(ctx, "delist")), WebRole.ADMIN_API);
        routes.post("/admin/api/users", answering(this::addUser), WebRole.ADMIN_API);
    }

    private void queue(Context ctx) {
        QueueQuery query = new QueueQuery(Grouping.parse(ctx.queryParam("group")), ctx.queryParam("q"), 0, false,
                QueueQuery.Sort.parse(ctx.queryParam("sort")), Forms.intParam(ctx.queryParam("page"), 1),
                Math.min(1000, Forms.intParam(ctx.queryParam("limit"), 100)));
        ctx.json(queue.page(query));
    }

    private void decide(Context ctx, String action) throws Exception {
        DecisionRequest request = ctx.bodyAsClass(DecisionRequest.class);
        if (request == null || request.addresses() == null) {
            throw new IllegalArgumentException("the body needs 'addresses' (a list) and 'reason'");
        }
        String actor = WebAccess.actor(ctx);
        DecisionResult result = switch (action) {
            case "approve" -> decisions.approve(request.addresses(), actor, request.reason());
            case "reject" -> decisions.reject(request.addresses(), actor, request.reason());
            default -> decisions.delist(request.addresses(), actor, request.reason());
        };
        ctx.json(result);
    }

    private void addUser(Context ctx) {
        UserRequest request = ctx.bodyAsClass(UserRequest.class);
        User user = users.create(request.username(), request.password(), UserRole.parse(request.role()));
        ctx.status(201).json(Map.of("username", user.username(), "role", user.role().dbName()));
    }

    /** A request the API cannot carry out is answered 400 with what is wrong, like the agents' API. */
    private static Handler answering(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (IllegalArgumentException e) {
                ctx.status(400).json(Map.of("error", e.getMessage()));
            }
        };
    }
}
