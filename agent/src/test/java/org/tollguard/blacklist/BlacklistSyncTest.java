package org.tollguard.blacklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.ban.NeverBan;
import org.tollguard.config.BlacklistConfig;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.HubConfig;
import org.tollguard.yamlconfig.Secret;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.Firewalls;
import org.tollguard.net.Cidr;
import org.tollguard.net.IpAddresses;
import org.tollguard.store.Store;
import org.tollguard.store.SyncStateRepository;

/** Sources, checks and syncs against a real HTTP server on loopback; the firewall is the log backend. */
class BlacklistSyncTest {
    static final String OWN = "198.51.100.1";
    static final String ALLOWED = "203.0.113.0/28";

    @TempDir
    Path dir;
    TestHub hub;
    Store store;
    Firewall firewall;
    NeverBan neverBan;
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    Blacklist blacklist;

    @BeforeEach
    void setUp() throws Exception {
        hub = new TestHub();
        store = Store.open(dir.resolve("tollguard.db"));
        firewall = Firewalls.create(new FirewallConfig(FirewallConfig.Backend.LOG, null, null, null));
        neverBan = new NeverBan(List.of(Cidr.parse(ALLOWED)));
        neverBan.addPbxAddress(IpAddresses.parse(OWN));
    }

    @AfterEach
    void tearDown() {
        if (blacklist != null) {
            blacklist.close();
        }
        store.close();
        hub.close();
    }

    Blacklist blacklist(BlacklistConfig.Source... sources) {
        blacklist = new Blacklist(new BlacklistConfig(List.of(sources), null, null), HubConfig.defaults(), 1_048_576,
                firewall, neverBan,
                store, d -> {
                    decisions.add(d);
                    return d;
                }, Clock.systemUTC(), new ListHttp(), Duration.ZERO, Duration.ofMillis(50), Duration.ZERO);
        return blacklist;
    }

    BlacklistConfig.Source source(String name, BlacklistConfig.SourceType type, String path, String token) {
        return new BlacklistConfig.Source(name, type, hub.url(path), token == null ? null : new Secret(token), null,
                Duration.ZERO, Duration.ofSeconds(5), null);
    }

