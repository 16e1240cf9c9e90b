package org.tollguard.hub.web;

import io.javalin.config.JavalinConfig;
import java.time.Clock;
import org.tollguard.hub.config.ReviewConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.hub.portal.Portal;
import org.tollguard.hub.review.Alerts;
import org.tollguard.hub.review.Allowlist;
import org.tollguard.hub.review.AuditLog;
import org.tollguard.hub.review.AutoRules;
import org.tollguard.hub.review.CanaryWatch;
import org.tollguard.hub.review.Charts;
import org.tollguard.hub.review.Decisions;
import org.tollguard.hub.review.Evidence;
import org.tollguard.hub.review.ListSize;
import org.tollguard.hub.review.Listed;
import org.tollguard.hub.review.Reporters;
import org.tollguard.hub.review.ReviewJobs;
import org.tollguard.hub.review.ReviewQueue;

/**
 * The review pages and the admin API, wired into the hub's Javalin app by {@link #register}: login, sessions,
 * CSRF and roles for every route that carries a {@link WebRole}. {@link #jobs} is what the hub's background loop
 * runs for them.
 */
public final class ReviewWeb {
    private final WebAccess access;
    private final StaticAssets assets = new StaticAssets();
    private final LoginPages login;
    private final UserPages userPages;
    private final QueuePages queuePages;
    private final ListedPages listedPages;
    private final AllowlistPages allowlistPages;
    private final ReporterPages reporterPages;
    private final RulePages rulePages;
    private final AuditPages auditPages;
    private final AdminApi adminApi;
    private final ReviewJobs jobs;
    private final Users users;
    private final Pages pages;
    private PortalPages portalPages;

    public ReviewWeb(Database db, Approvals approvals, String list, ReviewConfig config, Clock clock) {
        this.users = new Users(db.dataSource(), new PasswordHasher(config.bcryptCost()), clock);
        Sessions sessions = new Sessions(db.dataSource(), clock, config.sessionIdle(), config.sessionMaxAge());
        AuditLog audit = new AuditLog(db.dataSource());
        this.pages = new Pages();
        ReviewQueue queue = new ReviewQueue(db, list, config.window());
        Decisions decisions = new Decisions(db, approvals, config.window(), config.listedFor(), clock);
        Allowlist allowlist = new Allowlist(db);
        AutoRules rules = new AutoRules(db, approvals, list, clock);
        Reporters reporters = new Reporters(db);
        Alerts alerts = new Alerts(db);
        CanaryWatch canaries = new CanaryWatch(db);
        this.access = new WebAccess(sessions, new AdminTokens(db.dataSource()));
        this.login = new LoginPages(users, sessions, pages, config.secureCookies());
        this.userPages = new UserPages(users, pages, audit);
        this.queuePages = new QueuePages(queue, decisions, reporters, alerts, new Charts(db, list), audit,
                new Evidence(db), pages);
        this.listedPages = new ListedPages(new Listed(db, list), decisions, pages);
        this.allowlistPages = new AllowlistPages(allowlist, canaries, alerts, pages);
        this.reporterPages = new ReporterPages(reporters, pages);
        this.rulePages = new RulePages(rules, pages);
        this.auditPages = new AuditPages(audit, pages);
        this.adminApi = new AdminApi(queue, decisions, users);
        this.jobs = new ReviewJobs(canaries, rules, new ListSize(db, list));
    }

    /** The reseller portal's pages, on the same logins, sessions and CSRF as the review pages. */
    public ReviewWeb withPortal(Portal portal) {
        this.portalPages = new PortalPages(portal, users, pages);
        return this;
    }

    public void register(JavalinConfig config) {
        config.routes.beforeMatched(access::check);
        config.routes.get("/review", ctx -> ctx.redirect("/review/queue"), WebRole.REVIEWER);
        assets.routes(config.routes);
        login.routes(config.routes);
        userPages.routes(config.routes);
        queuePages.routes(config.routes);
        listedPages.routes(config.routes);
        allowlistPages.routes(config.routes);
        reporterPages.routes(config.routes);
        rulePages.routes(config.routes);
        auditPages.routes(config.routes);
        adminApi.routes(config.routes);
        if (portalPages != null) {
            portalPages.routes(config.routes);
        }
    }

    public Runnable jobs() {
        return jobs;
    }
}
