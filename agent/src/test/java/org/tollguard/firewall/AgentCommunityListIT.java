package org.tollguard.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tollguard.firewall.TestNetwork.ATK4;
import static org.tollguard.firewall.TestNetwork.BYSTANDER4;
import static org.tollguard.firewall.TestNetwork.SRV4;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.Agent;
import org.tollguard.blacklist.Blacklist;
import org.tollguard.config.ApiConfig;
import org.tollguard.config.AsteriskConfig;
import org.tollguard.config.BlacklistConfig;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.StoreConfig;
import org.tollguard.config.TollguardConfig;

/**
 * The real agent with a community list, enforcing in a namespace of our own ({@code tgbl-*}): the list is synced
 * at start-up and drops a listed address; after a "reboot" (the kernel's sets gone) with the list server gone too,
 * the agent puts the stored list back before any request, and the address stays dropped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentCommunityListIT {
    @TempDir
    Path dir;
    TestNetwork net;

    @BeforeAll
    void startNetwork() throws Exception {
        Assumptions.assumeTrue(TestNetwork.isRoot(), "skipped: needs root (network namespaces, netfilter)");
        net = TestNetwork.create("tgbl");
    }

    @AfterAll
    void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    TollguardConfig config(String url) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TollguardConfig config = org.tollguard.config.ConfigLoader.parse("AgentCommunityListIT", """
                store: {path: "%s"}
                api: {port: %d, token-file: "%s"}
                asterisk: {enabled: false}
                firewall: {backend: ipset, netns: %s}
                metrics: {enabled: false}
                calls:
                  pre-dial: {port: %d}
                """.formatted(dir.resolve("tollguard.db"), port, dir.resolve("api.token"), net.srv, port + 1));
        return org.tollguard.support.Records.with(config, "blacklist",
                new BlacklistConfig(List.of(new BlacklistConfig.Source("voipbl", BlacklistConfig.SourceType.PLAIN, url,
                        null, null, Duration.ZERO, Duration.ofSeconds(10), null)), null, null));
    }

    @Test
    void aStoredListIsBackInTheKernelAfterARebootWithoutNetwork() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/list.txt", x -> {
            requests.incrementAndGet();
            byte[] body = ("# test list\n" + ATK4 + "\n203.0.113.0/24\n").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/list.txt";
        TestNetwork.Listener udp = net.listen("UDP4-RECV:5060", "udp", 5060);
        Firewall kernel = Firewalls.create(new FirewallConfig(FirewallConfig.Backend.IPSET, net.srv, List.of(), null));
        try (TestNetwork.Sender atk = net.send("UDP4-SENDTO:" + SRV4 + ":5060,bind=" + ATK4);
                TestNetwork.Sender bystander = net.send("UDP4-SENDTO:" + SRV4 + ":5060,bind=" + BYSTANDER4)) {
            Agent agent = Agent.start(config(url), Clock.systemUTC());
            try {
                awaitSynced(agent);
                assertEquals(2, kernel.listSize("voipbl"));
                assertDropped(atk, udp, "a1");
                assertArrives(bystander, udp, "b1");
            } finally {
                agent.close();
            }
            server.stop(0);
            kernel.tearDown(); // the reboot: our chain and every set gone

            Agent again = Agent.start(config(url), Clock.systemUTC());
            try {
                assertEquals(2, kernel.listSize("voipbl"), "the stored list is back before any request");
                assertDropped(atk, udp, "a2");
                awaitRuns(again, 1);
                Blacklist.SourceStatus status = again.blacklist().status().get(0);
                assertNotNull(status.lastError(), "the sync at start-up failed: the server is gone");
                assertEquals(2, status.size());
                assertEquals(2, kernel.listSize("voipbl"), "the last good list stays");
                assertDropped(atk, udp, "a3");
            } finally {
                again.close();
                kernel.tearDown();
            }
            assertEquals(1, requests.get());
        }
    }

    private static void awaitSynced(Agent agent) throws InterruptedException {
        awaitRuns(agent, 1);
        assertEquals(2, agent.blacklist().list("voipbl").size());
    }

    private static void awaitRuns(Agent agent, long runs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (agent.blacklist().status().get(0).runsFinished() < runs) {
            assertTrue(System.nanoTime() < deadline, "no sync of voipbl finished");
            Thread.sleep(50);
        }
    }

    private static void assertDropped(TestNetwork.Sender sender, TestNetwork.Listener listener, String token)
            throws Exception {
        sender.send(token);
        assertFalse(listener.await(token, Duration.ofMillis(800)), token + " from a listed address arrived");
    }

    private static void assertArrives(TestNetwork.Sender sender, TestNetwork.Listener listener, String token)
            throws Exception {
        sender.send(token);
        assertTrue(listener.await(token, Duration.ofSeconds(3)), token + " did not arrive");
    }
}
