package org.tollguard.freeswitch;

import org.tollguard.support.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tollguard.config.FreeSwitchConfig;
import org.tollguard.yamlconfig.Secret;
import org.tollguard.freeswitch.esl.Captures;
import org.tollguard.freeswitch.esl.FakeFreeSwitch;
import org.tollguard.freeswitch.esl.FakeFreeSwitch.Conn;
import org.tollguard.freeswitch.esl.Frames;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthOutcome;
import org.tollguard.pbx.CallAnswered;
import org.tollguard.pbx.CallEnded;
import org.tollguard.pbx.CallStarted;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.LiveCallsSnapshot;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.support.MutableClock;

/**
 * The adapter against a server that speaks the Event Socket protocol byte for byte (FakeFreeSwitch), replaying the
 * real FreeSWITCH 1.10.12 captures.
 */
class FreeSwitchAdapterTest {
    private static final Duration WAIT = RecordingPbxListener.TIMEOUT;
    private static final Duration QUIET = Duration.ofMillis(300);
    static final String SUBSCRIPTION = "event plain CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE"
            + " BACKGROUND_JOB CUSTOM sofia::register_failure sofia::register_attempt sofia::register";
    private static final InetAddress LOCALHOST = IpAddresses.parse("127.0.0.1");
    private static final InetAddress FS_OWN = IpAddresses.parse("192.0.2.2");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T18:00:00Z"));
    private final RecordingPbxListener listener = new RecordingPbxListener();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private FakeFreeSwitch freeswitch;
    private FreeSwitchAdapter adapter;
    private LogCapture logs;
    private volatile String channels = ShowChannels.json();

