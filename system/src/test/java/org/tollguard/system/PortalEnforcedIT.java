package org.tollguard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollguard.Agent;
import org.tollguard.blacklist.Enrollment;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.hub.portal.Tenants;
import org.tollguard.hub.support.Browser;
import org.tollguard.hub.support.ReviewHub;
import org.tollguard.hub.web.PasswordHasher;
import org.tollguard.hub.web.UserRole;
import org.tollguard.hub.web.Users;
import org.tollguard.support.Wait;
import org.tollguard.testbed.AgentHarness;
import org.tollguard.testbed.Testbed;

/**
 * The reseller portal enforced on the testbed PBX: in Chromium, a reseller adds a customer and its site, whose agent
 * enrolls with the token the page shows; a concurrent-call cap set on the site's page refuses a third call at the
 * PBX, and blocking the account from the page cuts its live call within 10 seconds while its emergency call goes on.
 */
class PortalEnforcedIT {
    private static final String PHONE = "198.51.100.21";
    private static final Pattern TOKEN = Pattern.compile("tge_\\S+");

    private ReviewHub hub;
    private Browser browser;
    private Agent agent;
    private TollguardConfig config;

    @BeforeAll
    static void up() {
        Testbed.up();
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (agent != null) {
            agent.close();
        }
        Testbed.cli("channel request hangup all");
        if (config != null) {
            AgentHarness.tearDownFirewall(config);
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aCapAndABlockSetInThePortalHoldAtThePbxAndEmergencyCallsAreNeverCut() throws Exception {
        Path dir = AgentHarness.tempDir();
        hub = ReviewHub.start(dir, Clock.systemUTC());
        long reseller = new Tenants(hub.db()).createReseller("Reseller North");
        new Users(hub.db().dataSource(), new PasswordHasher(4), Clock.systemUTC())
                .create("north", "north-secret-1", UserRole.RESELLER, reseller, null);
        browser = Browser.open(hub.url());
        browser.logIn("north", "north-secret-1");
        browser.go("/portal");
        browser.find("#add-customer input[name=name]").sendKeys("Florist Bloem");
        browser.clickAndWait("#add-customer button");
        browser.find("#add-site input[name=name]").sendKeys("florist-pbx");
        browser.clickAndWait("#add-site button");
        Matcher token = TOKEN.matcher(browser.find("#enroll-token").getText());
        assertTrue(token.find(), "the new site's enrollment token is shown");
        agent = enrolledAgent(dir.resolve("agent"), token.group());

        browser.clickAndWait("#sites a");
        String sitePage = browser.path();
        browser.find("#site-policy input[name=max-concurrent]").sendKeys("2");
        browser.clickAndWait("#site-policy button[type=submit]");
        assertEquals(sitePage, browser.path());
        Wait.until(Duration.ofSeconds(10), () -> Objects.equals(2, agent.calls().policy().limitsFor("1001").maxConcurrent()),
                "the portal's cap of 2 in force at the agent");

        Process first = Testbed.startCall(PHONE, "1001", "0201111111", 5000, 5071);
        Process second = Testbed.startCall(PHONE, "1001", "0202222222", 5000, 5072);
        Wait.until(Duration.ofSeconds(10), () -> outgoing("1001") == 2, "two live calls of 1001");
        assertNotEquals(0, Testbed.call(PHONE, "1001", "0203333333", 200).exit(), "a third call is refused");
        assertEquals("max-concurrent", decision(DecisionKind.REFUSE_CALL, "0203333333").evidence().get("rule"));
        first.waitFor();
        second.waitFor();
        Wait.until(Duration.ofSeconds(10), () -> outgoing("1001") == 0, "both calls ended");

        Process live = Testbed.startCall(PHONE, "1001", "0204444444", 40_000, 5073);
        long emergencyStart = System.nanoTime();
        Process emergency = Testbed.startCall(PHONE, "1001", "112", 16_000, 5074);
        Wait.until(Duration.ofSeconds(10), () -> outgoing("1001") == 2, "1001's call and its emergency call live");
        browser.go(sitePage);
        browser.find("#block-account input[name=account]").sendKeys("1001");
        browser.find("#block-account input[name=reason]").sendKeys("fraud suspected");
        long blocked = System.nanoTime();
        browser.clickAndWait("#block-account button");
        assertTrue(browser.find("#blocked").getText().contains("1001 user:north"), browser.find("#blocked").getText());

        Wait.until(Duration.ofSeconds(10), () -> !live.isAlive(), "1001's live call cut within 10 s of the block");
        long cutAfter = Duration.ofNanos(System.nanoTime() - blocked).toMillis();
        assertTrue(cutAfter < 10_000, "cut " + cutAfter + " ms after the block");
        assertEquals("blocked-account", decision(DecisionKind.HANGUP_CALL, "0204444444").evidence().get("rule"));
        assertNotEquals(0, Testbed.call(PHONE, "1001", "0205555555", 200).exit(), "a new call of 1001 is refused");

        assertEquals(0, emergency.waitFor(), "the emergency call ends normally");
        long emergencyMillis = Duration.ofNanos(System.nanoTime() - emergencyStart).toMillis();
        assertTrue(emergencyMillis >= 15_000, "112 held its whole 16 s, not cut: " + emergencyMillis + " ms");
        assertTrue(agent.bans().decisions().recent(200).stream()
                .noneMatch(d -> d.kind() == DecisionKind.HANGUP_CALL && "112".equals(d.evidence().get("destination"))),
                "no hang-up of 112");
    }

    private Agent enrolledAgent(Path dir, String token) throws Exception {
        Files.createDirectories(dir);
        config = AgentHarness.config(dir, FirewallConfig.Backend.LOG, """
                hub:
                  url: %s
                  credential-file: %s
                  poll-interval: 1s
                calls:
                  pre-dial:
                    listen: 198.18.0.1
                """.formatted(hub.url(), dir.resolve("hub-enrollment.json")));
        Enrollment.enroll(config.hub(), token, "florist-pbx", Instant.now()).write(config.hub().credentialFile());
        return AgentHarness.start(config);
    }

    private long outgoing(String account) {
        return agent.calls().calls().stream().filter(c -> c.account().equals(account) && c.outgoing()).count();
    }

    private Decision decision(DecisionKind kind, String destination) {
        Wait.until(Duration.ofSeconds(10), () -> find(kind, destination) != null, () -> kind.id() + " for " + destination);
        return find(kind, destination);
    }

    private Decision find(DecisionKind kind, String destination) {
        List<Decision> recent = agent.bans().decisions().recent(200);
        return recent.stream().filter(d -> d.kind() == kind && destination.equals(d.evidence().get("destination")))
                .findFirst().orElse(null);
    }
}
