package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log in and out. The login form is protected against login CSRF by a double-submit cookie (there is no session
 * yet to hold a token); the session cookie is HttpOnly and SameSite=Strict.
 */
final class LoginPages {
    private static final Logger log = LoggerFactory.getLogger(LoginPages.class);
    private static final String LOGIN_COOKIE = "tg_login";

    private final Users users;
    private final Sessions sessions;
    private final Pages pages;
    private final boolean secureCookies;

    LoginPages(Users users, Sessions sessions, Pages pages, boolean secureCookies) {
        this.users = users;
        this.sessions = sessions;
        this.pages = pages;
        this.secureCookies = secureCookies;
    }

    void routes(RoutesConfig routes) {
        routes.get("/login", this::form, WebRole.ANYONE);
        routes.post("/login", this::login, WebRole.ANYONE);
        routes.post("/logout", this::logout, WebRole.SIGNED_IN);
        routes.get("/", this::home, WebRole.SIGNED_IN);
    }

    private void form(Context ctx) {
        showForm(ctx, null);
    }

    private void showForm(Context ctx, String error) {
        String loginToken = Tokens.random("");
        ctx.cookie(cookie(LOGIN_COOKIE, loginToken, 600));
        pages.render(ctx, "login.jte", "Log in", "login", Map.of(
                "loginToken", loginToken, "next", safeNext(ctx.queryParam("next")),
                "error", Optional.ofNullable(error)));
    }

    private void login(Context ctx) {
        if (!Tokens.sameSecret(ctx.cookie(LOGIN_COOKIE), ctx.formParam("login-token"))) {
            ctx.status(HttpStatus.FORBIDDEN);
            showForm(ctx, "The login form expired: try again.");
            return;
        }
        String username = ctx.formParam("username");
        Optional<User> user = users.authenticate(username, ctx.formParam("password"));
        if (user.isEmpty()) {
            log.warn("failed login for '{}' from {}", username, ctx.ip());
            ctx.status(HttpStatus.UNAUTHORIZED);
            showForm(ctx, "Wrong user name or password (or the account is locked or disabled).");
            return;
        }
        String token = sessions.open(user.get());
        ctx.cookie(cookie(LOGIN_COOKIE, "", 0));
        ctx.cookie(cookie(WebAccess.SESSION_COOKIE, token, (int) sessions.maxAge().toSeconds()));
        log.info("{} logged in from {}", user.get().actor(), ctx.ip());
        ctx.redirect(safeNext(ctx.formParam("next")), HttpStatus.SEE_OTHER);
    }

    /** Where a login without a page to go back to lands: the portal for its users, the queue for reviewers. */
    private void home(Context ctx) {
        UserRole role = WebAccess.session(ctx).user().role();
        boolean portal = role == UserRole.RESELLER || role == UserRole.CUSTOMER;
        ctx.redirect(portal ? "/portal" : "/review/queue", HttpStatus.FOUND);
    }

    private void logout(Context ctx) {
        sessions.close(ctx.cookie(WebAccess.SESSION_COOKIE));
        ctx.cookie(cookie(WebAccess.SESSION_COOKIE, "", 0));
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private Cookie cookie(String name, String value, int maxAge) {
        return new Cookie(name, value, "/", maxAge, secureCookies, true, null, SameSite.STRICT);
    }

    /** Only a path on this hub: never an absolute or protocol-relative URL (no open redirect). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return "/";
        }
        return next;
    }
}