    @BeforeEach
    void setUp() throws Exception {
        freeswitch = track(new FakeFreeSwitch("ClueCon"));
        freeswitch.apiResponder(this::api);
        logs = track(new LogCapture("org.tollguard.freeswitch"));
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

    private String api(String command) {
        return switch (command) {
            case "version" -> "FreeSWITCH Version 1.10.12-release~64bit (-release 64bit)\n";
            case "show channels as json" -> channels;
            default -> "-ERR " + command.split(" ")[0] + " Command not found!\n";
        };
    }

    private FreeSwitchConfig config(String password) {
        return new FreeSwitchConfig(true, "127.0.0.1", freeswitch.port(), new Secret(password), null, null,
                Duration.ofSeconds(2), null);
    }

    /** Starts the adapter and waits for its session: auth, subscription, log, version, channel list. */
    private Conn start() throws InterruptedException {
        adapter = track(new FreeSwitchAdapter(config("ClueCon"), clock, listener, Duration.ofMillis(50)));
        adapter.start();
        Conn conn = awaitSession();
        assertEquals(List.of(), listener.next(LiveCallsSnapshot.class).calls());
        return conn;
    }

    private Conn awaitSession() throws InterruptedException {
        Conn conn = freeswitch.awaitConnection(WAIT);
        assertEquals("auth ClueCon", conn.awaitCommand(WAIT).line());
        assertEquals(SUBSCRIPTION, conn.awaitCommand(WAIT).line());
        assertEquals("log WARNING", conn.awaitCommand(WAIT).line());
        assertEquals("api version", conn.awaitCommand(WAIT).line());
        assertEquals("api show channels as json", conn.awaitCommand(WAIT).line());
        return conn;
    }

    private static void replay(Conn conn, String... captures) throws Exception {
        for (String c : captures) {
            conn.send(Replay.capture(c));
        }
    }

    private AuthEvent auth() throws InterruptedException {
        return listener.next(AuthEvent.class);
    }

    @Test
    void subscribesStreamsTheLogAndDescribesTheVersion() throws Exception {
        start();
        assertTrue(adapter.isConnected());
        assertEquals("freeswitch 1.10.12-release~64bit", adapter.control().describe());
        assertTrue(logs.contains(Level.INFO, "FreeSWITCH calls resynchronised live=0"), logs.messages(Level.INFO).toString());
    }

    @Test
    void svcrackRegisterFailuresAreFailuresOfAccount1000() throws Exception {
        Conn conn = start();
        List<java.nio.file.Path> run = Captures.rawDir("raw-register");
        for (var p : run) {
            conn.send(Captures.bytes(p));
        }
        for (int i = 0; i < 6; i++) {
            AuthEvent e = auth();
            assertEquals(AuthOutcome.FAILED, e.outcome());
            assertEquals("register_failure", e.type());
            assertEquals(LOCALHOST, e.address());
            assertEquals(5061, e.port());
            assertEquals("SIP", e.service());
            assertEquals("1000", e.account());
            assertEquals("friendly-scanner", e.userAgent());
            assertEquals(FS_OWN, e.pbxAddress());
            assertEquals("", e.transport());
            assertEquals(clock.instant(), e.at());
            Thread t = listener.threads.take();
            assertTrue(t.getName().startsWith("esl-"), "delivered on the Event Socket reader thread: " + t.getName());
        }
        listener.assertQuiet(QUIET); // pre_register is no outcome
    }

    @Test
    void sippRunGivesOneSuccessAndTwoFailures() throws Exception {
        Conn conn = start();
        for (var p : Captures.rawDir("raw-register-sipp")) {
            conn.send(Captures.bytes(p));
        }
        AuthEvent ok = auth();
        assertEquals(AuthOutcome.SUCCEEDED, ok.outcome());
        assertEquals("register", ok.type());
        assertEquals("1000", ok.account());
        assertEquals(5098, ok.port());
        assertEquals("sipp-reg-test", ok.userAgent());
        AuthEvent wrongPassword = auth();
        assertEquals(AuthOutcome.FAILED, wrongPassword.outcome());
        assertEquals("1001", wrongPassword.account());
        AuthEvent unknownUser = auth();
        assertEquals(AuthOutcome.FAILED, unknownUser.outcome());
        assertEquals("9999", unknownUser.account());
        listener.assertQuiet(QUIET);
    }

    @Test
    void failedInviteNamesTheCallerNotTheDialledNumberAndIsNoCall() throws Exception {
        Conn conn = start();
        for (var p : Captures.rawDir("raw-invite-authfail-ALL")) {
            conn.send(Captures.bytes(p));
        }
        AuthEvent e = auth();
        assertEquals(AuthOutcome.FAILED, e.outcome());
        assertEquals("register_failure", e.type());
        assertEquals("1000", e.account(), "register_attempt's username, not to-user 9196");
        assertEquals("sipp-test", e.userAgent());
        assertEquals(5099, e.port());
        listener.assertQuiet(QUIET); // its CHANNEL_HANGUP_COMPLETE had no CHANNEL_CREATE: not a call
    }

    @Test
    void inviteFailureWithoutItsAttemptHasNoAccount() throws Exception {
        Conn conn = start();
        replay(conn, Replay.INVITE_FAILURE);
        assertEquals("", auth().account());
    }

    @Test
    void challengeLinesOfTheCapturedRunsAreChallenges() throws Exception {
        Conn conn = start();
        List<String> entries = Replay.logEntries();
        for (String entry : entries) {
            conn.send(Replay.logFrame(entry));
        }
        List<String> expectedAccounts = new ArrayList<>();
        for (String entry : entries) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("SIP auth challenge \\((\\w+)\\) .* for \\[(\\w+)@").matcher(entry);
            if (m.find()) {
                expectedAccounts.add(m.group(1).equals("REGISTER") ? m.group(2) : "");
            }
        }
        assertEquals(14, expectedAccounts.size());
        for (String account : expectedAccounts) {
            AuthEvent e = auth();
            assertEquals(AuthOutcome.CHALLENGED, e.outcome());
            assertEquals("auth_challenge", e.type());
            assertEquals(LOCALHOST, e.address());
            assertEquals("SIP", e.service());
            assertEquals(account, e.account());
        }
        listener.assertQuiet(QUIET); // "SIP auth failure" and "Can't find user" lines: the events report those
    }

