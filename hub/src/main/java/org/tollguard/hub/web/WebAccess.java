package org.tollguard.hub.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.RouteRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Runs before every matched route that carries a {@link WebRole}: the admin API wants its bearer token; a page
 * wants a live session whose user has the role, and a form post the session's CSRF token. Routes of the hub core
 * (agents' API, list files) carry no WebRole and pass untouched.
 */
final class WebAccess {
    static final String SESSION_COOKIE = "tg_session";
    static final String CSRF_FIELD = "csrf";
    private static final String SESSION = "tollguard.web.session";
    private static final String ACTOR = "tollguard.web.actor";

    private final Sessions sessions;
    private final AdminTokens adminTokens;

    WebAccess(Sessions sessions, AdminTokens adminTokens) {
        this.sessions = sessions;
        this.adminTokens = adminTokens;
    }

    void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.contains(WebRole.ADMIN_API)) {
            checkApiToken(ctx);
            return;
        }
        WebRole needed = roles.contains(WebRole.ADMIN) ? WebRole.ADMIN
                : roles.contains(WebRole.REVIEWER) ? WebRole.REVIEWER
                : roles.contains(WebRole.PORTAL) ? WebRole.PORTAL
                : roles.contains(WebRole.SIGNED_IN) ? WebRole.SIGNED_IN : null;
        if (roles.contains(WebRole.ANYONE) || needed != null) {
            securityHeaders(ctx);
        }
        if (needed == null) {
            return;
        }
        Optional<WebSession> session = sessions.find(ctx.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            if (ctx.method() == HandlerType.GET) {
                ctx.redirect("/login?next=" + URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8), HttpStatus.FOUND);
                ctx.skipRemainingHandlers();
                return;
            }
            throw new UnauthorizedResponse("not logged in, or the session expired: log in again");
        }
        if (!session.get().user().role().allows(needed)) {
            throw new ForbiddenResponse("this needs the " + needed.name().toLowerCase() + " role");
        }
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD
                && !Tokens.sameSecret(ctx.formParam(CSRF_FIELD), session.get().csrfToken())) {
            throw new ForbiddenResponse("the form's CSRF token is missing or wrong: reload the page and try again");
        }
        ctx.attribute(SESSION, session.get());
        ctx.attribute(ACTOR, session.get().user().actor());
    }

    private void checkApiToken(Context ctx) {
        String header = ctx.header("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
        String name = adminTokens.check(token)
                .orElseThrow(() -> new UnauthorizedResponse("admin API: missing, unknown or revoked bearer token"));
        ctx.attribute(ACTOR, "api:" + name);
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; "
                + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    static WebSession session(Context ctx) {
        return optionalSession(ctx).orElseThrow(() -> new IllegalStateException(
                "route " + ctx.path() + " has no session: it lacks a WebRole"));
    }

    static Optional<WebSession> optionalSession(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION));
    }

    /** Who did it, for the audit log: {@code user:NAME} or {@code api:TOKEN-NAME}. */
    static String actor(Context ctx) {
        String actor = ctx.attribute(ACTOR);
        if (actor == null) {
            throw new IllegalStateException("route " + ctx.path() + " has no actor: it lacks a WebRole");
        }
        return actor;
    }
}
