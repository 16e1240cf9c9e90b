package org.tollguard.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import java.nio.file.Files;
import org.tollguard.hub.support.Browser;
import org.tollguard.hub.support.MutableClock;
import org.tollguard.hub.support.ReviewHub;
import org.tollguard.hub.support.TestHubs;

/** Login, roles, CSRF and session expiry of the review pages of a real hub, in Debian's Chromium. */
class LoginPagesIT {
    private static final MutableClock clock = new MutableClock(Instant.now());
    private static ReviewHub hub;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        hub = ReviewHub.start(Files.createTempDirectory("login-pages"), clock);
        hub.addUser("alice", "alice-secret-1", UserRole.ADMIN);
        hub.addUser("bob", "bob-secret-12", UserRole.REVIEWER);
        browser = Browser.open(hub.url());
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

    @Test
    void pagesNeedALoginAndAWrongPasswordIsRefused() {
        browser.driver().manage().deleteAllCookies();
        browser.go("/review/users");
        assertEquals("/login", browser.path());
        browser.screenshot("login");

        browser.logIn("alice", "wrong-password");
        assertEquals("/login", browser.path());
        assertTrue(browser.find("#error").getText().contains("Wrong user name or password"));
    }

    @Test
    void anAdminAddsAReviewerWhoCannotManageUsers() {
        browser.driver().manage().deleteAllCookies();
        browser.go("/review/users");
        browser.find("#username").sendKeys("alice");
        browser.find("#password").sendKeys("alice-secret-1");
        browser.clickAndWait("#login");
        assertEquals("/review/users", browser.path(), "back to the page asked for");
        assertEquals("alice (admin)", browser.find("#whoami").getText());

        browser.find("#add-user input[name=username]").sendKeys("carol");
        browser.find("#add-user input[name=password]").sendKeys("carol-secret-1");
        browser.clickAndWait("#add-user button");
        assertTrue(browser.find("#users").getText().contains("carol reviewer active"));
        browser.screenshot("users");

        browser.clickAndWait("#logout");
        assertEquals("/login", browser.path());
        browser.go("/review/users");
        assertEquals("/login", browser.path(), "logged out: the session is gone");

        browser.logIn("carol", "carol-secret-1");
        browser.go("/review/users");
        assertTrue(browser.driver().getPageSource().contains("this needs the admin role"));
    }

    @Test
    void aFormPostWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
        browser.driver().manage().deleteAllCookies();
        browser.logIn("alice", "alice-secret-1");
        Cookie session = browser.driver().manage().getCookieNamed("tg_session");
        assertTrue(session.isHttpOnly());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(hub.url() + "/review/users"))
                .header("Cookie", "tg_session=" + session.getValue())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=mallory&password=mallory-secret&role=admin"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forged.statusCode());
        assertTrue(forged.body().contains("CSRF"), forged.body());
        browser.go("/review/users");
        assertTrue(!browser.find("#users").getText().contains("mallory"), "nothing was created");
    }

    @Test
    void aSessionEndsAfterItsIdleTime() {
        browser.driver().manage().deleteAllCookies();
        browser.logIn("bob", "bob-secret-12");
        browser.go("/review/users");
        assertTrue(browser.driver().getPageSource().contains("this needs the admin role"), "logged in as bob");
        clock.advance(TestHubs.REVIEW.sessionIdle().plus(Duration.ofSeconds(1)));
        browser.go("/review/users");
        assertEquals("/login", browser.path(), "idle too long: logged out");
    }
}
