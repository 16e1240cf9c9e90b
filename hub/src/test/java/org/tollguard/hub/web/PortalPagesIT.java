package org.tollguard.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollguard.hub.portal.Tenants;
import org.tollguard.hub.support.Browser;
import org.tollguard.hub.support.HubClient;
import org.tollguard.hub.support.MutableClock;
import org.tollguard.hub.support.ReviewHub;
import org.tollguard.protocol.Heartbeat;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ListVerifier;
import org.tollguard.protocol.PolicyVerifier;
import org.tollguard.protocol.SignedPolicy;
import org.tollguard.protocol.SitePolicy;
import org.tollguard.protocol.minisign.MinisignPublicKey;

/**
 * The reseller portal of a real hub in Debian's Chromium: a reseller creates a customer, sets a delta and a
 * concurrent-call cap, and the site's agent fetches them signed; blocks an account; a customer's user cannot see
 * another customer.
 */
class PortalPagesIT {
    private static final MutableClock clock = new MutableClock(Instant.now());
    private static ReviewHub hub;
    private static Browser browser;
    private static Path dir;
    private static HubClient http;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("portal-pages");
        hub = ReviewHub.start(dir, clock);
        long reseller = new Tenants(hub.db()).createReseller("Reseller North");
        new Users(hub.db().dataSource(), new PasswordHasher(4), clock)
                .create("north", "north-secret-1", UserRole.RESELLER, reseller, null);
        browser = Browser.open(hub.url());
        http = new HubClient(Integer.parseInt(hub.url().replaceAll(".*:", "")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private static SitePolicy policy(String credential, long site) throws Exception {
        HttpResponse<byte[]> answer = http.get(HubPaths.POLICY, "Authorization", "Bearer " + credential);
        assertEquals(200, answer.statusCode(), HubClient.text(answer));
        return new PolicyVerifier(new ListVerifier(List.of(MinisignPublicKey.read(dir.resolve("hub.pub"))),
                Clock.systemUTC())).verify(HubClient.read(answer, SignedPolicy.class), site, 0);
    }

    private static void addCustomer(String name) {
        browser.go("/portal");
        browser.find("#add-customer input[name=name]").sendKeys(name);
        browser.clickAndWait("#add-customer button");
    }

    @Test
    void aResellerCreatesACustomerSetsADeltaAndACapAndTheAgentGetsThemSigned() throws Exception {
        browser.driver().manage().deleteAllCookies();
        browser.logIn("north", "north-secret-1");
        assertEquals("/portal", browser.path(), "a reseller lands in the portal");
        assertFalse(browser.driver().getPageSource().contains("/review/queue"), "no review pages in its menu");

        addCustomer("Florist Bloem");
        assertTrue(browser.path().startsWith("/portal/customers/"), browser.path());
        browser.find("#add-site input[name=name]").sendKeys("florist-shop");
        browser.clickAndWait("#add-site button");
        assertTrue(browser.find("#enroll-token").getText().contains("tge_"), "the new site's enrollment token is shown");
        String customerPage = browser.path();

        browser.find("#customer-policy input[name=delta]").sendKeys("15");
        browser.find("#customer-policy input[name=max-concurrent]").sendKeys("2");
        browser.clickAndWait("#customer-policy button[type=submit]");
        assertEquals(customerPage, browser.path());
        assertEquals("15", browser.find("#customer-policy input[name=delta]").getAttribute("value"));
        browser.screenshot("portal-customer");

        // the site's agent enrolls with a token for that site and fetches the policy
        String credential = hub.enroll("florist-shop", "Florist Bloem");
        browser.clickAndWait("#sites a");
        long site = Long.parseLong(browser.path().replace("/portal/sites/", ""));
        SitePolicy policy = policy(credential, site);
        assertEquals(0, new BigDecimal("15").compareTo(policy.defaults().delta()));
        assertEquals(2, policy.defaults().maxConcurrent());

        // the agent's heartbeat shows on the site's page, spend against threshold as a chart
        http.postJson(HubPaths.HEARTBEAT, credential, new Heartbeat(1, "0.1.0",
                new Heartbeat.Health(true, "ok", 3, clock.instant(), policy.version(), clock.instant(), null),
                new Heartbeat.Summary(List.of(new Heartbeat.LiveCall("201", "+23276000000", "high-risk",
                        clock.instant(), clock.instant())),
                        List.of(new Heartbeat.AccountSpend("201", new BigDecimal("18.50"), new BigDecimal("2.00"),
                                new BigDecimal("17.00"), "EUR")), List.of(), List.of())));
        browser.go("/portal/sites/" + site);
        assertEquals("up", browser.find("#agent-state").getText());
        assertTrue(browser.find("#live-calls").getText().contains("+23276000000"));
        assertEquals(1, browser.all("#spend-chart rect.bar.over").size(), "201 is past its threshold");

        browser.find("#block-account input[name=account]").sendKeys("201");
        browser.find("#block-account input[name=reason]").sendKeys("past threshold");
        browser.clickAndWait("#block-account button");
        assertTrue(browser.find("#blocked").getText().contains("201 user:north"), browser.find("#blocked").getText());
        browser.screenshot("portal-site");
        SitePolicy blocked = policy(credential, site);
        assertEquals(List.of("201"), blocked.blockedAccounts().stream().map(SitePolicy.AccountBlock::account).toList());
        assertEquals("user:north", blocked.blockedAccounts().get(0).by());
    }

    @Test
    void aCustomersUserCannotSeeAnotherCustomer() throws Exception {
        browser.driver().manage().deleteAllCookies();
        browser.logIn("north", "north-secret-1");
        addCustomer("Baker Brood");
        String baker = browser.path();
        browser.find("#add-customer-user input[name=username]").sendKeys("baker");
        browser.find("#add-customer-user input[name=password]").sendKeys("baker-secret-1");
        browser.clickAndWait("#add-customer-user button");
        addCustomer("Butcher Vlees");
        String butcher = browser.path();
        hub.enroll("butcher-shop", "Butcher Vlees");
        browser.go(butcher);
        browser.clickAndWait("#sites a");
        String butcherSite = browser.path();

        browser.driver().manage().deleteAllCookies();
        browser.logIn("baker", "baker-secret-1");
        assertEquals("/portal", browser.path());
        assertEquals("Baker Brood", browser.find("#customers tbody").getText().split(" Reseller")[0].strip());
        assertFalse(browser.find("#customers").getText().contains("Butcher"));
        browser.go(butcher);
        assertTrue(browser.driver().getPageSource().contains("no customer"), "another customer's page is not found");
        assertFalse(browser.driver().getPageSource().contains("Butcher Vlees"));
        browser.go(butcherSite);
        assertTrue(browser.driver().getPageSource().contains("no site"));
        browser.go(baker);
        assertTrue(browser.all("#add-customer-user").isEmpty(), "a customer adds no users");
        browser.go("/review/queue");
        assertTrue(browser.driver().getPageSource().contains("this needs the reviewer role"));
        browser.screenshot("portal-customer-user");
    }
}