    static String addresses(int n, int seed) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(1 + seed).append('.').append((i >> 16) & 0xff).append('.').append((i >> 8) & 0xff).append('.')
                    .append(i & 0xff).append('\n');
        }
        return sb.toString();
    }

    List<Decision> alerts() {
        return decisions.stream().filter(d -> d.kind() == DecisionKind.ALERT).toList();
    }

    @Test
    void plainListWithCommentsAndCidrsThenEtag304() throws Exception {
        AtomicInteger served = new AtomicInteger();
        hub.route("/voipbl.txt", x -> {
            if ("\"v1\"".equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
                TestHub.send(x, 304, null, "");
                return;
            }
            served.incrementAndGet();
            TestHub.sendMaybeGzip(x, "text/plain", "# VoIPBL\n5.6.7.0/24 ; a network\n9.9.9.9 # one\n\n2001:db8:9::/48\n",
                    Map.of("ETag", "\"v1\""));
        });
        Blacklist b = blacklist(source("voipbl", BlacklistConfig.SourceType.PLAIN, "/voipbl.txt", null));

        Blacklist.SyncResult first = b.sync("voipbl");
        assertEquals(Blacklist.SyncResult.APPLIED, first.outcome(), first.toString());
        assertEquals(3, first.size());
        assertEquals(3, firewall.listSize("voipbl"));
        assertTrue(hub.requests.get(0).header("Accept-Encoding").contains("gzip"), "asks for gzip");

        Blacklist.SyncResult second = b.sync("voipbl");
        assertEquals(Blacklist.SyncResult.NOT_MODIFIED, second.outcome(), second.toString());
        assertEquals(1, served.get());
        assertEquals("\"v1\"", hub.requests.get(1).header("If-None-Match"));
        assertEquals(3, firewall.listSize("voipbl"));
    }

    @Test
    void apibanPagesToItsEndMarkerAndWaitsOutItsRateLimit() throws Exception {
        AtomicInteger limited = new AtomicInteger();
        hub.route("/api/KEY1/banned/100", x -> TestHub.send(x, 200, "application/json",
                "{\"ipaddress\":[\"11.0.0.1\",\"11.0.0.2\"],\"ID\":\"1700000001\"}"));
        hub.route("/api/KEY1/banned/1700000001", x -> {
            if (limited.getAndIncrement() == 0) {
                TestHub.send(x, 400, "application/json", "{\"ipaddress\":\"rate limit exceeded\",\"ID\":\"none\"}");
                return;
            }
            TestHub.send(x, 200, "application/json", "{\"ipaddress\":[\"11.0.0.3\",\"not-an-ip\"],\"ID\":\"1700000002\"}");
        });
        hub.route("/api/KEY1/banned/1700000002", x -> TestHub.send(x, 400, "application/json",
                "{\"ipaddress\":[\"no new bans\"],\"ID\":\"none\"}"));
        Blacklist b = blacklist(source("apiban", BlacklistConfig.SourceType.APIBAN, "/api", "KEY1"));

        Blacklist.SyncResult r = b.sync("apiban");

        assertEquals(Blacklist.SyncResult.APPLIED, r.outcome(), r.toString());
        assertEquals(List.of("11.0.0.1", "11.0.0.2", "11.0.0.3"), NetListTest.texts(b.list("apiban")));
        assertEquals(1, r.dropped().get(ListSanity.MALFORMED));
        assertEquals(4, hub.requests.size(), "three pages and one rate-limited try");
    }

    @Test
    void theHostileListNeverGetsIn() throws Exception {
        String good = addresses(1000, 20);
        String[] body = {good};
        boolean[] truncate = {false};
        hub.route("/list.txt", x -> {
            if (truncate[0]) {
                TestHub.sendTruncated(x, "text/plain", body[0]);
            } else {
                TestHub.send(x, 200, "text/plain", body[0]);
            }
        });
        Blacklist b = blacklist(source("list", BlacklistConfig.SourceType.PLAIN, "/list.txt", null));
        assertEquals(Blacklist.SyncResult.APPLIED, b.sync("list").outcome());
        NetList lastGood = b.list("list");
        assertEquals(1000, lastGood.size());

        // hostile entries inside a good list: each dropped and counted, the rest applied
        String hostile = "0.0.0.0/0\n127.0.0.1\n" + OWN + "\n203.0.113.5\n" + ALLOWED + "\nthis is garbage\n1.2.3.4.5\n";
        body[0] = hostile + good;
        Blacklist.SyncResult mixed = b.sync("list");
        assertEquals(Blacklist.SyncResult.APPLIED, mixed.outcome(), mixed.toString());
        assertEquals(lastGood, b.list("list"), "none of the hostile entries got in");
        assertEquals(Map.of(ListSanity.TOO_WIDE, 1, ListSanity.LOOPBACK, 1, ListSanity.OWN_ADDRESS, 1,
                ListSanity.ALLOWLIST, 2, ListSanity.MALFORMED, 2), mixed.dropped());
        int alertsBefore = alerts().size();

        // a list of nothing but hostile entries, a truncated body, a list 90% smaller, an HTML page: refused
        List<Blacklist.SyncResult> refused = new ArrayList<>();
        body[0] = hostile;
        refused.add(b.sync("list"));
        body[0] = good;
        truncate[0] = true;
        refused.add(b.sync("list"));
        truncate[0] = false;
        body[0] = addresses(100, 20);
        refused.add(b.sync("list"));
        body[0] = "<html><body>\n<h1>Service Unavailable</h1>\n</body></html>\n";
        refused.add(b.sync("list"));
        for (Blacklist.SyncResult r : refused) {
            assertFalse(r.outcome().equals(Blacklist.SyncResult.APPLIED), r.toString());
            assertEquals(lastGood, b.list("list"), "the last good list stays: " + r);
            assertEquals(1000, firewall.listSize("list"), r.toString());
        }
        assertTrue(refused.get(0).error().contains("shrank by 100%"), refused.get(0).error());
        assertEquals(Blacklist.SyncResult.FAILED, refused.get(1).outcome(), refused.get(1).error());
        assertTrue(refused.get(2).error().contains("shrank by 90%"), refused.get(2).error());
        assertTrue(refused.get(3).error().startsWith("not a list"), refused.get(3).error());
        assertEquals(List.of(), alerts().subList(alertsBefore, alerts().size()),
                "a failed sync is reported once, by its result (the agent's syncFailed alert), not also as a decision");
        var state = new SyncStateRepository(store).load("list").orElseThrow();
        assertEquals(4, state.consecutiveFailures());
        assertNotNull(state.lastError());
    }

    @Test
    void theLastGoodListIsAppliedAtStartUpBeforeAnyRequest() throws Exception {
        hub.route("/list.txt", x -> TestHub.send(x, 200, "text/plain", addresses(500, 30) + "198.51.100.9\n"));
        Blacklist b = blacklist(source("list", BlacklistConfig.SourceType.PLAIN, "/list.txt", null));
        assertEquals(Blacklist.SyncResult.APPLIED, b.sync("list").outcome());
        b.close();
        blacklist = null;
        hub.close(); // no network from here on

        // reboot: empty kernel, the operator has since allowlisted one address of the list
        firewall = Firewalls.create(new FirewallConfig(FirewallConfig.Backend.LOG, null, null, null));
        neverBan = new NeverBan(List.of(Cidr.parse(ALLOWED), Cidr.parse("198.51.100.9")));
        Blacklist after = blacklist(source("list", BlacklistConfig.SourceType.PLAIN, "/list.txt", null));
        after.applyStored();
        assertEquals(500, firewall.listSize("list"));
        assertFalse(after.list("list").matches(IpAddresses.parse("198.51.100.9")));
        assertTrue(after.list("list").matches(IpAddresses.parse("31.0.1.4")));
    }

    @Test
    void aSlowServerIsAbandonedAtTheTimeout() throws Exception {
        hub.route("/slow.txt", x -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestHub.send(x, 200, "text/plain", "1.1.1.1\n");
        });
        Blacklist b = blacklist(new BlacklistConfig.Source("slow", BlacklistConfig.SourceType.PLAIN,
                hub.url("/slow.txt"), null, null, Duration.ZERO, Duration.ofMillis(500), null));
        long start = System.nanoTime();
        Blacklist.SyncResult r = b.sync("slow");
        assertEquals(Blacklist.SyncResult.REJECTED, r.outcome(), r.toString());
        assertTrue(r.error().contains("within"), r.error());
        assertTrue(System.nanoTime() - start < 2_500_000_000L);
    }

    @Test
    void theSchedulerSyncsAtStartUpAndOnRequestAndShowsTheNextRun() throws Exception {
        hub.route("/list.txt", x -> TestHub.send(x, 200, "text/plain", "44.0.0.1\n44.0.0.2\n"));
        Blacklist b = blacklist(source("list", BlacklistConfig.SourceType.PLAIN, "/list.txt", null),
                new BlacklistConfig.Source("off", BlacklistConfig.SourceType.PLAIN, hub.url("/off.txt"), null, null,
                        null, null, false));
        b.applyStored();
        b.start();
        awaitRuns(b, "list", 1);
        Map<String, Long> awaited = b.requestSync(null);
        assertEquals(Map.of("list", 2L), awaited);
        awaitRuns(b, "list", 2);
        Blacklist.SourceStatus list = b.status().get(0);
        assertEquals(2, list.size());
        assertNotNull(list.lastSuccess());
        assertNull(list.lastError());
        assertTrue(list.nextRun().isAfter(Instant.now()));
        Blacklist.SourceStatus off = b.status().get(1);
        assertFalse(off.enabled());
        assertNull(off.nextRun());
        assertEquals(0, hub.requestsTo("/off.txt").size());
    }

    static void awaitRuns(Blacklist b, String name, long runs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (b.status().stream().anyMatch(s -> s.name().equals(name) && s.runsFinished() >= runs)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no run " + runs + " of " + name);
    }
}
