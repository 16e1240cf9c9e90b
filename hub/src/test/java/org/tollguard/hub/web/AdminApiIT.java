package org.tollguard.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tollguard.hub.review.AuditEntry;
import org.tollguard.hub.review.AuditLog;
import org.tollguard.hub.review.Reporter;
import org.tollguard.hub.review.ReporterTrust;
import org.tollguard.hub.review.Reporters;
import org.tollguard.hub.support.MutableClock;
import org.tollguard.hub.support.ReviewHub;

/**
 * The admin API for scripts on a real hub: only a valid, unrevoked bearer token gets in; an approval and a
 * delisting through it reach the published list, are audited under the token's name, and adjust the reporters'
 * trust (a delisting takes the approval back and counts a rejection).
 */
class AdminApiIT {
    private static final String ADDRESS = "198.51.100.77";
    private final HttpClient http = HttpClient.newHttpClient();
    private ReviewHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = ReviewHub.start(Files.createTempDirectory("admin-api"), new MutableClock(Instant.now()));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyAValidTokenGetsIn() throws Exception {
        AdminTokens tokens = new AdminTokens(hub.db().dataSource());
        String token = tokens.create("nightly-script");
        assertEquals(401, call("GET", "/admin/api/queue", null, null).statusCode());
        assertEquals(401, call("GET", "/admin/api/queue", token + "x", null).statusCode());
        HttpResponse<String> refused = call("POST", "/admin/api/approve", "not-a-token",
                "{\"addresses\": [\"" + ADDRESS + "\"], \"reason\": \"x\"}");
        assertEquals(401, refused.statusCode());
        assertTrue(refused.body().contains("bearer token"), refused.body());
        assertEquals(200, call("GET", "/admin/api/queue", token, null).statusCode());

        tokens.revoke("nightly-script");
        assertEquals(401, call("GET", "/admin/api/queue", token, null).statusCode());
    }

    @Test
    void anApprovalAndADelistingThroughTheApiAreAuditedAndMoveTheReportersTrust() throws Exception {
        String token = new AdminTokens(hub.db().dataSource()).create("nightly-script");
        hub.report(hub.enroll("east-pbx", "east"), ADDRESS, "TCP", "InvalidPassword", 8);

        HttpResponse<String> bad = call("POST", "/admin/api/approve", token, "{\"reason\": \"no addresses\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("'addresses'"), bad.body());

        HttpResponse<String> approved = call("POST", "/admin/api/approve", token,
                "{\"addresses\": [\"" + ADDRESS + "\"], \"reason\": \"brute force on three PBXs\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        hub.awaitPublished(list -> list.containsKey(ADDRESS));
        assertEquals(ReporterTrust.of(1, 0, 0), reporter("east-pbx").trust(), 1e-9);

        HttpResponse<String> delisted = call("POST", "/admin/api/delist", token,
                "{\"addresses\": [\"" + ADDRESS + "\"], \"reason\": \"a carrier's SBC, listed by mistake\"}");
        assertEquals(200, delisted.statusCode(), delisted.body());
        hub.awaitPublished(list -> !list.containsKey(ADDRESS));
        assertEquals(ReporterTrust.of(0, 1, 0), reporter("east-pbx").trust(), 1e-9);

        List<AuditEntry> audit = new AuditLog(hub.db().dataSource()).about(ADDRESS, 10);
        assertTrue(audit.stream().anyMatch(a -> a.actor().equals("api:nightly-script") && a.action().equals("approved")),
                audit.toString());
        assertTrue(audit.stream().anyMatch(a -> a.actor().equals("api:nightly-script")
                && a.reason().contains("listed by mistake")), audit.toString());
    }

    private Reporter reporter(String site) throws Exception {
        return new Reporters(hub.db()).all().stream().filter(r -> r.site().equals(site)).findFirst().orElseThrow();
    }
}
