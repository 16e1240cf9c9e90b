package org.tollguard.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.tollguard.hub.support.Browser;
import org.tollguard.hub.support.MutableClock;
import org.tollguard.hub.support.ReviewHub;

/**
 * A reviewer's day in Debian's Chromium on a real hub whose agents report over HTTP: the queue grouped by /24,
 * approving a block, the candidate page, delisting, the allowlist; each checked against the published list as an
 * agent reads it (signatures verified). Screenshots of the main pages go to target/screenshots/.
 */
class ReviewPagesIT {
    private static ReviewHub hub;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        hub = ReviewHub.start(Files.createTempDirectory("review-pages"), new MutableClock(Instant.now()));
        hub.addUser("alice", "alice-secret-1", UserRole.ADMIN);
        String north1 = hub.enroll("north-pbx1", "north");
        String north2 = hub.enroll("north-pbx2", "north");
        String south = hub.enroll("south-pbx1", "south");
        hub.report(north1, "192.0.2.10", "TCP", "ChallengeResponseFailed", 12);
        hub.report(south, "192.0.2.10", "UDP", "InvalidAccountID", 7);
        hub.report(north2, "192.0.2.11", "UDP", "InvalidAccountID", 5);
        hub.report(south, "198.51.100.5", "UDP", "InvalidAccountID", 9);
        browser = Browser.open(hub.url());
        browser.logIn("alice", "alice-secret-1");
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
    void aReviewerApprovesABlockDelistsAnAddressAndAllowlistsANetwork() throws Exception {
        browser.go("/review/queue?group=block");
        WebElement block = browser.find("tr[data-key='192.0.2.0/24']");
        assertTrue(block.getText().contains("2 addresses"), block.getText());
        assertTrue(block.getText().contains("2 operators"), "the score explains itself: " + block.getText());
        assertTrue(block.getText().contains("not spoofed"), block.getText());
        assertEquals("2 candidate(s)", browser.find("#total").getText(), "two /24 blocks");
        browser.screenshot("review-queue");

        block.findElement(org.openqa.selenium.By.cssSelector("input[name=key]")).click();
        browser.find("#reason").sendKeys("scanner block, two operators");
        browser.clickAndWait("#approve");
        assertTrue(browser.find(".notice").getText().contains("Approved 2"), browser.find("body").getText());
        hub.awaitPublished(list -> list.containsKey("192.0.2.10") && list.containsKey("192.0.2.11"));

        browser.go("/review/candidate?key=198.51.100.5");
        assertTrue(browser.find("body").getText().contains("south-pbx1"), "its reporter is shown");
        browser.screenshot("review-candidate");

        browser.go("/review/listed");
        browser.screenshot("review-listed");
        browser.find("input[name=network][value='192.0.2.11']").click();
        browser.find("#reason").sendKeys("a customer's SBC behind the same NAT");
        browser.clickAndWait("#delist-selected");
        hub.awaitPublished(list -> list.containsKey("192.0.2.10") && !list.containsKey("192.0.2.11"));

        browser.go("/review/allowlist");
        browser.find("#add-allowlist input[name=network]").sendKeys("198.51.100.0/24");
        browser.find("#add-allowlist input[name=note]").sendKeys("our SIP trunk provider");
        browser.clickAndWait("#add-allowlist button");
        assertTrue(browser.find("#allowlist").getText().contains("198.51.100.0/24"), browser.find("#allowlist").getText());
        browser.screenshot("review-allowlist");
        browser.go("/review/queue");
        List<String> keys = browser.all("#queue tbody tr").stream().map(r -> r.getAttribute("data-key")).toList();
        assertFalse(keys.contains("198.51.100.5"), "an allowlisted network leaves the queue: " + keys);

        browser.go("/review/reporters");
        browser.screenshot("review-reporters");
        browser.go("/review/audit");
        String audit = browser.find("body").getText();
        assertTrue(audit.contains("scanner block, two operators") && audit.contains("a customer's SBC"), audit);
        browser.screenshot("review-audit");
    }
}
