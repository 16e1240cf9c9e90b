package org.tollguard.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tollguard.firewall.TestNetwork.ATK4;
import static org.tollguard.firewall.TestNetwork.ATK6;
import static org.tollguard.firewall.TestNetwork.BYSTANDER4;
import static org.tollguard.firewall.TestNetwork.SRV4;
import static org.tollguard.firewall.TestNetwork.SRV6;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollguard.config.FirewallConfig;
import org.tollguard.net.IpAddresses;

/**
 * What every kernel backend must do, asserted with real packets between two namespaces of our own. The
 * server namespace also holds the PBX's own firewall state ({@link #installForeignState()}), which enables
 * connection tracking there and must survive everything we do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FirewallScenarios {
    static final int UDP_PORT = 5060;
    static final int TCP_PORT = 5061;
    static final int OTHER_UDP_PORT = 5070;
    static final int UDP6_PORT = 5080;
    private static final Duration ARRIVES_WITHIN = Duration.ofSeconds(3);
    private static final Duration SILENCE = Duration.ofMillis(800);

    protected TestNetwork net;
    private TestNetwork.Listener udp4;
    private TestNetwork.Listener tcp4;
    private TestNetwork.Listener otherUdp4;
    private TestNetwork.Listener udp6;
    private final AtomicInteger tokens = new AtomicInteger();
    protected Firewall firewall;

    abstract FirewallConfig.Backend backend();

    /** The PBX's own rules and sets, in the server namespace; they must use connection tracking. */
    abstract void installForeignState() throws Exception;

    abstract void assertForeignStateIntact() throws Exception;

    /** Nothing named tollguard anywhere in the server namespace's firewall. */
    abstract void assertNothingOfOurs() throws Exception;

    /** Exactly one of our hooks (jump or base chain) per family: setUp did not stack them. */
    abstract void assertHookedOnce() throws Exception;

    /** Puts {@code count} addresses into our IPv6 ban set behind the firewall's back, in one command. */
    abstract void fillIpv6BanSet(int count) throws Exception;

    /** What another tool does to our part of the firewall (flush, reload): our hooks, rules and sets gone. */
    abstract void wipeOurFirewall() throws Exception;

    /** The kernel's listing of one of our ban sets, as its tool prints it. */
    abstract String banSetListing(boolean ipv6) throws Exception;

    /** The listing shows the address without a timeout. */
    abstract void assertPermanent(String address, String listing);

    /** How the listing states the set's size. */
    abstract String sizeInListing(int maxEntries);

    @BeforeAll
    void startNetwork() throws Exception {
        Assumptions.assumeTrue(TestNetwork.isRoot(),
                "skipped: firewall integration tests need root (network namespaces, netfilter)");
        for (String tool : List.of("ip", "ss", "socat", "conntrack", "ipset", "iptables", "nft")) {
            if (!CommandRunner.resolve(tool).startsWith("/")) {
                fail("'" + tool + "' is not installed: apt-get install iproute2 socat conntrack ipset iptables nftables");
            }
        }
        net = TestNetwork.create();
        installForeignState();
        udp4 = net.listen("UDP4-RECV:" + UDP_PORT, "udp", UDP_PORT);
        tcp4 = net.listen("TCP4-LISTEN:" + TCP_PORT + ",reuseaddr,fork", "tcp", TCP_PORT);
        otherUdp4 = net.listen("UDP4-RECV:" + OTHER_UDP_PORT, "udp", OTHER_UDP_PORT);
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
        firewall = firewall(List.of(), null);
        firewall.setUp();
    }

    @AfterEach
    void tearDownFirewall() throws FirewallException {
        if (firewall != null) {
            firewall.tearDown();
        }
    }

    Firewall firewall(List<Integer> ports, Integer maxEntries) {
        Firewall created = Firewalls.create(new FirewallConfig(backend(), net.srv, ports, maxEntries));
        assertEquals(backend().name(), created.name().toUpperCase());
        return created;
    }

    @Test
    void banStopsAnOngoingUdpFlowAndAnEstablishedTcpConnectionAndUnbanLetsThemBack() throws Exception {
        try (TestNetwork.Sender udp = udpSender(ATK4, UDP_PORT);
                TestNetwork.Sender tcp = tcpSender(ATK4);
                TestNetwork.Sender bystander = udpSender(BYSTANDER4, UDP_PORT)) {
            assertArrives(udp, udp4);
            assertArrives(tcp, tcp4);
            assertArrives(bystander, udp4);
            assertTrue(net.conntrackCount(ATK4) >= 2, "the PBX's firewall tracks both flows");

            firewall.ban(ip(ATK4), Duration.ofHours(1));

            awaitNoConntrackEntries(ATK4);
            assertBlocked(udp, udp4);
            assertBlocked(tcp, tcp4);
            assertEquals(0, net.conntrackCount(ATK4), "dropped before conntrack: no entry comes back");
            assertArrives(bystander, udp4);
            assertEquals(Set.of(ATK4), firewall.listBanned());

            firewall.unban(ip(ATK4));

            assertEquals(Set.of(), firewall.listBanned());
            assertArrives(udp, udp4);
            try (TestNetwork.Sender fresh = tcpSender(ATK4)) {
                assertArrives(fresh, tcp4);
            }
        }
    }

    @Test
    void theGuardPutsOurFirewallBackWithItsBansAfterAnotherToolWipedIt() throws Exception {
        List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable restoreBans = () -> { // what the agent does: every active ban through the ledger again
            try {
                firewall.ban(ip(ATK4), Duration.ofHours(1));
            } catch (FirewallException e) {
                throw new IllegalStateException(e);
            }
        };
        try (FirewallGuard guard = new FirewallGuard(firewall, restoreBans, reports::add);
                TestNetwork.Sender udp = udpSender(ATK4, UDP_PORT)) {
            firewall.ban(ip(ATK4), Duration.ofHours(1));
            assertBlocked(udp, udp4);
            guard.check();
            assertEquals(List.of(), reports, "nothing to repair while intact");

            wipeOurFirewall(); // the guard starts after it: a repair between two wipe commands would undo the wipe
            assertFalse(firewall.damage().isEmpty(), "the wipe is seen");
            assertArrives(udp, udp4);
            long wiped = System.nanoTime();
            guard.start(Duration.ofSeconds(2)); // the agent's period

            org.tollguard.support.Wait.until(Duration.ofSeconds(5), () -> !reports.isEmpty(), "repaired within 5 s");
            Duration took = Duration.ofNanos(System.nanoTime() - wiped);
            assertBlocked(udp, udp4);
            assertEquals(Set.of(ATK4), firewall.listBanned());
            assertEquals(List.of(), firewall.damage());
            Thread.sleep(2500);
            assertEquals(1, reports.size(), "one report per incident: " + reports);
            assertTrue(reports.get(0).contains("changed by another tool"), reports.get(0));
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
        }
    }

    @Test
    void ipv6BanAndUnban() throws Exception {
        try (TestNetwork.Sender udp = net.send("UDP6-SENDTO:[" + SRV6 + "]:" + UDP6_PORT + ",bind=[" + ATK6 + "]")) {
            assertArrives(udp, udp6);
            assertTrue(net.conntrackCount(ATK6) >= 1, "the PBX's firewall tracks the IPv6 flow");

            firewall.ban(ip("2001:DB8:0:0:0:0:0:2"), Duration.ofMinutes(10));

            awaitNoConntrackEntries(ATK6);
            assertBlocked(udp, udp6);
            assertEquals(Set.of(ATK6), firewall.listBanned());

            firewall.unban(ip(ATK6));
            assertArrives(udp, udp6);
        }
    }

    @Test
    void aTimedBanExpiresByItselfInTheKernel() throws Exception {
        try (TestNetwork.Sender udp = udpSender(ATK4, UDP_PORT)) {
            firewall.ban(ip(ATK4), Duration.ofSeconds(2));
            assertBlocked(udp, udp4);
            assertArrives(udp, udp4, Duration.ofSeconds(5));
            assertEquals(Set.of(), firewall.listBanned());
        }
    }

    @Test
    void banningAgainRestartsTheTimeout() throws Exception {
        try (TestNetwork.Sender udp = udpSender(ATK4, UDP_PORT)) {
            firewall.ban(ip(ATK4), Duration.ofSeconds(2));
            firewall.ban(ip(ATK4), Duration.ofHours(1));
            Thread.sleep(2500);
            assertBlocked(udp, udp4);
            assertEquals(Set.of(ATK4), firewall.listBanned());
            assertTrue(banSetListing(false).contains(ATK4 + " timeout"), banSetListing(false));
        }
    }

    @Test
    void permanentBansAndCanonicalListing() throws Exception {
        firewall.ban(ip("2001:db8:0::2"), null);
        firewall.ban(ip(ATK4), null);
        firewall.ban(ip(ATK4), null);
        assertEquals(Set.of(ATK4, ATK6), firewall.listBanned());
        assertPermanent(ATK4, banSetListing(false));

        firewall.unban(ip("203.0.113.77")); // never banned
        firewall.unban(ip("2001:db8::77"));
        firewall.unban(ip(ATK6));
        firewall.unban(ip(ATK6));
        assertEquals(Set.of(ATK4), firewall.listBanned());
    }

    @Test
    void refusesLoopbackAndZeroTimeouts() {
        assertThrows(FirewallException.class, () -> firewall.ban(ip("127.0.0.1"), null));
        assertThrows(FirewallException.class, () -> firewall.ban(ip("::1"), null));
        assertThrows(IllegalArgumentException.class, () -> firewall.ban(ip(ATK4), Duration.ZERO));
    }

    @Test
    void setUpTwiceKeepsBansAndTearDownLeavesOnlyWhatIsNotOurs() throws Exception {
        try (TestNetwork.Sender udp = udpSender(ATK4, UDP_PORT)) {
            firewall.ban(ip(ATK4), Duration.ofHours(1));
            firewall.setUp();
            firewall.setUp();
            assertHookedOnce();
            assertEquals(Set.of(ATK4), firewall.listBanned());
            assertBlocked(udp, udp4);

            firewall.tearDown();
            firewall.tearDown();
            assertNothingOfOurs();
            assertForeignStateIntact();
            assertEquals(Set.of(), firewall.listBanned());
            assertArrives(udp, udp4);
        }
    }

    @Test
    void aBanRepairsMissingSetsItself() throws Exception {
        firewall.tearDown();
        try (TestNetwork.Sender udp = udpSender(ATK4, UDP_PORT)) {
            firewall.ban(ip(ATK4), Duration.ofHours(1));
            assertBlocked(udp, udp4);
        }
    }

    @Test
    void aBanStillLandsAfterTheLongLivedToolWasKilled() throws Exception {
        firewall.ban(ip(BYSTANDER4), Duration.ofMinutes(1)); // starts the session
        List<Long> killed = killSessionTools();
        assertFalse(killed.isEmpty(), "no long-lived nft or ipset ran in " + net.srv);
        try (TestNetwork.Sender udp = udpSender(ATK4, UDP_PORT)) {
            firewall.ban(ip(ATK4), Duration.ofHours(1)); // one-shot while the session notices, then a new one
            assertBlocked(udp, udp4);
        }
        firewall.unban(ip(BYSTANDER4));
        firewall.ban(ip(BYSTANDER4), Duration.ofMinutes(1));
        assertTrue(firewall.listBanned().containsAll(List.of(ATK4, BYSTANDER4)), firewall.listBanned().toString());
    }

    /** Kills the firewall tools running in the PBX's namespace (the only ones alive between calls are sessions). */
    private List<Long> killSessionTools() throws Exception {
        Process pids = new ProcessBuilder("ip", "netns", "pids", net.srv).start();
        List<Long> killed = new ArrayList<>();
        for (String pid : new String(pids.getInputStream().readAllBytes()).trim().split("\\s+")) {
            Path comm = Path.of("/proc", pid, "comm");
            if (!pid.isEmpty() && Files.exists(comm)
                    && List.of("nft", "ipset").contains(Files.readString(comm).strip())) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                killed.add(Long.parseLong(pid));
            }
        }
        pids.waitFor();
        return killed;
    }

    @Test
    void aFullSetIsAClearError() throws Exception {
        Firewall small = firewall(List.of(), 1024);
        small.setUp();
        fillIpv6BanSet(1024);
        FirewallException e = assertThrows(FirewallException.class, () -> small.ban(ip(ATK6), Duration.ofHours(1)));
        assertTrue(e.getMessage().contains("is full (max-entries 1024): cannot ban " + ATK6), e.getMessage());
        assertTrue(e.getMessage().contains("raise firewall.max-entries"), e.getMessage());
        small.ban(ip("2001:db8::1:5"), Duration.ofHours(1)); // already in it: refreshing still works
        small.ban(ip(ATK4), Duration.ofHours(1)); // the IPv4 set has room
        assertEquals(1025, small.listBanned().size());
    }

    @Test
    void setUpResizesSetsAndKeepsTheirBans() throws Exception {
        Firewall small = firewall(List.of(), 1024);
        small.setUp();
        small.ban(ip(ATK4), Duration.ofHours(1));
        small.ban(ip(ATK6), null);
        assertTrue(banSetListing(false).contains(sizeInListing(1024)), banSetListing(false));

        Firewall larger = firewall(List.of(), 4096);
        larger.setUp();
        assertTrue(banSetListing(false).contains(sizeInListing(4096)), banSetListing(false));
        assertTrue(banSetListing(true).contains(sizeInListing(4096)), banSetListing(true));
        assertEquals(Set.of(ATK4, ATK6), larger.listBanned());
        assertTrue(banSetListing(false).contains(ATK4 + " timeout"), "keeps the remaining time");
        try (TestNetwork.Sender udp = udpSender(ATK4, UDP_PORT)) {
            assertBlocked(udp, udp4);
        }
    }

    @Test
    void withPortsABanDropsOnlyThosePorts() throws Exception {
        Firewall sip = firewall(List.of(UDP_PORT, TCP_PORT), null);
        sip.setUp();
        try (TestNetwork.Sender udp = udpSender(ATK4, UDP_PORT);
                TestNetwork.Sender tcp = tcpSender(ATK4);
                TestNetwork.Sender other = udpSender(ATK4, OTHER_UDP_PORT)) {
            assertArrives(tcp, tcp4);
            sip.ban(ip(ATK4), Duration.ofHours(1));
            assertBlocked(udp, udp4);
            assertBlocked(tcp, tcp4);
            assertArrives(other, otherUdp4);
        }
    }

    /** Prints the time ban() takes; {@code -Dtgfw.latency.samples=N} for more samples. */
    @Test
    void banLatency() throws Exception {
        int n = Integer.getInteger("tgfw.latency.samples", 40);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            InetAddress address = ip(i < 200 ? "203.0.113." + (20 + i) : "2001:db8::3:" + Integer.toHexString(i));
            long start = System.nanoTime();
            firewall.ban(address, Duration.ofMinutes(10));
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        System.out.printf("ban latency backend=%s n=%d p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
                firewall.name(), n, millis.get(n / 2), millis.get(n * 9 / 10), millis.get(n * 99 / 100),
                millis.get(n - 1));
        assertEquals(n, firewall.listBanned().size());
        assertTrue(millis.get(n / 2) < 250, "p50 " + millis.get(n / 2) + " ms");
    }

    // --- traffic ---

    private TestNetwork.Sender udpSender(String from, int port) throws Exception {
        return net.send("UDP4-SENDTO:" + SRV4 + ":" + port + ",bind=" + from);
    }

    private TestNetwork.Sender tcpSender(String from) throws Exception {
        return net.send("TCP4:" + SRV4 + ":" + TCP_PORT + ",bind=" + from);
    }

    private void assertArrives(TestNetwork.Sender sender, TestNetwork.Listener listener) throws Exception {
        assertArrives(sender, listener, ARRIVES_WITHIN);
    }

    /** Sends fresh lines every 200 ms until one arrives (the first may wait for neighbour discovery). */
    private void assertArrives(TestNetwork.Sender sender, TestNetwork.Listener listener, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> sent = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String token = token();
            sent.add(token);
            sender.send(token);
            for (String t : sent) {
                if (listener.await(t, Duration.ofMillis(t.equals(token) ? 200 : 0))) {
                    return;
                }
            }
        }
        fail("nothing sent to " + sender.target + " arrived within " + within.toMillis() + " ms");
    }

    /** The ban clears the address's tracked connections, on the firewall's conntrack worker, promptly. */
    private void awaitNoConntrackEntries(String address) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (net.conntrackCount(address) > 0) {
            if (System.nanoTime() > deadline) {
                fail("conntrack still has flows from " + address + ":\n" + net.srv("conntrack", "-L"));
            }
            Thread.sleep(20);
        }
    }

    private void assertBlocked(TestNetwork.Sender sender, TestNetwork.Listener listener) throws Exception {
        String token = token();
        sender.send(token);
        assertFalse(listener.await(token, SILENCE), "'" + token + "' to " + sender.target + " arrived despite the ban");
    }

    private String token() {
        return "tgfw-" + tokens.incrementAndGet() + "-" + System.nanoTime();
    }

    static InetAddress ip(String text) {
        return IpAddresses.parse(text);
    }
}