    @Test
    void answerThatOvertakesItsChallengeLineCancelsIt() throws Exception {
        Conn conn = start();
        String line = "SIP auth challenge (REGISTER) on sofia profile 'internal' for [1000@127.0.0.1] from ip 127.0.0.1";
        replay(conn, Replay.SVCRACK_FAILURE);
        assertEquals(AuthOutcome.FAILED, auth().outcome());
        conn.send(Replay.logFrame("sofia_reg.c", "sofia_reg_handle_register_token", 1842, line));
        listener.assertQuiet(QUIET);
        conn.send(Replay.logFrame("sofia_reg.c", "sofia_reg_handle_register_token", 1842, line));
        assertEquals(AuthOutcome.CHALLENGED, auth().outcome(), "the credit is used up");

        // in order: challenge, answer, and an answer's credit does not outlive CREDIT_TTL
        replay(conn, Replay.SVCRACK_FAILURE);
        assertEquals(AuthOutcome.FAILED, auth().outcome());
        replay(conn, Replay.SVCRACK_FAILURE);
        assertEquals(AuthOutcome.FAILED, auth().outcome());
        clock.advance(Duration.ofMillis(AuthMapper.CREDIT_TTL_MILLIS + 1));
        conn.send(Replay.logFrame("sofia_reg.c", "sofia_reg_handle_register_token", 1842, line));
        assertEquals(AuthOutcome.CHALLENGED, auth().outcome());
    }

    @Test
    void staleNonceRechallengeIsNotAnotherUnansweredChallenge() throws Exception {
        Conn conn = start();
        String line = "SIP auth challenge (REGISTER) on sofia profile 'internal' for [1000@127.0.0.1] from ip 127.0.0.1";
        conn.send(Replay.logFrame("sofia_reg.c", "sofia_reg_handle_register_token", 1842, line));
        assertEquals(AuthOutcome.CHALLENGED, auth().outcome());
        conn.send(Replay.with(Replay.REGISTER_ATTEMPT_RENEWED, "auth-result", "STALE"));
        conn.send(Replay.logFrame("sofia_reg.c", "sofia_reg_handle_register_token", 1842, line));
        replay(conn, Replay.REGISTER_SUCCESS);
        assertEquals(AuthOutcome.SUCCEEDED, auth().outcome(), "no second challenge before the success");
        listener.assertQuiet(QUIET);
    }

    @Test
    void eventSocketAclRefusalIsAnEslLoginFailure() throws Exception {
        Conn conn = start();
        conn.send(Replay.logFrame("mod_event_socket.c", "listener_run", 2674,
                "IP 203.0.113.9 Rejected by acl \"loopback.auto\""));
        AuthEvent e = auth();
        assertEquals(AuthOutcome.FAILED, e.outcome());
        assertEquals("ESL", e.service());
        assertEquals("acl_rejected", e.type());
        assertEquals(IpAddresses.parse("203.0.113.9"), e.address());
    }

    @Test
    void addressesComeOnlyFromNetworkIpAndHostileValuesAreRejected() throws Exception {
        Conn conn = start();
        conn.send(Replay.with(Replay.SVCRACK_FAILURE, "network-ip", "evil.example.com"));
        conn.send(Replay.with(Replay.SVCRACK_FAILURE, "network-ip", "0.0.0.0"));
        conn.send(Replay.with(Replay.SVCRACK_FAILURE, "network-ip", null));
        listener.assertQuiet(QUIET);
        assertTrue(logs.contains(Level.WARN, "register_failure event rejected network-ip=\"evil.example.com\""),
                logs.messages(Level.WARN).toString());

        conn.send(Replay.with(Replay.with(Replay.SVCRACK_FAILURE, "network-ip", "2001:db8::7"), "user-agent",
                "friendly-scanner\u0007\r\nX-Injected: yes"));
        AuthEvent v6 = auth();
        assertEquals(IpAddresses.parse("2001:db8::7"), v6.address());
        assertEquals("friendly-scanner???X-Injected: yes", v6.userAgent());
        assertEquals(IpAddresses.parse("fd00::2"), v6.pbxAddress());

        // the request's user and host come before the address FreeSWITCH appends: the address is the last word
        conn.send(Replay.logFrame("sofia_reg.c", "sofia_reg_handle_register_token", 1842,
                "SIP auth challenge (REGISTER) on sofia profile 'internal' for [x] from ip 6.6.6.6@127.0.0.1]"
                        + " from ip 198.51.100.9"));
        assertEquals(IpAddresses.parse("198.51.100.9"), auth().address());
        // the same text logged by any other source file is not FreeSWITCH's challenge line
        conn.send(Replay.logFrame("mod_dptools.c", "log_function", 1,
                "SIP auth challenge (REGISTER) on sofia profile 'internal' for [x@y] from ip 198.51.100.10"));
        conn.send(Replay.logFrame("sofia_reg.c", "sofia_reg_handle_register_token", 1842,
                "SIP auth challenge (REGISTER) on sofia profile 'internal' for [x@y] from ip not-an-ip"));
        listener.assertQuiet(QUIET);
        assertTrue(logs.contains(Level.WARN, "SIP auth challenge line not understood"), logs.messages(Level.WARN).toString());
    }

