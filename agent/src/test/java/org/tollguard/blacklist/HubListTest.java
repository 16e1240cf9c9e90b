package org.tollguard.blacklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.ban.NeverBan;
import org.tollguard.config.BlacklistConfig;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.HubConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.Firewalls;
import org.tollguard.net.Cidr;
import org.tollguard.protocol.Head;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ListFile;
import org.tollguard.protocol.ListSigner;
import org.tollguard.protocol.TrustedComment;
import org.tollguard.protocol.minisign.MinisignSecretKey;
import org.tollguard.store.Store;
import org.tollguard.store.SyncStateRepository;

/**
 * The hub's signed list against a real HTTP server on loopback serving files signed by the protocol module: what
 * is taken, and every hostile list (unsigned, signed by another key, tampered, replayed, expired) refused with the
 * last good list kept in the firewall and a REJECTED result, which the agent alerts once.
 */
class HubListTest {
    static final String CREDENTIAL = "tga_7_test-credential";

    @TempDir
    Path dir;
    TestHub server;
    SignedListHub lists;
    Store store;
    Firewall firewall;
    HubConfig hub;
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    Blacklist blacklist;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestHub();
        lists = new SignedListHub(server);
        store = Store.open(dir.resolve("tollguard.db"));
        firewall = Firewalls.create(new FirewallConfig(FirewallConfig.Backend.LOG, null, null, null));
        Path credentialFile = dir.resolve("hub-enrollment.json");
        new Enrollment(server.url(""), "7", "site-a", CREDENTIAL, SignedListHub.LIST, List.of(lists.publicKey()),
                Instant.now()).write(credentialFile);
        hub = new HubConfig(server.url(""), credentialFile, null, null, null);
    }

    @AfterEach
    void tearDown() {
        if (blacklist != null) {
            blacklist.close();
        }
        store.close();
        server.close();
    }

    Blacklist blacklist() {
        return blacklist(List.of());
    }

    Blacklist blacklist(List<Cidr> allowlist) {
        BlacklistConfig.Source source = new BlacklistConfig.Source("hub", BlacklistConfig.SourceType.HUB, null, null,
                null, Duration.ZERO, Duration.ofSeconds(5), null);
        blacklist = new Blacklist(new BlacklistConfig(List.of(source), null, null), hub, 1_048_576, firewall,
                new NeverBan(allowlist), store, d -> {
                    decisions.add(d);
                    return d;
                }, Clock.systemUTC(), new ListHttp(), Duration.ZERO, Duration.ZERO, Duration.ofMillis(10));
        return blacklist;
    }

    List<String> inForce() {
        return NetListTest.texts(blacklist.list("hub"));
    }

    long alerts() {
        return decisions.stream().filter(d -> d.kind() == DecisionKind.ALERT).count();
    }

    @Test
    void aSignedSnapshotThenChangesThenAnUnchangedHeadCostsOne304() throws Exception {
        lists.snapshot(List.of("5.5.5.5", "6.6.6.6"));
        Blacklist b = blacklist();
        Blacklist.SyncResult full = b.sync("hub");
        assertEquals(Blacklist.SyncResult.APPLIED, full.outcome(), full.toString());
        assertEquals("full", full.kind());
        assertEquals(List.of("5.5.5.5", "6.6.6.6"), inForce());
        assertEquals(2, firewall.listSize("hub"));
        assertEquals("Bearer " + CREDENTIAL, server.requests.get(0).header("Authorization"));

        lists.changes(List.of("7.7.7.7"), List.of("5.5.5.5"));
        Blacklist.SyncResult changes = b.sync("hub");
        assertEquals("changes", changes.kind(), changes.toString());
        assertEquals(List.of("6.6.6.6", "7.7.7.7"), inForce());
        assertEquals(2, new SyncStateRepository(store).takenGeneration("hub"));

        int before = server.requests.size();
        assertEquals(Blacklist.SyncResult.NOT_MODIFIED, b.sync("hub").outcome());
        assertEquals(before + 1, server.requests.size(), "an unchanged list costs one request");
        TestHub.Request poll = server.requests.get(server.requests.size() - 1);
        assertTrue(poll.uri().endsWith(HubPaths.head(SignedListHub.LIST)), poll.uri());
        assertTrue(poll.header("If-None-Match") != null, "a conditional request");
        assertEquals(0, alerts());
    }

    @Test
    void aHostileListNeverReachesTheFirewall() throws Exception {
        lists.snapshot(List.of("5.5.5.5")).changes(List.of("6.6.6.6"), List.of());
        Blacklist b = blacklist();
        assertEquals(Blacklist.SyncResult.APPLIED, b.sync("hub").outcome());
        List<String> good = List.of("5.5.5.5", "6.6.6.6");
        assertEquals(good, inForce());

        lists.changes(List.of("9.9.9.9"), List.of("5.5.5.5")); // generation 3, then served in hostile forms
        SignedListHub.Signed genuine = lists.heads.get(3L);
        Instant now = Instant.now();
        ListSigner stranger = new ListSigner(MinisignSecretKey.generate());
        String foreign = stranger.sign(genuine.body(), new TrustedComment(ListFile.HEAD, SignedListHub.LIST, 3, now,
                now.plus(Duration.ofDays(1))));
        byte[] tampered = new String(genuine.body(), StandardCharsets.UTF_8).replace("\"generation\":3",
                "\"generation\":3 ").getBytes(StandardCharsets.UTF_8);
        SignedListHub.Signed replayed = lists.heads.get(1L);

        record Hostile(String what, Runnable serve, String error) {}
        List<Hostile> hostile = List.of(
                new Hostile("unsigned", () -> lists.serveHead(genuine.body(), null), "unsigned"),
                new Hostile("another key", () -> lists.serveHead(genuine.body(), foreign), "key"),
                new Hostile("tampered head", () -> lists.serveHead(tampered, genuine.signature()), "signature"),
                new Hostile("replayed generation 1", () -> lists.serveHead(replayed.body(), replayed.signature()),
                        "older than generation 2"),
                new Hostile("tampered changes file", () -> {
                    lists.restore(lists.snapshotRef());
                    lists.serveHead(genuine.body(), genuine.signature());
                    lists.tamper(lists.lastChanges(), "{\"protocol\":1}".getBytes(StandardCharsets.UTF_8));
                }, "SHA-256"));
        for (Hostile h : hostile) {
            h.serve().run();
            long alertsBefore = alerts();
            Blacklist.SyncResult r = b.sync("hub");
            assertEquals(Blacklist.SyncResult.REJECTED, r.outcome(), h.what() + ": " + r);
            assertTrue(r.error().contains(h.error()), h.what() + ": " + r.error());
            assertEquals(good, inForce(), h.what());
            assertEquals(2, firewall.listSize("hub"), h.what());
            assertEquals(alertsBefore, alerts(), h.what() + ": reported once, by its REJECTED result (the agent's syncFailed"
                    + " alert), not also as a decision");
        }

        lists.publishHead(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))); // expired, genuinely signed
        Blacklist.SyncResult expired = b.sync("hub");
        assertEquals(Blacklist.SyncResult.REJECTED, expired.outcome(), expired.toString());
        assertTrue(expired.error().contains("expired"), expired.error());
        assertEquals(good, inForce());

        Head.FileRef third = lists.lastChanges();
        lists.changes(List.of(), List.of()); // the hub publishes properly again: generation 4
        lists.restore(third);
        Blacklist.SyncResult recovered = b.sync("hub");
        assertEquals(Blacklist.SyncResult.APPLIED, recovered.outcome(), recovered.toString());
        assertEquals(List.of("6.6.6.6", "9.9.9.9"), inForce());
    }

    @Test
    void anOlderGenerationIsRefusedAfterARestartToo() throws Exception {
        lists.snapshot(List.of("5.5.5.5")).changes(List.of("6.6.6.6"), List.of());
        assertEquals(Blacklist.SyncResult.APPLIED, blacklist().sync("hub").outcome());
        blacklist.close();

        // a new agent process on the same store whose allowlist changed: its stored list must be fetched whole
        store.close();
        store = Store.open(dir.resolve("tollguard.db"));
        SignedListHub.Signed first = lists.heads.get(1L);
        lists.serveHead(first.body(), first.signature());
        Blacklist b = blacklist(List.of(Cidr.parse("203.0.113.0/24")));
        b.applyStored();
        Blacklist.SyncResult r = b.sync("hub");
        assertEquals(Blacklist.SyncResult.REJECTED, r.outcome(), r.toString());
        assertTrue(r.error().contains("older than generation 2"), r.error());
        assertEquals(List.of("5.5.5.5", "6.6.6.6"), inForce(), "the stored generation 2 stays, 1 did not get in");
    }

    @Test
    void theSchedulerPollsTheHeadSoANewGenerationIsInForceWithinThePollInterval() throws Exception {
        hub = new HubConfig(hub.url(), hub.credentialFile(), null, null, Duration.ofSeconds(1));
        lists.snapshot(List.of("5.5.5.5"));
        Blacklist b = blacklist();
        b.start();
        BlacklistSyncTest.awaitRuns(b, "hub", 1);
        assertEquals(List.of("5.5.5.5"), inForce());

        lists.changes(List.of("7.7.7.7"), List.of());
        long published = System.nanoTime();
        org.tollguard.support.Wait.until(Duration.ofSeconds(10), () -> inForce().contains("7.7.7.7"),
                "the new generation in force");
        long millis = (System.nanoTime() - published) / 1_000_000;
        assertTrue(millis < 2_500, "picked up after " + millis + " ms with a 1 s poll interval");
        List<TestHub.Request> polls = server.requests.stream()
                .filter(r -> r.uri().equals(HubPaths.head(SignedListHub.LIST))).toList();
        assertTrue(polls.size() >= 2 && polls.stream().skip(1).allMatch(r -> r.header("If-None-Match") != null),
                "polls after the first are conditional");
        assertEquals("every 1s", b.status().get(0).schedule());
    }

    @Test
    void notEnrolledIsAClearRefusal() throws Exception {
        lists.snapshot(List.of("5.5.5.5"));
        java.nio.file.Files.delete(hub.credentialFile());
        Blacklist.SyncResult r = blacklist().sync("hub");
        assertEquals(Blacklist.SyncResult.REJECTED, r.outcome());
        assertTrue(r.error().contains("not enrolled") && r.error().contains("tollguard enroll"), r.error());
        assertEquals(0, server.requests.size(), "nothing asked without a credential");
    }
}
