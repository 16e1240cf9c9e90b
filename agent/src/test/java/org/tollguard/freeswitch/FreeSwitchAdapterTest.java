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
import org.tollguard.freeswitch.esl.Replies;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthKind;
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
            + " BACKGROUND_JOB CUSTOM sofia::pre_register sofia::register_failure sofia::register_attempt"
            + " sofia::register";
    private static final List<String> EMERGENCY = List.of("112", "911", "9112", "9911");
    private static final InetAddress LOCALHOST = IpAddresses.parse("127.0.0.1");
    private static final InetAddress FS_OWN = IpAddresses.parse("192.0.2.2");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T18:00:00Z"));
    private final RecordingPbxListener listener = new RecordingPbxListener();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private FakeFreeSwitch freeswitch;
    private FreeSwitchAdapter adapter;
    private LogCapture logs;
    private volatile byte[] channels = Replies.noChannels();
    /** null: the defaults ({@code sofia/gateway/}, {@code sofia/external/}). */
    private List<String> trunkLegPrefixes;

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

    private byte[] api(String command) {
        return switch (command) {
            case "version" -> FakeFreeSwitch.version();
            case "show channels as json" -> channels;
            case "global_setvar tollguard_emergency=112|911|9112|9911" -> Frames.apiResponse("+OK");
            default -> Frames.apiResponse("-ERR " + command.split(" ")[0] + " Command not found!\n");
        };
    }

    /** Frame {@code n} of raw-json-events (its number in the stream). */
    private static byte[] json(int n) {
        String prefix = String.format("%03d-", n);
        return Captures.bytes(Captures.rawDir("raw-json-events").stream()
                .filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow());
    }

    /** The given frames of raw-json-events, in order. */
    private static void replayJson(Conn conn, int... numbers) throws Exception {
        for (int n : numbers) {
            conn.send(json(n));
        }
    }

    private void assertAuth(AuthOutcome outcome, String type, String account, String address) throws Exception {
        AuthEvent e = auth();
        assertEquals(List.of(outcome, type, account, IpAddresses.parse(address)),
                List.of(e.outcome(), e.type(), e.account(), e.address()), e.toString());
        AuthKind kind = switch (type) {
            case "pre_register" -> AuthKind.CHALLENGE;
            case "register_failure" -> AuthKind.AUTH_FAILED;
            case "acl_rejected" -> AuthKind.ACL_REFUSED;
            default -> AuthKind.AUTHENTICATED;
        };
        assertEquals(kind, e.kind(), e.toString());
    }

    private FreeSwitchConfig config(String password) {
        return new FreeSwitchConfig(true, "127.0.0.1", freeswitch.port(), new Secret(password), null, null,
                Duration.ofSeconds(2), null, trunkLegPrefixes);
    }

    /** The provider of the captured run (raw-json-events, show-channels) was a loopback: see Replay. */
    private void withTheCapturedProvider() {
        trunkLegPrefixes = Replay.CAPTURED_PROVIDER;
    }

    /** Starts the adapter and waits for its session: auth, subscription, log, version, channel list. */
    private Conn start() throws InterruptedException {
        adapter = track(new FreeSwitchAdapter(config("ClueCon"), clock, listener, EMERGENCY, Duration.ofMillis(50)));
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
        assertEquals("api global_setvar tollguard_emergency=112|911|9112|9911", conn.awaitCommand(WAIT).line(),
                "the verdict context's fail-closed path reads it");
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
        assertEquals("1.10.12-release~64bit", adapter.pbxVersion(), "reported upstream with kind freeswitch");
        assertTrue(logs.contains(Level.INFO, "FreeSWITCH calls resynchronised live=0"), logs.messages(Level.INFO).toString());
        awaitLog(Level.INFO, "emergency numbers set in the dialplan tollguard_emergency=112|911|9112|9911");
    }

    @Test
    void emergencyNumbersNotSetInTheDialplanIsAnError() throws Exception {
        freeswitch.apiResponder(command -> command.startsWith("global_setvar ")
                ? Frames.apiResponse("-ERR global_setvar Command not found!\n") : api(command));
        start();
        awaitLog(Level.ERROR, "emergency numbers not set in the dialplan (tollguard_emergency):"
                + " -ERR global_setvar Command not found!");
    }

    private void awaitLog(Level level, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!logs.contains(level, text) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(logs.contains(level, text), logs.messages(level).toString());
    }

    @Test
    void svcrackChallengesAndFailuresAreOfAccount1000() throws Exception {
        Conn conn = start();
        List<java.nio.file.Path> run = Captures.rawDir("raw-register");
        for (var p : run) {
            conn.send(Captures.bytes(p));
        }
        for (int i = 0; i < 13; i++) {
            AuthEvent e = auth();
            assertEquals(i % 2 == 0 ? AuthOutcome.CHALLENGED : AuthOutcome.FAILED, e.outcome(), e.toString());
            assertEquals(i % 2 == 0 ? "pre_register" : "register_failure", e.type());
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
        listener.assertQuiet(QUIET); // svcrack's last challenge was never answered
    }

    @Test
    void sippRunGivesThreeChallengesOneSuccessAndTwoFailures() throws Exception {
        Conn conn = start();
        for (var p : Captures.rawDir("raw-register-sipp")) {
            conn.send(Captures.bytes(p));
        }
        assertAuth(AuthOutcome.CHALLENGED, "pre_register", "1000", "127.0.0.1");
        AuthEvent ok = auth();
        assertEquals(AuthOutcome.SUCCEEDED, ok.outcome());
        assertEquals("register", ok.type());
        assertEquals("1000", ok.account());
        assertEquals(5098, ok.port());
        assertEquals("sipp-reg-test", ok.userAgent());
        assertAuth(AuthOutcome.CHALLENGED, "pre_register", "1001", "127.0.0.1");
        assertAuth(AuthOutcome.FAILED, "register_failure", "1001", "127.0.0.1");
        assertAuth(AuthOutcome.CHALLENGED, "pre_register", "9999", "127.0.0.1");
        assertAuth(AuthOutcome.FAILED, "register_failure", "9999", "127.0.0.1");
        listener.assertQuiet(QUIET);
    }

    @Test
    void failedInviteNamesTheCallerNotTheDialledNumberAndIsNoCall() throws Exception {
        Conn conn = start();
        for (var p : Captures.rawDir("raw-invite-authfail-ALL")) {
            conn.send(Captures.bytes(p));
        }
        assertAuth(AuthOutcome.CHALLENGED, "pre_register", "1000", "127.0.0.1");
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
    void everyChallengeIsASofiaPreRegisterNamingTheAccountEvenForAnInvite() throws Exception {
        Conn conn = start();
        replayJson(conn, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 108, 109, 110);
        String attacker = "203.0.113.102";
        assertAuth(AuthOutcome.CHALLENGED, "pre_register", "1001", attacker); // wrong-password REGISTER
        assertAuth(AuthOutcome.FAILED, "register_failure", "1001", attacker);
        AuthEvent scanner = auth(); // challenge-only scanner: this is all FreeSWITCH reports of it
        assertEquals(List.of(AuthOutcome.CHALLENGED, "admin", 5081, "fsx-challenge-scanner",
                IpAddresses.parse("127.0.0.1")), List.of(scanner.outcome(), scanner.account(), scanner.port(),
                scanner.userAgent(), scanner.pbxAddress()));
        assertAuth(AuthOutcome.CHALLENGED, "pre_register", "1001", "198.51.100.102"); // the phone registers
        assertAuth(AuthOutcome.SUCCEEDED, "register", "1001", "198.51.100.102");
        // wrong-password INVITE: the challenge names the caller (the log line names the dialled number)
        assertAuth(AuthOutcome.CHALLENGED, "pre_register", "1001", attacker);
        assertAuth(AuthOutcome.FAILED, "register_failure", "1001", attacker);
        assertAuth(AuthOutcome.CHALLENGED, "pre_register", "1002", attacker);
        assertAuth(AuthOutcome.FAILED, "register_failure", "1002", attacker);
        listener.assertQuiet(QUIET);
    }

    @Test
    void logStreamOfTheRealRunsCountsOnlyTheEventSocketAclRefusal() throws Exception {
        Conn conn = start();
        for (String run : List.of("run1", "run2")) {
            for (java.nio.file.Path frame : Captures.logFrames(run)) {
                conn.send(Captures.bytes(frame));
            }
        }
        // SIP auth challenge / failure lines come with their pre_register / register_failure: not counted twice
        AuthEvent e = auth();
        assertEquals(List.of(AuthOutcome.FAILED, "acl_rejected", "ESL", "TCP", IpAddresses.parse("198.51.100.101")),
                List.of(e.outcome(), e.type(), e.service(), e.transport(), e.address()), e.toString());
        listener.assertQuiet(QUIET);
    }


    @Test
    void staleNonceRechallengeIsNotAnotherUnansweredChallenge() throws Exception {
        Conn conn = start();
        replay(conn, Replay.REGISTER_PRE_REGISTER);
        assertEquals(AuthOutcome.CHALLENGED, auth().outcome());
        conn.send(Replay.with(Replay.REGISTER_ATTEMPT_RENEWED, "auth-result", "STALE"));
        replay(conn, Replay.REGISTER_PRE_REGISTER, Replay.REGISTER_SUCCESS);
        assertEquals(AuthOutcome.SUCCEEDED, auth().outcome(), "no second challenge before the success");
        listener.assertQuiet(QUIET);

        conn.send(Replay.with(Replay.REGISTER_ATTEMPT_RENEWED, "auth-result", "STALE"));
        replay(conn, Replay.SVCRACK_FAILURE); // handled after the stale answer: its time is taken before the clock moves
        assertEquals(AuthOutcome.FAILED, auth().outcome());
        clock.advance(Duration.ofMillis(AuthMapper.STALE_TTL_MILLIS + 1));
        replay(conn, Replay.REGISTER_PRE_REGISTER);
        assertEquals(AuthOutcome.CHALLENGED, auth().outcome(), "a stale answer long ago excuses no new challenge");
    }

    @Test
    void eventSocketAclRefusalIsAnEslLoginFailure() throws Exception {
        Conn conn = start();
        conn.send(Captures.bytes("raw-log-data/run1/016-log-data-WARNING-listener_run.txt"));
        AuthEvent e = auth();
        assertEquals(AuthOutcome.FAILED, e.outcome());
        assertEquals("ESL", e.service());
        assertEquals("acl_rejected", e.type());
        assertEquals(IpAddresses.parse("198.51.100.101"), e.address());
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

        conn.send(Replay.with(Replay.SVCRACK_PRE_REGISTER, "network-ip", "evil.example.com"));
        listener.assertQuiet(QUIET);
        assertTrue(logs.contains(Level.WARN, "pre_register event rejected network-ip=\"evil.example.com\""),
                logs.messages(Level.WARN).toString());
    }

    @Test
    void registrationThatAnsweredNoChallengeIsNotTrust() throws Exception {
        Conn conn = start();
        conn.send(Replay.with(Replay.REGISTER_SUCCESS, "username", "unknown"));
        listener.assertQuiet(QUIET);
    }

    @Test
    void capturedSipCallToTheEchoTestIsInternalNoCallButItsInviteAnAnsweredChallenge() throws Exception {
        withTheCapturedProvider(); // even so: the call never got a leg to a provider
        Conn conn = start();
        replay(conn, Replay.CALL_CREATE);
        AuthEvent invite = auth();
        assertEquals(AuthOutcome.SUCCEEDED, invite.outcome());
        assertEquals("invite_authorized", invite.type());
        assertEquals("1000@127.0.0.1", invite.account());
        assertEquals(5099, invite.port());
        assertEquals("sipp-test", invite.userAgent());
        replay(conn, Replay.CALL_ANSWER, Replay.CALL_HANGUP);
        listener.assertQuiet(QUIET); // no CallStarted, CallAnswered or CallEnded: not counted, priced or hung up
        assertEquals(0, adapter.liveCallCount());
    }

    @Test
    void sipCallBecomesACallWhenItsLegToAProviderIsCreatedAndKeepsItsStartAndAnswer() throws Exception {
        withTheCapturedProvider();
        Conn conn = start();
        Instant dialled = clock.instant();
        replay(conn, Replay.CALL_CREATE);
        auth();
        listener.assertQuiet(QUIET); // and the leg is in the table
        clock.advance(Duration.ofMillis(20));
        Instant answered = clock.instant();
        replay(conn, Replay.CALL_ANSWER); // answered before it went out, as an IVR would
        listener.assertQuiet(QUIET);
        assertEquals(0, adapter.liveCallCount());

        clock.advance(Duration.ofSeconds(2));
        conn.send(Replay.providerLegFor(Replay.CALL_UUID, "0b41d6c8-0000-440f-b7ca-d7a31b4f9379"));
        assertEquals(new CallStarted(Replay.CALL_UUID, "1000", "1000", "9196", LOCALHOST, dialled),
                listener.next(CallStarted.class), "the start is when the phone dialled");
        assertEquals(new CallAnswered(Replay.CALL_UUID, answered), listener.next(CallAnswered.class));
        assertEquals(1, adapter.liveCallCount());
        conn.send(Replay.providerLegFor(Replay.CALL_UUID, "0b41d6c8-1111-440f-b7ca-d7a31b4f9379"));
        listener.assertQuiet(QUIET); // a second provider leg (failover) is the same call

        clock.advance(Duration.ofSeconds(3));
        replay(conn, Replay.CALL_HANGUP);
        assertEquals(new CallEnded(Replay.CALL_UUID, 3, 16, clock.instant()), listener.next(CallEnded.class));
        assertEquals(0, adapter.liveCallCount());
    }

    @Test
    void realCallThroughLoopbackIsOneCallFromItsProviderLegAndRefusedCallsAreNone() throws Exception {
        withTheCapturedProvider();
        Conn conn = start();
        String uuid = "29c434b0-e044-40be-82e3-e765c3a59846";
        InetAddress phone = IpAddresses.parse("198.51.100.102");
        Instant dialled = clock.instant();
        replayJson(conn, 20, 30);
        assertAuth(AuthOutcome.SUCCEEDED, "invite_authorized", "1001@198.51.100.101", "198.51.100.102");
        listener.assertQuiet(QUIET); // not a call until it has a leg to the provider
        clock.advance(Duration.ofMillis(20));
        replayJson(conn, 58, 62);
        assertEquals(new CallStarted(uuid, "1001", "1001", "0201234567", phone, dialled),
                listener.next(CallStarted.class), "the sofia leg; loopback-a (outbound) and -b are the same call");
        replayJson(conn, 67, 69, 74);
        assertEquals(new CallAnswered(uuid, clock.instant()), listener.next(CallAnswered.class));
        replayJson(conn, 79, 89, 97, 104, 135, 168);
        assertEquals(new CallEnded(uuid, 8, 16, clock.instant()), listener.next(CallEnded.class));
        listener.assertQuiet(QUIET); // 020, 135, 168: hang-ups of INVITEs refused (auth, deny, fail closed): no calls
        assertEquals(0, adapter.liveCallCount());
    }

    @Test
    void sameCallWithTheDefaultPrefixesNeverReachedAProviderButItsPreDialCheckIsEnded() throws Exception {
        Conn conn = start();
        String uuid = "29c434b0-e044-40be-82e3-e765c3a59846";
        replayJson(conn, 30, 58, 62, 67, 69, 74, 89);
        auth();
        listener.assertQuiet(QUIET);
        replayJson(conn, 97, 104);
        // the pre-dial check saw it (variable_tollguard_result: allow), so the engines hold it until its end
        assertEquals(new CallEnded(uuid, 8, 16, clock.instant()), listener.next(CallEnded.class));
        listener.assertQuiet(QUIET);
        assertEquals(0, adapter.liveCallCount());
    }

    @Test
    void providerLegOfALoopbacksOtherHalfBelongsToTheCallThatBridgedToTheLoopback() throws Exception {
        withTheCapturedProvider();
        Conn conn = start();
        String uuid = "29c434b0-e044-40be-82e3-e765c3a59846";
        String loopbackB = "6e7d8e66-3c26-4638-b49f-a79e322f3d0c";
        replayJson(conn, 30, 62); // a ring group: the call bridged to a loopback whose b-half runs the dialplan
        auth();
        listener.assertQuiet(QUIET);
        // ...and the b-half dials the provider: the captured provider leg, created for the b-half instead
        byte[] providerLeg = Replay.replaced(Replay.replaced(json(58), "6a3288cd-46cc-4005-a12a-112e456b79ac",
                "6a3288cd-0000-4005-a12a-112e456b79ac"), uuid, loopbackB);
        conn.send(providerLeg);
        assertEquals(uuid, listener.next(CallStarted.class).callId());
        replayJson(conn, 104, 97);
        assertEquals(uuid, listener.next(CallEnded.class).callId());
    }

    @Test
    void gatewayLegIsAProviderLegWhateverItsName() throws Exception {
        Conn conn = start(); // default prefixes: loopback/ is not one
        replay(conn, Replay.CALL_CREATE);
        auth();
        byte[] leg = Replay.providerLegFor(Replay.CALL_UUID, "0b41d6c8-0000-440f-b7ca-d7a31b4f9379");
        conn.send(leg);
        listener.assertQuiet(QUIET);
        // mod_sofia sets sip_gateway_name on every leg it creates to a gateway (sofia_outgoing_channel)
        conn.send(Replay.with(Replay.with(leg, "Unique-ID", "0b41d6c8-1111-440f-b7ca-d7a31b4f9379"),
                "variable_sip_gateway_name", "provider"));
        assertEquals(Replay.CALL_UUID, listener.next(CallStarted.class).callId());
    }

    @Test
    void loopbackLegsOfTheSipCaptureAreNotCalls() throws Exception {
        Conn conn = start();
        for (var p : Captures.rawDir("raw-call-loopback")) {
            conn.send(Captures.bytes(p));
        }
        listener.assertQuiet(QUIET);
        assertEquals(0, adapter.liveCallCount());
    }

    @Test
    void accountIsAccountcodeElseTheDirectoryUserElseNothingForStrangers() throws Exception {
        withTheCapturedProvider();
        Conn conn = start();
        byte[] noCode = Replay.with(Replay.CALL_CREATE, "variable_accountcode", null);
        conn.send(noCode);
        conn.send(Replay.providerLegFor(Replay.CALL_UUID, "0b41d6c8-0000-440f-b7ca-d7a31b4f9379"));
        assertEquals("1000@127.0.0.1", listener.nextOf(CallStarted.class).account());

        byte[] stranger = Replay.with(Replay.with(Replay.with(Replay.with(Replay.with(noCode,
                "Unique-ID", "0f3a6e1c-1111-4c15-9750-c43aa89f104b"), "variable_user_name", null),
                "variable_sip_authorized", null), "variable_sip_auth_username", null), "variable_sip_from_user",
                "1000");
        conn.send(stranger);
        conn.send(Replay.providerLegFor("0f3a6e1c-1111-4c15-9750-c43aa89f104b", "0b41d6c8-1111-440f-b7ca-d7a31b4f9379"));
        CallStarted s = listener.next(CallStarted.class);
        assertEquals("0f3a6e1c-1111-4c15-9750-c43aa89f104b", s.callId());
        assertEquals("", s.account(), "an unauthenticated From header names no account");

        byte[] trunk = Replay.with(Replay.with(stranger, "Unique-ID", "0f3a6e1c-2222-4c15-9750-c43aa89f104b"),
                "variable_sip_authorized", "true");
        conn.send(trunk);
        conn.send(Replay.providerLegFor("0f3a6e1c-2222-4c15-9750-c43aa89f104b", "0b41d6c8-2222-440f-b7ca-d7a31b4f9379"));
        assertEquals("1000@127.0.0.1", listener.next(CallStarted.class).account(), "ACL-authorised: from user@domain");
    }

    @Test
    void reconnectsAfterADropMidFrameAndResynchronisesTheCalls() throws Exception {
        withTheCapturedProvider();
        Conn conn = start();
        String known = "29c434b0-e044-40be-82e3-e765c3a59846";
        replayJson(conn, 30, 58);
        assertEquals(known, listener.nextOf(CallStarted.class).callId());
        String ending = "0f3a6e1c-3333-4c15-9750-c43aa89f104b";
        replay(conn, Replay.CALL_CREATE); // the older capture's call, internal: ends while we are away, silently
        conn.send(Replay.with(Replay.CALL_CREATE, "Unique-ID", ending)); // the same as a call that ends while away
        conn.send(Replay.providerLegFor(ending, "0b41d6c8-3333-440f-b7ca-d7a31b4f9379"));
        assertEquals(ending, listener.nextOf(CallStarted.class).callId());
        channels = Replies.channelsWithCall();

        byte[] frame = json(74);
        conn.send(java.util.Arrays.copyOf(frame, frame.length / 2));
        Thread.sleep(50);
        conn.drop(); // FreeSWITCH restarts with half a frame on the wire
        Conn again = awaitSession();

        assertEquals(new CallEnded(ending, -1, 0, clock.instant()), listener.next(CallEnded.class));
        LiveCallsSnapshot snapshot = listener.next(LiveCallsSnapshot.class); // nothing of the internal call
        assertEquals(1, snapshot.calls().size(), "the sofia leg only, not the two loopback halves: " + snapshot);
        LiveCall call = snapshot.calls().get(0);
        assertEquals(known, call.callId());
        assertEquals("1001", call.account());
        assertEquals(call.started(), call.answered(), "answered while we were away: earliest possible time");

        replayJson(again, 97);
        assertEquals(8, listener.next(CallEnded.class).billableSeconds());
        assertEquals(0, adapter.liveCallCount());
    }

    @Test
    void callKnownAsOutgoingStaysACallAtResyncThoughTheListShowsNoProviderLeg() throws Exception {
        Conn conn = start(); // default prefixes: the list's loopback-a row is no provider leg
        String known = "29c434b0-e044-40be-82e3-e765c3a59846";
        replayJson(conn, 30);
        conn.send(Replay.with(Replay.providerLegFor(known, "0b41d6c8-0000-440f-b7ca-d7a31b4f9379"),
                "variable_sip_gateway_name", "provider"));
        assertEquals(known, listener.nextOf(CallStarted.class).callId());
        channels = Replies.channelsWithCall(); // e.g. its provider leg failed over and the next is being created
        conn.drop();
        awaitSession();
        assertEquals(List.of(known), listener.next(LiveCallsSnapshot.class).calls().stream().map(LiveCall::callId)
                .toList(), "no CallEnded: a call stays outgoing once it was");
        assertEquals(1, adapter.liveCallCount());
    }

    @Test
    void callFirstSeenInTheRealChannelListIsTheSofiaLegWithItsAccountcode() throws Exception {
        withTheCapturedProvider(); // its loopback-a row has the sofia leg's uuid as call_uuid
        channels = Replies.channelsWithCall();
        adapter = track(new FreeSwitchAdapter(config("ClueCon"), clock, listener, EMERGENCY, Duration.ofMillis(50)));
        adapter.start();
        awaitSession();
        Instant created = Instant.ofEpochSecond(1796408538);
        assertEquals(List.of(new LiveCall("29c434b0-e044-40be-82e3-e765c3a59846", "1001", "1001", "0201234567",
                IpAddresses.parse("198.51.100.102"), created, created)), listener.next(LiveCallsSnapshot.class).calls());
    }

    @Test
    void callInTheChannelListWithoutALegToAProviderIsPendingUntilItGetsOne() throws Exception {
        channels = Replies.channelsWithCall(); // default prefixes: its loopback-a is no provider leg
        adapter = track(new FreeSwitchAdapter(config("ClueCon"), clock, listener, EMERGENCY, Duration.ofMillis(50)));
        adapter.start();
        Conn conn = awaitSession();
        assertEquals(List.of(), listener.next(LiveCallsSnapshot.class).calls());
        assertEquals(0, adapter.liveCallCount());
        // it was answered (callstate ACTIVE) and is still tracked: a leg to a provider makes it a call
        conn.send(Replay.with(Replay.providerLegFor("29c434b0-e044-40be-82e3-e765c3a59846",
                "0b41d6c8-0000-440f-b7ca-d7a31b4f9379"), "variable_sip_gateway_name", "provider"));
        Instant created = Instant.ofEpochSecond(1796408538);
        assertEquals(new CallStarted("29c434b0-e044-40be-82e3-e765c3a59846", "1001", "1001", "0201234567",
                IpAddresses.parse("198.51.100.102"), created), listener.next(CallStarted.class));
        assertEquals(created, listener.next(CallAnswered.class).at());
    }

    @Test
    void callsCreatedOrEndedWhileTheListIsOnItsWayAreMergedIn() throws Exception {
        withTheCapturedProvider();
        adapter = track(new FreeSwitchAdapter(config("ClueCon"), clock, listener, EMERGENCY, Duration.ofMillis(50)));
        // FreeSWITCH's channel table lags its events: the list says nothing of the call created just before it
        freeswitch.handler((c, cmd) -> {
            if (cmd.line().equals("api show channels as json")) {
                c.send(Replay.capture(Replay.CALL_CREATE));
                c.send(Replay.providerLegFor(Replay.CALL_UUID, "0b41d6c8-0000-440f-b7ca-d7a31b4f9379"));
                c.send(Replies.noChannels());
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
    void legCreatedWhileTheListIsOnItsWayStaysPendingAndStartsLater() throws Exception {
        withTheCapturedProvider();
        adapter = track(new FreeSwitchAdapter(config("ClueCon"), clock, listener, EMERGENCY, Duration.ofMillis(50)));
        freeswitch.handler((c, cmd) -> {
            if (cmd.line().equals("api show channels as json")) {
                c.send(Replay.capture(Replay.CALL_CREATE));
                c.send(Replies.noChannels());
                return true;
            }
            return false;
        });
        adapter.start();
        Conn conn = awaitSession();
        assertEquals(List.of(), listener.nextOf(LiveCallsSnapshot.class).calls());
        conn.send(Replay.providerLegFor(Replay.CALL_UUID, "0b41d6c8-0000-440f-b7ca-d7a31b4f9379"));
        assertEquals(Replay.CALL_UUID, listener.next(CallStarted.class).callId());
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
    void liveCallsListsOutgoingCallsOnly() throws Exception {
        start();
        channels = Replies.channelsWithCall();
        assertEquals(List.of(), adapter.control().liveCalls().get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                "with the default prefixes the captured call has no leg to a provider");
    }

    @Test
    void liveCallsListsCountedLegsOnly() throws Exception {
        withTheCapturedProvider();
        start();
        channels = Replies.channelsWithCall();
        List<LiveCall> calls = adapter.control().liveCalls().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Instant created = Instant.ofEpochSecond(1796408538);
        assertEquals(List.of(new LiveCall("29c434b0-e044-40be-82e3-e765c3a59846", "1001", "1001", "0201234567",
                IpAddresses.parse("198.51.100.102"), created, created)), calls);

        channels = Frames.apiResponse("-ERR SQL Error [no such table: channels]\n"); // not captured
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> adapter.control().liveCalls().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(e.getCause().getMessage().contains("no such table"), e.getCause().getMessage());
    }

    @Test
    void wrongEventSocketPasswordIsReportedAndNeverConnects() throws Exception {
        adapter = track(new FreeSwitchAdapter(config("wrong"), clock, listener, EMERGENCY, Duration.ofMillis(50)));
        adapter.start();
        Conn conn = freeswitch.awaitConnection(WAIT);
        assertEquals("auth wrong", conn.awaitCommand(WAIT).line());
        long end = System.nanoTime() + WAIT.toNanos();
        while (!logs.contains(Level.ERROR, "rejected the password") && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(logs.contains(Level.ERROR, "rejected the password"), logs.messages(Level.ERROR).toString());
        assertFalse(adapter.isConnected());
        org.tollguard.support.Wait.until(WAIT, () -> adapter.stateSince() != null, "the refusal recorded as state");
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
        conn.send(Captures.bytes("raw-log-data/run1/016-log-data-WARNING-listener_run.txt"));
        List<PbxEvent> seen = new ArrayList<>();
        PbxEvent e;
        while (!((e = listener.next()) instanceof AuthEvent a && a.service().equals("ESL"))) {
            seen.add(e);
        }
        long auth = seen.stream().filter(AuthEvent.class::isInstance).count();
        // raw-invite-authfail: 1 challenge + 1 failure; raw-register: 7 + 6; raw-register-sipp: 3 challenges,
        // 1 success, 2 failures; raw-call-sip: 1 invite_authorized
        assertEquals(22, auth, seen.toString());
        assertEquals(List.of(), seen.stream().filter(x -> !(x instanceof AuthEvent)).toList(),
                "no calls: the SIP call is to the echo test, the loopback an originate; neither reaches a provider");
    }
}
