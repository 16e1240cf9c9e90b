package org.tollguard.freeswitch.esl;

import org.tollguard.support.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tollguard.freeswitch.esl.Frames.utf8;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tollguard.freeswitch.esl.FakeFreeSwitch.Conn;

class EslClientTest {
    private static final Duration WAIT = RecordingListener.TIMEOUT;
    private static final String SUBSCRIPTION =
            "event plain CHANNEL_CREATE CHANNEL_HANGUP_COMPLETE BACKGROUND_JOB CUSTOM sofia::register_failure"
                    + " sofia::pre_register";
    private static final String REGISTER_FAILURE = "raw-register/002-CUSTOM-sofia_register_failure.txt";
    private static final String HANGUP_COMPLETE = "raw-call-sip/003-CHANNEL_HANGUP_COMPLETE.txt";

    private final RecordingListener listener = new RecordingListener();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private FakeFreeSwitch freeswitch;
    private EslClient client;
    private LogCapture logs;

    @BeforeEach
    void setUp() throws IOException {
        freeswitch = track(new FakeFreeSwitch("ClueCon"));
        logs = track(new LogCapture("org.tollguard.freeswitch.esl"));
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

    private EslConfig.Builder config() {
        return EslConfig.builder("127.0.0.1", freeswitch.port(), "ClueCon")
                .events("CHANNEL_CREATE", "CHANNEL_HANGUP_COMPLETE")
                .customEvents("sofia::register_failure", "sofia::pre_register")
                .backoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .authFailureBackoff(Duration.ofMillis(200))
                .keepAliveInterval(Duration.ZERO);
    }

    /** Starts a client and waits until it has authenticated and subscribed on a new server connection. */
    private Conn start(EslConfig config) throws InterruptedException {
        client = track(new EslClient(config, listener));
        client.start();
        return awaitSession(freeswitch, config);
    }

    private Conn awaitSession(FakeFreeSwitch fs, EslConfig config) throws InterruptedException {
        Conn conn = fs.awaitConnection(WAIT);
        assertEquals("auth ClueCon", conn.awaitCommand(WAIT).line());
        assertEquals(config.eventCommand(), conn.awaitCommand(WAIT).line());
        listener.awaitConnected();
        return conn;
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static EslException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(EslException.class, e.getCause());
    }

    private static EslEvent event(String capture) throws IOException {
        return EslEventTest.capture(capture);
    }

    @Test
    void authenticatesSubscribesAndDeliversCapturedEventsOnItsOwnThread() throws Exception {
        Conn conn = start(config().build());
        assertEquals(SUBSCRIPTION, config().build().eventCommand());
        assertTrue(client.isConnected());

        List<EslEvent> expected = new ArrayList<>();
        for (var p : Captures.rawDir("raw-register-sipp")) {
            expected.add(EslEventTest.parse(Captures.bytes(p)));
            conn.send(Captures.bytes(p));
        }
        for (EslEvent e : expected) {
            assertEquals(e, listener.awaitEvent());
        }
        EslEvent wrongPassword = expected.get(5); // 006-CUSTOM-sofia_register_failure
        assertTrue(wrongPassword.isCustom("sofia::register_failure"));
        assertEquals("1001", wrongPassword.header("to-user"));
        assertEquals("sipp-reg-test", wrongPassword.header("user-agent"));
        assertTrue(listener.connects.isEmpty());
        assertEquals(1, listener.connectCount.get());
    }

    @Test
    void listenerCallbacksRunOnTheClientReaderThread() throws Exception {
        client = track(new EslClient(config().build(), listener));
        client.start();
        freeswitch.awaitConnection(WAIT);
        Thread t = listener.awaitConnected();
        assertTrue(t.getName().startsWith("esl-127.0.0.1:"), t.getName());
        assertTrue(t.isDaemon());
    }

    @Test
    void anEventSplitAtEveryByteBoundaryOverTheSocketArrivesIntact() throws Exception {
        Conn conn = start(config().build());
        byte[] file = Captures.bytes(REGISTER_FAILURE);
        EslEvent expected = event(REGISTER_FAILURE);
        for (int cut = 1; cut < file.length; cut++) {
            conn.sendSplit(file, cut);
        }
        for (int cut = 1; cut < file.length; cut++) {
            assertEquals(expected, listener.awaitEvent(), "cut at " + cut);
        }
        byte[] big = Captures.bytes(HANGUP_COMPLETE);
        String text = new String(big, java.nio.charset.StandardCharsets.UTF_8);
        int inContentLength = 10;
        int atBlankLine = text.indexOf("\n\n") + 1;
        int insideEscape = text.indexOf("%3A") + 1;
        conn.sendSplit(big, inContentLength, atBlankLine, insideEscape, insideEscape + 1, big.length - 1);
        assertEquals(event(HANGUP_COMPLETE), listener.awaitEvent());
        assertEquals(1, freeswitch.connectionCount());
    }

    @Test
    void aTenMegabyteApiResponsePasses() throws Exception {
        char[] chars = new char[10 * 1024 * 1024];
        Arrays.fill(chars, 'z');
        String big = new String(chars);
        freeswitch.apiResponder(cmd -> Frames.apiResponse(cmd.equals("show channels") ? big : "+OK\n"));
        Conn conn = start(config().build());
        assertEquals(big, get(client.api("show channels")));
        conn.send(Captures.bytes(REGISTER_FAILURE));
        assertEquals(event(REGISTER_FAILURE), listener.awaitEvent());
        assertTrue(listener.disconnects.isEmpty());
    }

    @Test
    void aFrameOverTheLimitDropsTheConnectionWithAClearErrorAndReconnects() throws Exception {
        freeswitch.handler((conn, cmd) -> {
            if (cmd.line().equals("api huge")) {
                conn.send("Content-Type: api/response\nContent-Length: 16777217\n\n" + "y".repeat(1000));
                return true;
            }
            return false;
        });
        start(config().build());
        CompletableFuture<String> huge = client.api("huge");
        String reason = listener.awaitDisconnected();
        assertTrue(reason.contains("exceeds the limit of 16777216 bytes"), reason);
        assertTrue(failure(huge).getMessage().contains("exceeds the limit"));
        assertTrue(logs.messages(Level.ERROR).stream().anyMatch(m -> m.contains("exceeds the limit")), logs.all()
                .toString());
        awaitSession(freeswitch, config().build());
        assertEquals("+OK status\n", get(client.api("status")));
    }

    @Test
    void anUnknownContentTypeAndAGarbageLineAreSkipped() throws Exception {
        Conn conn = start(config().build());
        conn.send("Content-Type: text/x-future-thing\nContent-Length: 5\n\nhello");
        conn.send(Frames.concat(utf8("this is not a header line\n"), Captures.bytes(REGISTER_FAILURE)));
        assertEquals(event(REGISTER_FAILURE), listener.awaitEvent());
        assertEquals("+OK status\n", get(client.api("status")));
        assertTrue(listener.disconnects.isEmpty());
        assertEquals(1, freeswitch.connectionCount());
        assertTrue(logs.messages(Level.WARN).stream().anyMatch(m -> m.contains("this is not a header line")),
                logs.all().toString());
    }

    @Test
    void aWrongPasswordIsAClearErrorAndIsRetriedUntilFixed() throws Exception {
        client = track(new EslClient(config().build(), listener));
        freeswitch.password("s3cret-of-the-pbx");
        client.start();
        assertEquals("-ERR invalid", listener.awaitAuthFailed());
        assertFalse(client.isConnected());
        assertEquals(0, listener.connectCount.get());
        String error = logs.messages(Level.ERROR).stream().filter(m -> m.contains("rejected the password"))
                .findFirst().orElseThrow(() -> new AssertionError(logs.all()));
        assertTrue(error.contains("-ERR invalid") && error.contains("127.0.0.1:" + freeswitch.port()), error);
        assertTrue(logs.all().stream().noneMatch(m -> m.contains("ClueCon") || m.contains("s3cret")), "no secrets");
        failure(client.api("status"));

        freeswitch.awaitConnection(WAIT);
        freeswitch.awaitConnection(WAIT); // tried again, slowly
        freeswitch.password("ClueCon"); // the operator fixes event_socket.conf.xml
        listener.awaitConnected();
        assertTrue(client.isConnected());
        assertEquals("+OK status\n", get(client.api("status")));
    }

    @Test
    void anAclRejectionIsAClearError() throws Exception {
        try (java.net.ServerSocket acl = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try (java.net.Socket s = acl.accept()) {
                    // mod_event_socket.c, apply-inbound-acl refusal
                    s.getOutputStream().write(utf8("Content-Type: text/rude-rejection\nContent-Length: 24\n\n"
                            + "Access Denied, go away.\n"));
                } catch (IOException ignored) {
                    // test fails on the assertions below
                }
            });
            t.setDaemon(true);
            t.start();
            client = track(new EslClient(EslConfig.builder("127.0.0.1", acl.getLocalPort(), "ClueCon")
                    .keepAliveInterval(Duration.ZERO).build(), listener));
            client.start();
            assertEquals("Access Denied, go away.", listener.awaitAuthFailed());
            assertTrue(logs.messages(Level.ERROR).stream().anyMatch(m -> m.contains("refused this client by its ACL")),
                    logs.all().toString());
            assertFalse(client.isConnected());
        }
    }

    @Test
    void apiAndBgapiCorrelateWhileEventsInterleave() throws Exception {
        byte[] e1 = Captures.bytes("raw-register/001-CUSTOM-sofia_pre_register.txt");
        byte[] e2 = Captures.bytes(REGISTER_FAILURE);
        byte[] e3 = Captures.bytes("raw-invite-authfail-ALL/012-HEARTBEAT.txt");
        byte[] foreignJob = FakeFreeSwitch.backgroundJob("0000-not-ours", "status", "+OK someone else\n");
        // Nothing is answered until all four commands are in, so four replies are outstanding at once.
        List<FakeFreeSwitch.Command> received = new CopyOnWriteArrayList<>();
        List<String[]> jobs = new CopyOnWriteArrayList<>();
        freeswitch.handler((conn, cmd) -> {
            if (!cmd.line().startsWith("api ") && !cmd.line().startsWith("bgapi ")) {
                return false;
            }
            received.add(cmd);
            if (cmd.startsWith("bgapi ")) {
                jobs.add(new String[] {cmd.headers().get("Job-UUID"), cmd.line().substring(6)});
            }
            if (received.size() == 4) {
                assertEquals(List.of("api status", "bgapi originate sofia/internal/1000 &echo", "api version",
                        "bgapi uuid_kill 69de9c32"), received.stream().map(FakeFreeSwitch.Command::line).toList());
                conn.send(e1);
                conn.send(Frames.apiResponse("status-ok"));
                conn.sendBgapiReply(jobs.get(0)[0]);
                conn.send(e3);
                conn.send(foreignJob);
                conn.send(Frames.apiResponse("version-ok"));
                conn.sendBgapiReply(jobs.get(1)[0]);
                // the second job finishes first, with an event in between
                conn.send(FakeFreeSwitch.backgroundJob(jobs.get(1)[0], jobs.get(1)[1], "+OK killed\n"));
                conn.send(e2);
                conn.send(FakeFreeSwitch.backgroundJob(jobs.get(0)[0], jobs.get(0)[1], "+OK 4f1c-uuid\n"));
            }
            return true;
        });
        start(config().build());
        CompletableFuture<String> status = client.api("status");
        CompletableFuture<EslEvent> originate = client.bgapi("originate sofia/internal/1000 &echo");
        CompletableFuture<String> version = client.api("version");
        CompletableFuture<EslEvent> kill = client.bgapi("uuid_kill 69de9c32");

        assertEquals("status-ok", get(status));
        assertEquals("version-ok", get(version));
        EslEvent originated = get(originate);
        assertEquals("+OK 4f1c-uuid\n", originated.body());
        assertEquals("originate", originated.header("Job-Command"));
        assertEquals("sofia/internal/1000 &echo", originated.header("Job-Command-Arg"));
        EslEvent killed = get(kill);
        assertEquals("+OK killed\n", killed.body());
        assertEquals("69de9c32", killed.header("Job-Command-Arg"));
        assertTrue(jobs.get(0)[0].matches("[0-9a-f-]{36}"), jobs.get(0)[0]);

        assertEquals(EslEventTest.parse(e1), listener.awaitEvent());
        assertEquals(EslEventTest.parse(e3), listener.awaitEvent());
        assertEquals("0000-not-ours", listener.awaitEvent().header("Job-UUID")); // not ours: the listener gets it
        assertEquals(EslEventTest.parse(e2), listener.awaitEvent());
        Thread.sleep(100);
        assertTrue(listener.events.isEmpty(), "our BACKGROUND_JOB events are not passed on");
    }

    @Test
    void refusedCommandsFailTheirFutures() throws Exception {
        freeswitch.handler((conn, cmd) -> {
            if (cmd.line().startsWith("api ") || cmd.line().startsWith("bgapi ")) {
                conn.send(Frames.commandReply("-ERR permission denied"));
                return true;
            }
            return false;
        });
        start(config().build());
        EslException api = failure(client.api("originate x"));
        assertEquals("-ERR permission denied", api.reply());
        EslException bg = failure(client.bgapi("originate x"));
        assertEquals("-ERR permission denied", bg.reply());
        EslException log = failure(client.log("NOSUCHLEVEL"));
        assertEquals("-ERR invalid log level", log.reply());
    }

    @Test
    void reconnectsAfterADropMidFrameAndSubscribesAgain() throws Exception {
        freeswitch.handler((conn, cmd) -> cmd.line().equals("api slow")); // never answered
        Conn first = start(config().logLevel("WARNING").build());
        assertEquals("log WARNING", first.awaitCommand(WAIT).line());
        assertEquals("+OK log level DEBUG [7]", get(client.log("DEBUG")));
        CompletableFuture<String> slow = client.api("slow");
        first.awaitCommand("api slow", WAIT);

        byte[] file = Captures.bytes(HANGUP_COMPLETE);
        first.send(Arrays.copyOf(file, file.length / 2));
        Thread.sleep(50);
        first.drop();

        String reason = listener.awaitDisconnected();
        assertTrue(reason.contains("inside a frame"), reason);
        assertFalse(client.isConnected());
        assertTrue(failure(slow).getMessage().contains("lost"));

        Conn second = awaitSession(freeswitch, config().build());
        assertEquals("log DEBUG", second.awaitCommand(WAIT).line(), "the level set at run time is restored");
        assertTrue(client.isConnected());
        second.send(file);
        assertEquals(event(HANGUP_COMPLETE), listener.awaitEvent());
        assertTrue(listener.events.isEmpty(), "the torn event was not delivered");
        assertEquals(2, listener.connectCount.get());
    }

    @Test
    void survivesAFreeSwitchRestart() throws Exception {
        Conn conn = start(config().build());
        int port = freeswitch.port();
        conn.send(Replies.goodbye());
        conn.drop();
        freeswitch.close();

        String reason = listener.awaitDisconnected();
        assertTrue(reason.contains("disconnect notice") && reason.contains("goodbye"), reason);
        assertFalse(client.isConnected());
        assertTrue(failure(client.api("status")).getMessage().contains("not connected"));
        Thread.sleep(500); // a few refused attempts with back-off

        FakeFreeSwitch restarted = track(new FakeFreeSwitch("ClueCon", port));
        awaitSession(restarted, config().build());
        assertTrue(client.isConnected());
        assertEquals(1, restarted.connectionCount());
    }

    @Test
    void streamsLogLinesAndStopsWithNolog() throws Exception {
        Conn conn = start(config().logLevel("WARNING").build());
        assertEquals("log WARNING", conn.awaitCommand(WAIT).line());
        List<java.nio.file.Path> frames = Captures.logFrames("run1");
        for (java.nio.file.Path p : frames) {
            conn.send(Captures.bytes(p));
        }
        conn.send(Captures.bytes(REGISTER_FAILURE));
        int challenges = 0;
        for (java.nio.file.Path p : frames) {
            EslLogLine line = listener.awaitLog();
            assertEquals(EslLogLine.parse(new EslFrameReader(new java.io.ByteArrayInputStream(Captures.bytes(p)))
                    .read()), line, p.toString());
            if (line.message().startsWith("SIP auth challenge")) {
                challenges++;
            }
        }
        assertEquals(8, challenges);
        assertEquals(event(REGISTER_FAILURE), listener.awaitEvent());

        assertEquals("+OK no longer logging", get(client.nolog()));
        conn.drop();
        listener.awaitDisconnected();
        Conn again = awaitSession(freeswitch, config().build());
        get(client.api("status"));
        assertTrue(again.drainCommands().stream().noneMatch(c -> c.line().startsWith("log")),
                "nolog is remembered across reconnects");
    }

    @Test
    void subscribesInJsonAndParsesJsonEvents() throws Exception {
        EslConfig json = config().eventFormat(EslEventFormat.JSON).build();
        assertTrue(json.eventCommand().startsWith("event json CHANNEL_CREATE"));
        Conn conn = start(json);
        conn.send(Captures.bytes("raw-json-events/015-json-CUSTOM-sofia_register_failure.txt"));
        EslEvent failure = listener.awaitEvent();
        assertTrue(failure.isCustom("sofia::register_failure"));
        assertEquals(List.of("internal", "internal"), failure.headerValues("profile-name"), "a name that repeats");
        assertEquals("0201234567", failure.header("to-user"));
        assertEquals("203.0.113.102", failure.header("network-ip"));
    }

    @Test
    void keepAliveDropsASilentConnectionButNotAHealthyOne() throws Exception {
        EslConfig cfg = config().keepAliveInterval(Duration.ofMillis(100)).build();
        Conn healthy = start(cfg);
        healthy.awaitCommand("api version", WAIT);
        Thread.sleep(600);
        assertEquals(1, freeswitch.connectionCount(), "answered pings keep the connection");
        assertTrue(listener.disconnects.isEmpty());

        freeswitch.silentAfterAuth(true);
        healthy.drop();
        listener.awaitDisconnected();
        Conn silent = freeswitch.awaitConnection(WAIT);
        listener.awaitConnected();
        silent.awaitCommand("api version", WAIT);
        String reason = listener.awaitDisconnected();
        assertTrue(reason.contains("keep-alive"), reason);
        freeswitch.silentAfterAuth(false);
        awaitSession(freeswitch, cfg);
    }

    @Test
    void aThrowingListenerDoesNotStopTheReader() throws Exception {
        RecordingListener inner = listener;
        EslListener throwing = new EslListener() {
            private boolean thrown;

            @Override
            public void onConnected() {
                inner.onConnected();
            }

            @Override
            public void onEvent(EslEvent e) {
                if (!thrown) {
                    thrown = true;
                    throw new IllegalStateException("listener bug");
                }
                inner.onEvent(e);
            }

            @Override
            public void onLog(EslLogLine line) {}

            @Override
            public void onDisconnected(String reason) {
                inner.onDisconnected(reason);
            }
        };
        client = track(new EslClient(config().build(), throwing));
        client.start();
        Conn conn = awaitSession(freeswitch, config().build());
        conn.send(Captures.bytes("raw-register/001-CUSTOM-sofia_pre_register.txt"));
        conn.send(Captures.bytes(REGISTER_FAILURE));
        assertEquals(event(REGISTER_FAILURE), listener.awaitEvent());
        assertTrue(listener.disconnects.isEmpty());
    }

    @Test
    void closeStopsEverythingAndFailsPendingCommands() throws Exception {
        freeswitch.handler((conn, cmd) -> cmd.line().equals("api slow"));
        Conn conn = start(config().build());
        CompletableFuture<String> slow = client.api("slow");
        conn.awaitCommand("api slow", WAIT);
        client.close();
        assertTrue(failure(slow).getMessage().contains("client closed"));
        assertEquals("client closed", listener.awaitDisconnected());
        assertFalse(client.isConnected());
        Thread.sleep(300);
        assertEquals(1, freeswitch.connectionCount(), "no reconnect after close");
        assertTrue(conn.isClosed() || waitClosed(conn));
        failure(client.api("status"));
        client.close(); // idempotent
    }

    private static boolean waitClosed(Conn conn) throws InterruptedException {
        for (int i = 0; i < 100 && !conn.isClosed(); i++) {
            Thread.sleep(20);
        }
        return conn.isClosed();
    }

    @Test
    void commandsNeedAConnectionAndOneLine() {
        client = track(new EslClient(config().build(), listener));
        failure(client.api("status"));
        failure(client.bgapi("status"));
        assertThrows(IllegalArgumentException.class, () -> client.api("status\n\nexit"));
        assertThrows(IllegalArgumentException.class, () -> client.bgapi("status\r\nJob-UUID: x"));
        assertThrows(IllegalArgumentException.class, () -> client.log("DEBUG\n"));
        assertThrows(IllegalArgumentException.class, () -> config().events("CUSTOM").build());
        assertThrows(IllegalArgumentException.class, () -> config().events("CHANNEL_CREATE x").build());
        assertFalse(config().build().toString().contains("ClueCon"));
    }
}
