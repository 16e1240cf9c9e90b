package org.tollguard.hub.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tollguard.hub.enroll.EnrollmentRefused;
import org.tollguard.hub.portal.Customer;
import org.tollguard.hub.portal.Fleet;
import org.tollguard.hub.portal.NotFound;
import org.tollguard.hub.portal.PolicyKey;
import org.tollguard.hub.portal.PolicyLevel;
import org.tollguard.hub.portal.Portal;
import org.tollguard.hub.portal.Site;
import org.tollguard.hub.portal.SpendChart;
import org.tollguard.hub.portal.TenantScope;
import org.tollguard.protocol.Heartbeat;
import org.tollguard.protocol.PolicyLimits;
import org.tollguard.yamlconfig.Durations;

/**
 * The reseller portal: a reseller's customers, each customer's settings and sites, each site's health, live calls,
 * spend against threshold, blocked accounts and alerts; block and unblock. Every read goes through the user's
 * {@link TenantScope}: what another tenant owns answers 404, the same as what does not exist.
 */
final class PortalPages {
    private static final Duration ENROLL_TOKEN_VALID = Duration.ofDays(7);

    private final Portal portal;
    private final Users users;
    private final Pages pages;

    PortalPages(Portal portal, Users users, Pages pages) {
        this.portal = portal;
        this.users = users;
        this.pages = pages;
    }

    void routes(RoutesConfig routes) {
        routes.get("/portal", this::customers, WebRole.PORTAL);
        routes.post("/portal/customers", this::addCustomer, WebRole.PORTAL);
        routes.post("/portal/fraud-prefixes", this::addFraudPrefix, WebRole.PORTAL);
        routes.get("/portal/customers/{customer}", this::customer, WebRole.PORTAL);
        routes.post("/portal/customers/{customer}/policy", this::customerPolicy, WebRole.PORTAL);
        routes.post("/portal/customers/{customer}/may-edit", this::mayEdit, WebRole.PORTAL);
        routes.post("/portal/customers/{customer}/sites", this::addSite, WebRole.PORTAL);
        routes.post("/portal/customers/{customer}/users", this::addUser, WebRole.PORTAL);
        routes.get("/portal/sites/{site}", this::site, WebRole.PORTAL);
        routes.post("/portal/sites/{site}/policy", this::sitePolicy, WebRole.PORTAL);
        routes.post("/portal/sites/{site}/blocks", this::block, WebRole.PORTAL);
        routes.post("/portal/sites/{site}/unblock", this::unblock, WebRole.PORTAL);
        routes.exception(NotFound.class, (e, ctx) -> pages.problem(ctx, HttpStatus.NOT_FOUND, e.getMessage()));
    }

    private TenantScope scope(Context ctx) {
        return users.scope(WebAccess.session(ctx).user());
    }

    private void customers(Context ctx) throws SQLException {
        TenantScope scope = scope(ctx);
        pages.render(ctx, "portal-customers.jte", "Customers", "portal", Map.of(
                "customers", portal.tenants().customers(scope),
                "canAdd", scope.resellerId() != null));
    }

