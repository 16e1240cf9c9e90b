package org.tollguard.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ListFile;
import org.tollguard.protocol.ListSigner;
import org.tollguard.protocol.ListVerifier;
import org.tollguard.protocol.PolicyLimits;
import org.tollguard.protocol.PolicyVerifier;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.SignedPolicy;
import org.tollguard.protocol.SitePolicy;
import org.tollguard.protocol.TrustedComment;
import org.tollguard.protocol.minisign.MinisignSecretKey;

/** The agent's policy pull against a real HTTP server on loopback, with policies signed by a test key. */
class PolicyPollerTest {
    private static final long SITE = 7;
    private final MinisignSecretKey hubKey = MinisignSecretKey.generate();
    private final AtomicReference<byte[]> served = new AtomicReference<>();
    private final List<String> ifNoneMatch = new ArrayList<>();
    private final List<String> alerts = new ArrayList<>();
    private HttpServer server;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(HubPaths.POLICY, exchange -> {
            String etag = exchange.getRequestHeaders().getFirst("If-None-Match");
            ifNoneMatch.add(etag);
            byte[] body = served.get();
            if (body == null) {
                exchange.sendResponseHeaders(503, -1);
            } else if (etag != null && etag.equals(etagOf(body))) {
                exchange.sendResponseHeaders(304, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    private static String etagOf(byte[] body) {
        try {
            return "\"policy-" + ProtocolJson.mapper().readValue(body, SignedPolicy.class).version() + "\"";
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PolicyPoller poller(LivePolicy live) {
        return poller(live, hubKey);
    }

    private PolicyPoller poller(LivePolicy live, MinisignSecretKey pinned) {
        PolicyVerifier verifier = new PolicyVerifier(new ListVerifier(List.of(pinned.publicKey()), Clock.systemUTC()));
        return new PolicyPoller(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "tga_secret",
                SITE, verifier, new PolicyFile(dir.resolve("hub-policy.json")), live, alerts::add, Clock.systemUTC(),
                Duration.ofSeconds(2));
    }

    private byte[] signed(long site, long version, int maxConcurrent, MinisignSecretKey key) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SitePolicy policy = new SitePolicy(1, site, version, now,
                new PolicyLimits(null, maxConcurrent, null, null, null, null), Map.of(), Map.of(), List.of("882"),
                List.of());
        String body = ProtocolJson.mapper().writeValueAsString(policy);
        String signature = new ListSigner(key).sign(body.getBytes(StandardCharsets.UTF_8), new TrustedComment(
                ListFile.POLICY, SitePolicy.signedName(site), version, now, now.plus(Duration.ofDays(1))));
        return ProtocolJson.mapper().writeValueAsBytes(new SignedPolicy(1, version, body, signature));
    }

    @Test
    void aSignedPolicyIsAppliedKeptAndAskedForConditionally() throws Exception {
        LivePolicy live = new LivePolicy();
        List<Long> applied = new ArrayList<>();
        live.onChange(p -> applied.add(p.version()));
        served.set(signed(SITE, 1, 2, hubKey));
        poller(live).poll();
        assertEquals(2, live.current().defaults().maxConcurrent());
        assertTrue(Files.exists(dir.resolve("hub-policy.json")));

        poller(live).poll();
        assertEquals("\"policy-1\"", ifNoneMatch.get(1), "asked only for something newer");
        served.set(signed(SITE, 2, 3, hubKey));
        poller(live).poll();
        assertEquals(3, live.current().defaults().maxConcurrent(), "a changed cap holds at the next poll");
        assertEquals(List.of(1L, 2L), applied);
        assertTrue(alerts.isEmpty(), alerts.toString());

        // a restart with the hub away: the kept policy is in force at once
        served.set(null);
        LivePolicy restarted = new LivePolicy();
        PolicyPoller again = poller(restarted);
        again.restore();
        again.poll();
        assertEquals(2, restarted.version());
        assertEquals(3, restarted.current().defaults().maxConcurrent());
    }

    @Test
    void brokenUnsignedReplayedOrForeignPoliciesAreRefusedWithAnAlertAndTheLastGoodOneStays() throws Exception {
        LivePolicy live = new LivePolicy();
        served.set(signed(SITE, 5, 2, hubKey));
        poller(live).poll();

        served.set(signed(SITE, 6, 50, MinisignSecretKey.generate()));
        poller(live).poll();
        served.set(signed(SITE, 4, 50, hubKey));
        poller(live).poll();
        served.set(signed(SITE + 1, 9, 50, hubKey));
        poller(live).poll();
        served.set("{\"protocol\":1,\"version\":9,\"policy\":\"{}\"}".getBytes(StandardCharsets.UTF_8));
        poller(live).poll();
        served.set("not json".getBytes(StandardCharsets.UTF_8));
        poller(live).poll();

        assertEquals(5, live.version());
        assertEquals(2, live.current().defaults().maxConcurrent());
        assertEquals(5, alerts.size(), alerts.toString());
        assertTrue(alerts.get(1).contains("replayed or rolled back"), alerts.get(1));
        assertTrue(live.problem().startsWith("hub policy refused"), live.problem());
        LivePolicy restarted = new LivePolicy();
        poller(restarted).restore();
        assertEquals(5, restarted.version(), "the kept file is still the last good policy");
    }

    @Test
    void aKeptPolicyThatNoLongerVerifiesIsNotApplied() throws Exception {
        Files.writeString(dir.resolve("hub-policy.json"), new String(signed(SITE, 3, 2, MinisignSecretKey.generate()),
                StandardCharsets.UTF_8));
        LivePolicy live = new LivePolicy();
        poller(live).restore();
        assertNull(live.current());
        assertEquals(1, alerts.size());
        assertTrue(alerts.get(0).contains("cannot be used"), alerts.get(0));
    }
}