    @Test
    void registrationThatAnsweredNoChallengeIsNotTrust() throws Exception {
        Conn conn = start();
        conn.send(Replay.with(Replay.REGISTER_SUCCESS, "username", "unknown"));
        listener.assertQuiet(QUIET);
    }

    @Test
    void capturedSipCallIsOneCallAndItsInviteAnAnsweredChallenge() throws Exception {
        Conn conn = start();
        replay(conn, Replay.CALL_CREATE);
        AuthEvent invite = auth();
        assertEquals(AuthOutcome.SUCCEEDED, invite.outcome());
        assertEquals("invite_authorized", invite.type());
        assertEquals("1000@127.0.0.1", invite.account());
        assertEquals(5099, invite.port());
        assertEquals("sipp-test", invite.userAgent());
        CallStarted started = listener.next(CallStarted.class);
        assertEquals(new CallStarted(Replay.CALL_UUID, "1000", "1000", "9196", LOCALHOST, clock.instant()), started);
        assertEquals(1, adapter.liveCallCount());

        clock.advance(Duration.ofMillis(20));
        replay(conn, Replay.CALL_ANSWER);
        assertEquals(new CallAnswered(Replay.CALL_UUID, clock.instant()), listener.next(CallAnswered.class));
        clock.advance(Duration.ofSeconds(3));
        replay(conn, Replay.CALL_HANGUP);
        assertEquals(new CallEnded(Replay.CALL_UUID, 3, 16, clock.instant()), listener.next(CallEnded.class));
        assertEquals(0, adapter.liveCallCount());
        listener.assertQuiet(QUIET);
    }

    @Test
    void loopbackLegsAndBridgeBLegsAreNotCalls() throws Exception {
        Conn conn = start();
        for (var p : Captures.rawDir("raw-call-loopback")) {
            conn.send(Captures.bytes(p));
        }
        byte[] bLeg = Replay.with(Replay.with(Replay.CALL_CREATE, "Call-Direction", "outbound"), "Unique-ID",
                "6c9f1ed4-3f6b-4c3c-9a0e-2f8b3c1d0a77");
        conn.send(bLeg);
        listener.assertQuiet(QUIET);
        assertEquals(0, adapter.liveCallCount());
    }

    @Test
    void accountIsAccountcodeElseTheDirectoryUserElseNothingForStrangers() throws Exception {
        Conn conn = start();
        byte[] noCode = Replay.with(Replay.CALL_CREATE, "variable_accountcode", null);
        conn.send(noCode);
        assertEquals("1000@127.0.0.1", listener.nextOf(CallStarted.class).account());

        byte[] stranger = Replay.with(Replay.with(Replay.with(Replay.with(Replay.with(noCode,
                "Unique-ID", "0f3a6e1c-1111-4c15-9750-c43aa89f104b"), "variable_user_name", null),
                "variable_sip_authorized", null), "variable_sip_auth_username", null), "variable_sip_from_user",
                "1000");
        conn.send(stranger);
        CallStarted s = listener.next(CallStarted.class);
        assertEquals("0f3a6e1c-1111-4c15-9750-c43aa89f104b", s.callId());
        assertEquals("", s.account(), "an unauthenticated From header names no account");

        byte[] trunk = Replay.with(Replay.with(stranger, "Unique-ID", "0f3a6e1c-2222-4c15-9750-c43aa89f104b"),
                "variable_sip_authorized", "true");
        conn.send(trunk);
        assertEquals("1000@127.0.0.1", listener.next(CallStarted.class).account(), "ACL-authorised: from user@domain");
    }