    private void addCustomer(Context ctx) throws SQLException {
        TenantScope scope = scope(ctx);
        if (scope.resellerId() == null) {
            throw new NotFound("only a reseller's users add customers");
        }
        long id;
        try {
            id = portal.tenants().createCustomer(scope, scope.resellerId(), ctx.formParam("name"));
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        ctx.redirect("/portal/customers/" + id, HttpStatus.SEE_OTHER);
    }

    private void addFraudPrefix(Context ctx) throws SQLException {
        TenantScope scope = scope(ctx);
        if (scope.resellerId() == null) {
            throw new NotFound("only a reseller's users keep fraudulent destinations");
        }
        try {
            portal.editor().addFraudPrefix(scope, scope.resellerId(), ctx.formParam("prefix"), ctx.formParam("note"),
                    WebAccess.actor(ctx));
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        ctx.redirect("/portal", HttpStatus.SEE_OTHER);
    }

    private void customer(Context ctx) throws SQLException {
        TenantScope scope = scope(ctx);
        Customer customer = portal.tenants().customer(scope, id(ctx, "customer"));
        List<Site> sites = portal.tenants().sites(scope, customer.id());
        Map<Long, Optional<Fleet.SiteHealth>> health = new LinkedHashMap<>();
        for (Site site : sites) {
            health.put(site.id(), portal.fleet().health(site.id()));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("customer", customer);
        params.put("sites", sites);
        params.put("health", health);
        params.put("limits", portal.editor().read(scope, PolicyLevel.customer(customer.id())));
        params.put("reseller", !scope.isCustomerUser());
        params.put("keys", List.of(PolicyKey.values()));
        params.put("token", Optional.ofNullable(ctx.queryParam("token")));
        pages.render(ctx, "portal-customer.jte", customer.name(), "portal", params);
    }

    private void customerPolicy(Context ctx) throws SQLException {
        long customer = id(ctx, "customer");
        writePolicy(ctx, PolicyLevel.customer(customer), "/portal/customers/" + customer);
    }

    private void mayEdit(Context ctx) throws SQLException {
        long customer = id(ctx, "customer");
        Set<PolicyKey> keys = EnumSet.noneOf(PolicyKey.class);
        for (String key : ctx.formParams("key")) {
            keys.add(PolicyKey.parse(key));
        }
        try {
            portal.tenants().setCustomerMayEdit(scope(ctx), customer, keys);
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.FORBIDDEN, e.getMessage());
            return;
        }
        ctx.redirect("/portal/customers/" + customer, HttpStatus.SEE_OTHER);
    }

    private void addSite(Context ctx) throws SQLException {
        TenantScope scope = scope(ctx);
        Customer customer = portal.tenants().customer(scope, id(ctx, "customer"));
        if (scope.isCustomerUser()) {
            pages.problem(ctx, HttpStatus.FORBIDDEN, "only the reseller adds sites");
            return;
        }
        String token;
        try {
            token = portal.enrollment().createToken(ctx.formParam("name"), customer.name(), WebAccess.actor(ctx),
                    portal.clock().instant().plus(ENROLL_TOKEN_VALID));
        } catch (EnrollmentRefused | IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        ctx.redirect("/portal/customers/" + customer.id() + "?token=" + token, HttpStatus.SEE_OTHER);
    }

    private void addUser(Context ctx) throws SQLException {
        TenantScope scope = scope(ctx);
        Customer customer = portal.tenants().customer(scope, id(ctx, "customer"));
        if (scope.isCustomerUser()) {
            pages.problem(ctx, HttpStatus.FORBIDDEN, "only the reseller adds users");
            return;
        }
        try {
            users.create(ctx.formParam("username"), ctx.formParam("password"), UserRole.CUSTOMER, null, customer.id());
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        ctx.redirect("/portal/customers/" + customer.id() + "?done=user-added", HttpStatus.SEE_OTHER);
    }

    private void site(Context ctx) throws SQLException {
        TenantScope scope = scope(ctx);
        Site site = portal.tenants().site(scope, id(ctx, "site"));
        Customer customer = portal.tenants().customer(scope, site.customerId());
        Optional<Fleet.SiteHealth> health = portal.fleet().health(site.id());
        Heartbeat.Summary summary = health.map(Fleet.SiteHealth::heartbeat).map(Heartbeat::summary)
                .orElse(new Heartbeat.Summary(null, null, null, null));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("customer", customer);
        params.put("site", site);
        params.put("health", health);
        params.put("summary", summary);
        params.put("chart", SpendChart.of(summary.spend()));
        params.put("policy", portal.policies().current(site.id()));
        params.put("limits", portal.editor().read(scope, PolicyLevel.site(customer.id(), site.id())));
        params.put("blockLog", portal.blocks().log(site.id(), 20));
        params.put("alerts", portal.fleet().alerts(site.id(), 20));
        params.put("reseller", !scope.isCustomerUser());
        pages.render(ctx, "portal-site.jte", site.name(), "portal", params);
    }

    private void sitePolicy(Context ctx) throws SQLException {
        TenantScope scope = scope(ctx);
        Site site = portal.tenants().site(scope, id(ctx, "site"));
        String kind = Optional.ofNullable(ctx.formParam("level")).orElse("site");
        PolicyLevel level;
        try {
            level = switch (kind) {
                case "site" -> PolicyLevel.site(site.customerId(), site.id());
                case "group" -> new PolicyLevel(site.customerId(), site.id(), PolicyLevel.Scope.GROUP, ctx.formParam("name"));
                case "account" -> new PolicyLevel(site.customerId(), site.id(), PolicyLevel.Scope.ACCOUNT,
                        ctx.formParam("name"));
                default -> throw new IllegalArgumentException("unknown level '" + kind + "'");
            };
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        writePolicy(ctx, level, "/portal/sites/" + site.id());
    }

    private void writePolicy(Context ctx, PolicyLevel level, String back) throws SQLException {
        try {
            portal.editor().write(scope(ctx), level, limits(ctx), WebAccess.actor(ctx));
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        ctx.redirect(back + "?done=policy-saved", HttpStatus.SEE_OTHER);
    }

    private void block(Context ctx) throws SQLException {
        long site = id(ctx, "site");
        try {
            long version = portal.blocks().block(scope(ctx), site, ctx.formParam("account"), ctx.formParam("reason"),
                    WebAccess.actor(ctx));
            ctx.redirect("/portal/sites/" + site + "?done=account-blocked&n=" + version, HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private void unblock(Context ctx) throws SQLException {
        long site = id(ctx, "site");
        try {
            long version = portal.blocks().unblock(scope(ctx), site, ctx.formParam("account"), WebAccess.actor(ctx));
            ctx.redirect("/portal/sites/" + site + "?done=account-unblocked&n=" + version, HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException e) {
            pages.problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /** The settings form: an empty field inherits from the wider level. */
    static PolicyLimits limits(Context ctx) {
        String delta = blankToNull(ctx.formParam("delta"));
        String concurrent = blankToNull(ctx.formParam("max-concurrent"));
        String duration = blankToNull(ctx.formParam("max-duration"));
        List<String> categories = ctx.formParams("blocked-categories");
        boolean categoriesSet = "on".equals(ctx.formParam("set-blocked-categories"));
        try {
            return new PolicyLimits(
                    delta == null ? null : new BigDecimal(delta),
                    concurrent == null ? null : Integer.valueOf(concurrent),
                    duration == null ? null : Durations.parse(duration).truncatedTo(ChronoUnit.SECONDS),
                    categoriesSet ? categories : null,
                    words(ctx.formParam("blocked-prefixes")),
                    words(ctx.formParam("allowed-networks")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("delta and max-concurrent must be numbers (delta: '" + delta
                    + "', max-concurrent: '" + concurrent + "')");
        }
    }

    private static List<String> words(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return List.of(text.strip().split("[,\\s]+"));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static long id(Context ctx, String param) {
        try {
            return Long.parseLong(ctx.pathParam(param));
        } catch (NumberFormatException e) {
            throw new NotFound("no " + param + " '" + ctx.pathParam(param) + "'");
        }
    }
}
