package org.tollguard.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tollguard.firewall.TestNetwork.ATK4;
import static org.tollguard.firewall.TestNetwork.ATK6;
import static org.tollguard.firewall.TestNetwork.BYSTANDER4;
import static org.tollguard.firewall.TestNetwork.SRV4;
import static org.tollguard.firewall.TestNetwork.SRV6;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollguard.config.FirewallConfig;
import org.tollguard.net.Cidr;
import org.tollguard.net.IpAddresses;

/**
 * Community lists in the kernel, asserted with real packets between namespaces of our own ({@code tgbl-*}):
 * matching, incremental changes, and that replacing a 400,000-entry list never lets a listed address through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CommunityListScenarios {
    static final int UDP_PORT = 5060;
    static final int UDP6_PORT = 5080;
    static final int BIG = 400_000;
    private static final Duration ARRIVES_WITHIN = Duration.ofSeconds(3);
    private static final Duration SILENCE = Duration.ofMillis(800);

    TestNetwork net;
    private TestNetwork.Listener udp4;
    private TestNetwork.Listener udp6;
    private final AtomicInteger tokens = new AtomicInteger();
    Firewall firewall;

    abstract FirewallConfig.Backend backend();

    @BeforeAll
    void startNetwork() throws Exception {
        Assumptions.assumeTrue(TestNetwork.isRoot(),
                "skipped: firewall integration tests need root (network namespaces, netfilter)");
        for (String tool : List.of("ip", "ss", "socat", "ipset", "iptables", "nft")) {
            if (!CommandRunner.resolve(tool).startsWith("/")) {
                fail("'" + tool + "' is not installed: apt-get install iproute2 socat ipset iptables nftables");
            }
        }
        net = TestNetwork.create("tgbl");
        udp4 = net.listen("UDP4-RECV:" + UDP_PORT, "udp", UDP_PORT);
        udp6 = net.listen("UDP6-RECV:" + UDP6_PORT, "udp", UDP6_PORT);
    }

    @AfterAll
    void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @BeforeEach
    void setUpFirewall() throws FirewallException {
        firewall = Firewalls.create(new FirewallConfig(backend(), net.srv, List.of(), null));
        firewall.setUp();
    }

    @AfterEach
    void tearDownFirewall() throws FirewallException {
        if (firewall != null) {
            firewall.tearDown();
        }
    }

    @Test
    void aListDropsItsAddressesAndNetworksAndChangesInPlace() throws Exception {
        try (TestNetwork.Sender atk = udp(ATK4); TestNetwork.Sender bystander = udp(BYSTANDER4);
                TestNetwork.Sender atk6 = net.send("UDP6-SENDTO:[" + SRV6 + "]:" + UDP6_PORT + ",bind=[" + ATK6 + "]")) {
            assertArrives(atk, udp4);

            firewall.replaceList("test", cidrs("203.0.113.7", ATK4, "2001:db8::/64"));

            assertBlocked(atk, udp4);
            assertArrives(bystander, udp4);
            assertBlocked(atk6, udp6);
            assertEquals(3, firewall.listSize("test"));
            assertEquals(Set.of("test"), firewall.listNames());
            assertEquals(Set.of(), firewall.listBanned(), "a list entry is no ban");

            firewall.updateList("test", cidrs("198.51.100.2/31"), cidrs(ATK4, "2001:db8::/64"));

            assertBlocked(atk, udp4); // now through the /31
            assertBlocked(bystander, udp4);
            assertArrives(atk6, udp6);
            assertEquals(2, firewall.listSize("test"));

            firewall.updateList("test", cidrs(), cidrs("198.51.100.2/31", "198.51.100.2/31", "192.0.2.99"));
            assertArrives(atk, udp4);
            assertEquals(1, firewall.listSize("test"));

            firewall.removeList("test");
            assertEquals(-1, firewall.listSize("test"));
            assertEquals(Set.of(), firewall.listNames());
            assertArrives(bystander, udp4);
        }
    }

    @Test
    void listsAndBansWorkSideBySideAndSurviveSetUpAgain() throws Exception {
        try (TestNetwork.Sender atk = udp(ATK4); TestNetwork.Sender bystander = udp(BYSTANDER4)) {
            firewall.replaceList("one", cidrs(ATK4));
            firewall.replaceList("two", cidrs("2001:db8::99"));
            firewall.ban(IpAddresses.parse(BYSTANDER4), Duration.ofMinutes(5));
            assertBlocked(atk, udp4);
            assertBlocked(bystander, udp4);

            firewall.setUp(); // the agent restarting: the chain is rebuilt, the lists must stay matched
            assertBlocked(atk, udp4);
            assertEquals(Set.of("one", "two"), firewall.listNames());

            firewall.removeList("two");
            assertBlocked(atk, udp4);
            firewall.unban(IpAddresses.parse(BYSTANDER4));
            assertArrives(bystander, udp4);
            firewall.replaceList("one", cidrs());
            assertEquals(0, firewall.listSize("one"));
            assertArrives(atk, udp4);
        }
    }

    @Test
    void updatingAListThatIsNotLoadedFails() {
        try {
            firewall.updateList("absent", cidrs("203.0.113.1"), cidrs());
            fail("expected a FirewallException");
        } catch (FirewallException e) {
            assertTrue(e.getMessage().contains("not in the kernel"), e.getMessage());
        }
    }

    /**
     * A prober sends from a listed address without pause while a 400,000-entry list replaces another (both hold
     * the address): not one datagram may arrive. A bystander's datagrams show that the path works meanwhile.
     * Bans stay fast with such a list loaded.
     */
    @Test
    void replacingA400kListNeverLetsAListedAddressThrough() throws Exception {
        List<Cidr> first = bigList(1, ATK4);
        List<Cidr> second = bigList(2, ATK4);
        long start = System.nanoTime();
        firewall.replaceList("big", first);
        long firstLoad = System.nanoTime() - start;

        AtomicBoolean probing = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        try (TestNetwork.Sender atk = udp(ATK4); TestNetwork.Sender bystander = udp(BYSTANDER4)) {
            Thread prober = new Thread(() -> {
                try {
                    while (probing.get()) {
                        atk.send("probe-" + sent.incrementAndGet());
                        Thread.sleep(1);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, "tgbl-prober");
            prober.start();
            int swaps = 0;
            long swapTime = 0;
            for (List<Cidr> next : List.of(second, first)) {
                long t = System.nanoTime();
                firewall.replaceList("big", next);
                swapTime += System.nanoTime() - t;
                swaps++;
                assertArrives(bystander, udp4);
            }
            long ban = System.nanoTime();
            firewall.ban(IpAddresses.parse("203.0.113.200"), Duration.ofMinutes(1));
            long banMillis = (System.nanoTime() - ban) / 1_000_000;
            probing.set(false);
            prober.join();
            Thread.sleep(SILENCE.toMillis());
            long leaked = udp4.received().stream().filter(l -> l.startsWith("probe-")).count();
            System.out.printf("backend=%s first_load_ms=%d swaps=%d mean_swap_ms=%d probes_sent=%d leaked=%d ban_ms=%d%n",
                    backend(), firstLoad / 1_000_000, swaps, swapTime / swaps / 1_000_000, sent.get(), leaked, banMillis);
            assertTrue(sent.get() > 100, "the prober sent " + sent.get());
            assertEquals(0, leaked, "datagrams from a listed address got through during the swap");
            assertTrue(banMillis < 1000, "a ban took " + banMillis + " ms with a 400k list loaded");
            assertEquals(first.size(), firewall.listSize("big"));
        }
    }

    /** {@code n} distinct public IPv4 addresses (and a few IPv6 networks) from a seed, plus {@code extra}. */
    static List<Cidr> bigList(long seed, String extra) {
        Random random = new Random(seed);
        Set<Cidr> out = new LinkedHashSet<>();
        out.add(Cidr.parse(extra));
        for (int i = 0; i < 100; i++) {
            out.add(Cidr.parse("2001:db8:" + Integer.toHexString(1 + random.nextInt(0xfff0)) + "::/48"));
        }
        while (out.size() < BIG) {
            int a = 1 + random.nextInt(222);
            if (a == 10 || a == 127 || a == 198) {
                continue;
            }
            out.add(Cidr.parse(a + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256)));
        }
        return new ArrayList<>(out);
    }

    static List<Cidr> cidrs(String... networks) {
        return List.of(networks).stream().map(Cidr::parse).toList();
    }

    private TestNetwork.Sender udp(String from) throws Exception {
        return net.send("UDP4-SENDTO:" + SRV4 + ":" + UDP_PORT + ",bind=" + from);
    }

    private void assertArrives(TestNetwork.Sender sender, TestNetwork.Listener listener) throws Exception {
        String token = "t" + tokens.incrementAndGet();
        sender.send(token);
        assertTrue(listener.await(token, ARRIVES_WITHIN), "expected '" + token + "' via " + sender.target + " to arrive");
    }

    private void assertBlocked(TestNetwork.Sender sender, TestNetwork.Listener listener) throws Exception {
        String token = "t" + tokens.incrementAndGet();
        sender.send(token);
        assertFalse(listener.await(token, SILENCE), "expected '" + token + "' via " + sender.target + " to be dropped");
    }
}