    @Test
    void reconnectsAfterADropMidFrameAndResynchronisesTheCalls() throws Exception {
        Conn conn = start();
        String known = Replay.CALL_UUID;
        String endedWhileAway = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
        replay(conn, Replay.CALL_CREATE);
        listener.nextOf(CallStarted.class);
        conn.send(Replay.with(Replay.CALL_CREATE, "Unique-ID", endedWhileAway));
        listener.nextOf(CallStarted.class);

        Map<String, String> knownRow = ShowChannels.sipCall();
        Map<String, String> foundRow = ShowChannels.row("cccccccc-0000-4000-8000-000000000001", "inbound",
                "sofia/internal/1001@127.0.0.1");
        foundRow.put("accountcode", "");
        foundRow.put("presence_id", "1001@127.0.0.1");
        foundRow.put("cid_num", "1001");
        foundRow.put("initial_cid_num", "1001");
        foundRow.put("initial_dest", "0031900123456");
        foundRow.put("initial_ip_addr", "198.51.100.20");
        foundRow.put("callstate", "ACTIVE");
        Map<String, String> bLeg = ShowChannels.row("dddddddd-0000-4000-8000-000000000002", "outbound",
                "sofia/external/0031900123456");
        Map<String, String> loopback = ShowChannels.row("eeeeeeee-0000-4000-8000-000000000003", "inbound",
                "loopback/9196-b");
        channels = ShowChannels.json(knownRow, foundRow, bLeg, loopback);

        byte[] frame = Replay.capture(Replay.CALL_ANSWER);
        conn.send(java.util.Arrays.copyOf(frame, frame.length / 2));
        Thread.sleep(50);
        conn.drop(); // FreeSWITCH restarts with half a frame on the wire
        Conn again = awaitSession();

        CallEnded gone = listener.next(CallEnded.class);
        assertEquals(new CallEnded(endedWhileAway, -1, 0, clock.instant()), gone);
        LiveCallsSnapshot snapshot = listener.next(LiveCallsSnapshot.class);
        assertEquals(2, snapshot.calls().size(), snapshot.toString());
        LiveCall first = snapshot.calls().get(0);
        assertEquals(known, first.callId());
        assertEquals("1000", first.account());
        assertEquals(first.started(), first.answered(), "answered while we were away: earliest possible time");
        LiveCall found = snapshot.calls().get(1);
        assertEquals(new LiveCall("cccccccc-0000-4000-8000-000000000001", "1001@127.0.0.1", "1001", "0031900123456",
                IpAddresses.parse("198.51.100.20"), Instant.ofEpochSecond(1795371000),
                Instant.ofEpochSecond(1795371000)), found);

        replay(again, Replay.CALL_HANGUP);
        assertEquals(3, listener.next(CallEnded.class).billableSeconds());
        assertEquals(1, adapter.liveCallCount());
    }

    @Test
    void callsCreatedOrEndedWhileTheListIsOnItsWayAreMergedIn() throws Exception {
        adapter = track(new FreeSwitchAdapter(config("ClueCon"), clock, listener, Duration.ofMillis(50)));
        // FreeSWITCH's channel table lags its events: the list says nothing of the call created just before it
        freeswitch.handler((c, cmd) -> {
            if (cmd.line().equals("api show channels as json")) {
                c.send(Replay.capture(Replay.CALL_CREATE));
                c.send(Frames.apiResponse(ShowChannels.json()));
                return true;
            }
            return false;
        });
        adapter.start();
        awaitSession();
        assertEquals(Replay.CALL_UUID, listener.nextOf(CallStarted.class).callId());
        LiveCallsSnapshot snapshot = listener.next(LiveCallsSnapshot.class);
        assertEquals(List.of(Replay.CALL_UUID), snapshot.calls().stream().map(LiveCall::callId).toList());
    }

    @Test
    void hangupIsBgapiUuidKillWithTheCauseName() throws Exception {
        Conn conn = start();
        var done = adapter.control().hangup(Replay.CALL_UUID, 21);
        FakeFreeSwitch.Command cmd = conn.awaitCommand("bgapi", WAIT);
        assertEquals("bgapi uuid_kill " + Replay.CALL_UUID + " CALL_REJECTED", cmd.line());
        assertTrue(cmd.headers().containsKey("Job-UUID"));
        assertNull(done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));

