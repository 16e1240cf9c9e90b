package org.tollguard.hub.web;

import io.javalin.config.JavalinConfig;
import java.time.Clock;
import javax.sql.DataSource;
import org.tollguard.hub.review.AuditLog;

/**
 * The review pages and the admin API, wired into the hub's Javalin app by {@link #register}: login, sessions,
 * CSRF and roles for every route that carries a {@link WebRole}.
 */
public final class ReviewWeb {
    private final WebAccess access;
    private final StaticAssets assets = new StaticAssets();
    private final LoginPages login;
    private final UserPages userPages;

    public ReviewWeb(DataSource db, WebSettings settings, Clock clock) {
        Users users = new Users(db, new PasswordHasher(settings.bcryptCost()), clock);
        Sessions sessions = new Sessions(db, clock, settings.sessionIdle(), settings.sessionMaxAge());
        AuditLog audit = new AuditLog(db);
        Pages pages = new Pages();
        this.access = new WebAccess(sessions, new AdminTokens(db));
        this.login = new LoginPages(users, sessions, pages, settings);
        this.userPages = new UserPages(users, pages, audit);
    }

    public void register(JavalinConfig config) {
        config.routes.beforeMatched(access::check);
        config.routes.get("/review", ctx -> ctx.redirect("/review/queue"), WebRole.REVIEWER);
        assets.routes(config.routes);
        login.routes(config.routes);
        userPages.routes(config.routes);
    }
}
