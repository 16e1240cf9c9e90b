package org.tollguard.freeswitch;

import org.tollguard.support.Ports;
import org.tollguard.support.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tollguard.config.FreeSwitchConfig;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.PreDialAnswer;
import org.tollguard.pbx.PreDialCheck;
import org.tollguard.pbx.PreDialRequest;

/** The pre-dial exchange, byte for byte as mod_event_socket's outbound (socket application) mode runs it. */
class PreDialServerTest {
    private final LinkedBlockingQueue<PreDialRequest> asked = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private volatile PreDialCheck policy = r -> PreDialAnswer.allow("ok");
    private PreDialServer server;
    private LogCapture logs;

    @BeforeEach
    void setUp() throws IOException {
        logs = track(new LogCapture("org.tollguard.freeswitch"));
        server = start(Duration.ofMillis(300));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }

    private PreDialServer start(Duration timeout) throws IOException {
        PreDialServer s = track(new PreDialServer(new FreeSwitchConfig.PreDial(true, "127.0.0.1", Ports.freePort(), timeout),
                "127.0.0.1", r -> {
                    asked.add(r);
                    return policy.check(r);
                }));
        s.start();
        return s;
    }

    private FakeSocketApplication.Outcome call() throws IOException {
        return FakeSocketApplication.run(server.port(), FakeSocketApplication.channelData());
    }

    @Test
    void allowedCallGoesOnWithTheExactExchange() throws Exception {
        FakeSocketApplication.Outcome o = call();
        assertEquals("connect\n\n"
                + "sendmsg\ncall-command: execute\nexecute-app-name: set\nexecute-app-arg: tollguard_result=allow\n\n"
                + "exit\n\n", o.bytesReceived());
        assertEquals(Map.of("tollguard_result", "allow"), o.variables());
        assertTrue(o.channelUp());
        PreDialRequest r = asked.poll(1, TimeUnit.SECONDS);
        assertEquals(new PreDialRequest(FakeSocketApplication.UUID, "1001", "1001", "0201234567",
                IpAddresses.parse("198.51.100.102")), r);
        assertTrue(logs.contains(Level.INFO, "pre-dial check callId=" + FakeSocketApplication.UUID
                + " account=\"1001\" destination=\"0201234567\" source=198.51.100.102 verdict=allow"),
                logs.messages(Level.INFO).toString());
        assertEquals(1, server.answered());
    }

    @Test
    void deniedCallIsHungUpWithTheCheckCauseBeforeTheSocketReturns() throws Exception {
        policy = r -> PreDialAnswer.deny("destination " + r.destination() + " blocked ${system(reboot)} 100%", 52);
        FakeSocketApplication.Outcome o = call();
        assertEquals("connect\n\n"
                + "sendmsg\ncall-command: execute\nexecute-app-name: set\nexecute-app-arg: tollguard_result=deny\n\n"
                + "sendmsg\ncall-command: execute\nexecute-app-name: set\n"
                + "execute-app-arg: tollguard_reason=destination 0201234567 blocked __system(reboot)_ 100_\n\n"
                + "sendmsg\ncall-command: hangup\nhangup-cause: OUTGOING_CALL_BARRED\n\n", o.bytesReceived(),
                "no ${...} reaches FreeSWITCH, which would expand it");
        assertEquals("OUTGOING_CALL_BARRED", o.hangupCause());
        assertFalse(o.channelUp());
    }

    @Test
    void denialWithoutACauseIsCallRejected() throws Exception {
        policy = r -> PreDialAnswer.deny("account blocked", 0);
        assertEquals("CALL_REJECTED", call().hangupCause());
    }

    @Test
    void checkThatFailsOrIsTooSlowGivesNoVerdictAndTheDialplanDecides() throws Exception {
        policy = r -> {
            throw new IllegalStateException("call table not ready");
        };
        FakeSocketApplication.Outcome failed = call();
        assertEquals(Map.of("tollguard_result", "error"), failed.variables());
        assertTrue(failed.channelUp());

        policy = r -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return PreDialAnswer.deny("too late", 21);
        };
        long start = System.nanoTime();
        FakeSocketApplication.Outcome slow = call();
        assertTrue(System.nanoTime() - start < Duration.ofMillis(1500).toNanos(), "answered at the timeout");
        assertEquals(Map.of("tollguard_result", "error"), slow.variables());
        assertTrue(slow.channelUp());
        assertTrue(logs.contains(Level.ERROR, "the check took longer than 300ms"), logs.messages(Level.ERROR).toString());

        policy = r -> null;
        assertEquals(Map.of("tollguard_result", "error"), call().variables());
    }

    @Test
    void agentNotRunningMeansNoVerdict() throws Exception {
        int port = Ports.freePort();
        try {
            FakeSocketApplication.run(port, FakeSocketApplication.channelData());
        } catch (ConnectException expected) {
            // the socket application logs "Socket Error", sets nothing and returns: the include's fail mode decides
            return;
        }
        throw new AssertionError("connected to a port nobody listens on");
    }

    @Test
    void largeChannelDataIsRead() throws Exception {
        List<String[]> extra = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            extra.add(new String[] {"variable_fusionpbx_var_" + i, "value " + i + " with spaces & symbols: %;"});
        }
        byte[] data = FakeSocketApplication.channelData(extra);
        assertTrue(data.length > 100_000, "bigger than the inbound client's 64 KiB header limit");
        FakeSocketApplication.Outcome o = FakeSocketApplication.run(server.port(), data);
        assertEquals("allow", o.variables().get("tollguard_result"));
    }

    @Test
    void manyCallsAtOnceAreAllAnswered() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<FakeSocketApplication.Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(pool.submit(this::call));
            }
            for (Future<FakeSocketApplication.Outcome> f : calls) {
                assertEquals("allow", f.get(10, TimeUnit.SECONDS).variables().get("tollguard_result"));
            }
            assertEquals(100, server.answered());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void freeswitchHangingUpBeforeTheDataIsHandled() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            byte[] connect = s.getInputStream().readNBytes(9);
            assertEquals("connect\n\n", new String(connect, java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertNull(asked.poll(300, TimeUnit.MILLISECONDS));
        assertTrue(call().channelUp(), "the server still answers");
    }

    @Test
    void aPortInUseFailsTheStartInsteadOfListeningOnNothing() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            PreDialServer second = track(new PreDialServer(new FreeSwitchConfig.PreDial(true, "127.0.0.1",
                    taken.getLocalPort(), Duration.ofMillis(300)), "127.0.0.1", r -> PreDialAnswer.allow("ok")));
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    second::start);
            assertTrue(e instanceof java.net.BindException, e.toString());
            assertFalse(logs.contains(Level.INFO, "pre-dial check listening for FreeSWITCH listen=127.0.0.1 port="
                    + taken.getLocalPort()), "no \"listening\" line for a port it does not hold");
        }
    }

    @Test
    void onlyLoopbackAndTheFreeswitchHostMayConnect() {
        assertTrue(server.isAllowedPeer(IpAddresses.parse("127.0.0.1")));
        assertTrue(server.isAllowedPeer(IpAddresses.parse("::1")));
        assertFalse(server.isAllowedPeer(IpAddresses.parse("203.0.113.5")));
    }
}