        adapter.control().hangup(Replay.CALL_UUID, 16);
        assertEquals("bgapi uuid_kill " + Replay.CALL_UUID + " NORMAL_CLEARING", conn.awaitCommand("bgapi", WAIT).line());
        adapter.control().hangup(Replay.CALL_UUID, 999);
        assertEquals("bgapi uuid_kill " + Replay.CALL_UUID + " 999", conn.awaitCommand("bgapi", WAIT).line());
    }

    @Test
    void hangupOfACallAlreadyGoneSucceedsAndAnyOtherErrorFails() throws Exception {
        Conn conn = start();
        freeswitch.handler((c, cmd) -> {
            if (cmd.startsWith("bgapi ")) {
                String uuid = cmd.headers().get("Job-UUID");
                c.sendBgapiReply(uuid);
                String out = cmd.line().contains("aaaa") ? "-ERR No such channel!\n" : "-ERR permission denied\n";
                c.send(FakeFreeSwitch.backgroundJob(uuid, cmd.line().substring(6), out));
                return true;
            }
            return false;
        });
        assertNull(adapter.control().hangup("aaaa-1", 21).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> adapter.control().hangup("bbbb-2", 21).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(e.getCause().getMessage().contains("permission denied"), e.getCause().getMessage());
    }

    @Test
    void hangupRefusesAnythingButACallId() throws Exception {
        Conn conn = start();
        var f = adapter.control().hangup(Replay.CALL_UUID + " NORMAL_CLEARING\n\napi reloadxml", 21);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(conn.drainCommands().isEmpty());
    }

    @Test
    void liveCallsListsCountedLegsOnly() throws Exception {
        start();
        channels = ShowChannels.json(ShowChannels.sipCall(), ShowChannels.row("dddddddd-0000-4000-8000-000000000002",
                "outbound", "sofia/external/0031900123456"));
        List<LiveCall> calls = adapter.control().liveCalls().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(1, calls.size());
        LiveCall c = calls.get(0);
        assertEquals(new LiveCall(Replay.CALL_UUID, "1000", "1000", "9196", LOCALHOST,
                Instant.ofEpochSecond(1795370406), Instant.ofEpochSecond(1795370406)), c);

        channels = "-ERR SQL Error [no such table: channels]\n";
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> adapter.control().liveCalls().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(e.getCause().getMessage().contains("no such table"), e.getCause().getMessage());
    }

    @Test
    void wrongEventSocketPasswordIsReportedAndNeverConnects() throws Exception {
        adapter = track(new FreeSwitchAdapter(config("wrong"), clock, listener, Duration.ofMillis(50)));
        adapter.start();
        Conn conn = freeswitch.awaitConnection(WAIT);
        assertEquals("auth wrong", conn.awaitCommand(WAIT).line());
        long end = System.nanoTime() + WAIT.toNanos();
        while (!logs.contains(Level.ERROR, "rejected the password") && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(logs.contains(Level.ERROR, "rejected the password"), logs.messages(Level.ERROR).toString());
        assertFalse(adapter.isConnected());
        assertTrue(adapter.stateSince() != null);
        listener.assertQuiet(QUIET);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> adapter.control().liveCalls().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(e.getCause().getMessage().contains("not connected"), e.getCause().getMessage());
    }

    @Test
    void everyCapturedEventParsesAndNothingButOurMappingComesOut() throws Exception {
        Conn conn = start();
        for (var p : Captures.rawEvents()) {
            conn.send(Captures.bytes(p));
        }
        conn.send(Replay.logFrame("mod_event_socket.c", "listener_run", 2674, "IP 203.0.113.9 Rejected by acl \"x\""));
        List<PbxEvent> seen = new ArrayList<>();
        PbxEvent e;
        while (!((e = listener.next()) instanceof AuthEvent a && a.service().equals("ESL"))) {
            seen.add(e);
        }
        long auth = seen.stream().filter(AuthEvent.class::isInstance).count();
        // raw-invite-authfail: 1 failure; raw-register: 6; raw-register-sipp: 1 success + 2 failures; raw-call-sip: 1
        assertEquals(11, auth, seen.toString());
        assertEquals(List.of(CallStarted.class, CallAnswered.class, CallEnded.class), seen.stream()
                .filter(x -> !(x instanceof AuthEvent)).map(Object::getClass).toList(), "the SIP call only");
    }
}
