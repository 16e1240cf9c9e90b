package org.tollguard.ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.config.BanConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Decisions;
import org.tollguard.net.Cidr;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthKind;
import org.tollguard.pbx.AuthOutcome;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.Store;
import org.tollguard.store.TrustRepository;
import org.tollguard.support.MutableClock;

class BanEngineTest {
    private static final InetAddress ATTACKER = IpAddresses.parse("203.0.113.66");
    private static final InetAddress PHONE = IpAddresses.parse("198.51.100.20");

    @TempDir
    Path dir;
    Store store;
    DecisionRepository repository;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    List<Decision> taken = new java.util.concurrent.CopyOnWriteArrayList<>();
    Decisions decisions;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("t.db"));
        repository = new DecisionRepository(store);
        decisions = new Decisions(repository, clock);
        decisions.addListener(taken::add);
    }

    @AfterEach
    void close() {
        decisions.close();
        store.close();
    }

    private BanEngine engine(BanConfig config) {
        return new BanEngine(config, clock, decisions, new NeverBan(config.allowlist()), new TrustRepository(store));
    }

    private static BanConfig config(List<BanConfig.Window> windows, int enumeration, List<Cidr> allowlist, Duration trust) {
        return new BanConfig(windows, new BanConfig.Enumeration(enumeration, Duration.ofMinutes(10)), Duration.ofSeconds(5),
                Duration.ofHours(1), 4, Duration.ofDays(1), 0, allowlist, trust, 1000);
    }

    private static BanConfig fastAndSlow() {
        return config(List.of(new BanConfig.Window("fast", 5, Duration.ofSeconds(60)),
                new BanConfig.Window("slow", 8, Duration.ofHours(1))), 0, List.of(), Duration.ofDays(7));
    }

    private AuthEvent event(AuthOutcome outcome, String type, InetAddress from, String account) {
        return new AuthEvent(outcome, type, switch (outcome) {
            case FAILED -> AuthKind.WRONG_PASSWORD;
            case CHALLENGED -> AuthKind.CHALLENGE;
            case SUCCEEDED -> AuthKind.AUTHENTICATED;
            case NOTICE -> AuthKind.NOTICE;
        }, from, 5060, "UDP", "PJSIP", account, "",
                "", null, clock.instant());
    }

    private void fail(BanEngine engine, InetAddress from, String account) {
        engine.handle(event(AuthOutcome.FAILED, "ChallengeResponseFailed", from, account));
    }

    private List<Decision> of(DecisionKind kind) {
        return taken.stream().filter(d -> d.kind() == kind).toList();
    }

    @Test
    void fastWindowBansAtTheThresholdNotBefore() {
        try (BanEngine engine = engine(fastAndSlow())) {
            for (int i = 0; i < 4; i++) {
                fail(engine, ATTACKER, "1001");
                clock.advance(Duration.ofSeconds(1));
            }
            assertTrue(taken.isEmpty(), "4 failures must not ban");
            fail(engine, ATTACKER, "1001");
            List<Decision> bans = of(DecisionKind.BAN_ADDRESS);
            assertEquals(1, bans.size());
            Decision ban = bans.get(0);
            assertEquals("203.0.113.66", ban.target().text());
            assertTrue(ban.reason().startsWith("fast: 5 failures"), ban.reason());
            assertEquals(Duration.ofHours(1), Duration.between(ban.created(), ban.expires()));
            assertEquals(Map.of("wrong-password", 5), ban.evidence().get("counts"), "PBX-neutral labels");
            assertEquals(List.of("1001"), ban.evidence().get("accounts"));
            assertEquals("UDP", ban.evidence().get("transport"));
            assertEquals("PJSIP", ban.evidence().get("service"));
        }
    }

    @Test
    void requestsStillInFlightAfterABanDoNotBanAgain() {
        try (BanEngine engine = engine(fastAndSlow())) {
            for (int i = 0; i < 12; i++) {
                fail(engine, ATTACKER, "1001");
            }
            assertEquals(1, of(DecisionKind.BAN_ADDRESS).size(), "one ban, not one per 5 stragglers");
            clock.advance(Duration.ofHours(1).plusSeconds(1));
            for (int i = 0; i < 5; i++) {
                fail(engine, ATTACKER, "1001");
            }
            assertEquals(2, of(DecisionKind.BAN_ADDRESS).size(), "back after the ban expired: banned again");
            assertEquals(Duration.ofHours(4), Duration.between(of(DecisionKind.BAN_ADDRESS).get(1).created(),
                    of(DecisionKind.BAN_ADDRESS).get(1).expires()), "escalated");
        }
    }

    @Test
    void slowScannerUnderTheFastWindowIsCaughtBySlowWindow() {
        try (BanEngine engine = engine(fastAndSlow())) {
            for (int i = 0; i < 7; i++) {
                fail(engine, ATTACKER, "100" + i);
                clock.advance(Duration.ofSeconds(20)); // 3 per minute: never 5 within 60 s
            }
            assertTrue(taken.isEmpty());
            fail(engine, ATTACKER, "1008");
            assertEquals(1, of(DecisionKind.BAN_ADDRESS).size());
            assertTrue(of(DecisionKind.BAN_ADDRESS).get(0).reason().startsWith("slow: 8 failures"));
        }
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        try (BanEngine engine = engine(config(List.of(new BanConfig.Window("fast", 3, Duration.ofSeconds(10))), 0,
                List.of(), Duration.ZERO))) {
            fail(engine, ATTACKER, "a");
            fail(engine, ATTACKER, "a");
            clock.advance(Duration.ofSeconds(11));
            fail(engine, ATTACKER, "a");
            assertTrue(taken.isEmpty());
            fail(engine, ATTACKER, "a");
            fail(engine, ATTACKER, "a");
            assertEquals(1, of(DecisionKind.BAN_ADDRESS).size());
        }
    }

    @Test
    void enumerationOfAccountNamesBans() {
        try (BanEngine engine = engine(config(List.of(new BanConfig.Window("fast", 100, Duration.ofSeconds(60))), 4,
                List.of(), Duration.ZERO))) {
            for (String account : List.of("100", "101", "102")) {
                fail(engine, ATTACKER, account);
                fail(engine, ATTACKER, account);
            }
            assertTrue(taken.isEmpty());
            fail(engine, ATTACKER, "admin");
            assertTrue(of(DecisionKind.BAN_ADDRESS).get(0).reason().startsWith("enumeration: 4 account names"));
        }
    }

    @Test
    void unansweredChallengesCountAnsweredOnesDoNot() throws Exception {
        try (BanEngine engine = engine(fastAndSlow())) {
            // a phone: challenge, then success, ten times
            for (int i = 0; i < 10; i++) {
                engine.handle(event(AuthOutcome.CHALLENGED, "ChallengeSent", PHONE, "1001"));
                engine.handle(event(AuthOutcome.SUCCEEDED, "SuccessfulAuth", PHONE, "1001"));
                clock.advance(Duration.ofSeconds(1));
            }
            // a scanner collecting 401s and never answering
            for (int i = 0; i < 5; i++) {
                engine.handle(event(AuthOutcome.CHALLENGED, "ChallengeSent", ATTACKER, "x" + i));
                clock.advance(Duration.ofSeconds(1));
            }
            clock.advance(Duration.ofSeconds(6));
            engine.handle(event(AuthOutcome.CHALLENGED, "ChallengeSent", ATTACKER, "x9")); // converts the expired five
            List<Decision> bans = of(DecisionKind.BAN_ADDRESS);
            assertEquals(1, bans.size(), "scanner banned, phone not: " + taken);
            assertEquals("203.0.113.66", bans.get(0).target().text());
            assertEquals(Map.of(BanEngine.UNANSWERED_CHALLENGE, 5), bans.get(0).evidence().get("counts"));
        }
    }

    @Test
    void unansweredChallengesKeepTheAccountNameSoEnumerationCountsThem() throws Exception {
        try (BanEngine engine = engine(config(List.of(new BanConfig.Window("fast", 100, Duration.ofSeconds(60))), 4,
                List.of(), Duration.ZERO))) {
            // FreeSWITCH's "SIP auth challenge (REGISTER) ... for [admin@...]" lines name the account asked for
            for (String account : List.of("admin", "100", "1000", "test")) {
                engine.handle(event(AuthOutcome.CHALLENGED, "auth_challenge", ATTACKER, account));
                clock.advance(Duration.ofSeconds(1));
            }
            clock.advance(Duration.ofSeconds(6));
            engine.handle(event(AuthOutcome.CHALLENGED, "auth_challenge", ATTACKER, "guest"));
            List<Decision> bans = of(DecisionKind.BAN_ADDRESS);
            assertEquals(1, bans.size(), "" + taken);
            assertTrue(bans.get(0).reason().startsWith("enumeration: 4 account names"), bans.get(0).reason());
            assertEquals(List.of("admin", "100", "1000", "test"), bans.get(0).evidence().get("accounts"));
        }
    }

    @Test
    void recentlyAuthenticatedAddressGetsAnAlertNotABan() {
        try (BanEngine engine = engine(fastAndSlow())) {
            engine.handle(event(AuthOutcome.SUCCEEDED, "SuccessfulAuth", PHONE, "1001"));
            clock.advance(Duration.ofHours(2));
            for (int i = 0; i < 5; i++) {
                fail(engine, PHONE, "1002");
            }
            assertTrue(of(DecisionKind.BAN_ADDRESS).isEmpty());
            List<Decision> alerts = of(DecisionKind.ALERT);
            assertEquals(1, alerts.size());
            assertTrue(alerts.get(0).evidence().get("not-banned-because").toString().startsWith("authenticated successfully"));
        }
    }

    @Test
    void trustSurvivesARestartAndExpires() {
        try (BanEngine engine = engine(fastAndSlow())) {
            engine.handle(event(AuthOutcome.SUCCEEDED, "SuccessfulAuth", PHONE, "1001"));
        }
        clock.advance(Duration.ofDays(1));
        try (BanEngine engine = engine(fastAndSlow())) {
            for (int i = 0; i < 5; i++) {
                fail(engine, PHONE, "1001");
            }
        }
        assertEquals(1, of(DecisionKind.ALERT).size(), "trusted after restart");
        clock.advance(Duration.ofDays(7));
        try (BanEngine engine = engine(fastAndSlow())) {
            for (int i = 0; i < 5; i++) {
                fail(engine, PHONE, "1001");
            }
        }
        assertEquals(1, of(DecisionKind.BAN_ADDRESS).size(), "trust expired after 7 days");
    }

    @Test
    void allowlistAndLoopbackAreNeverBanned() {
        BanConfig config = config(List.of(new BanConfig.Window("fast", 2, Duration.ofSeconds(60))), 0,
                List.of(Cidr.parse("203.0.113.0/24"), Cidr.parse("2001:db8:1::/48")), Duration.ZERO);
        try (BanEngine engine = engine(config)) {
            for (String a : List.of("203.0.113.9", "2001:db8:1::5", "127.0.0.1", "::1")) {
                fail(engine, IpAddresses.parse(a), "x");
                fail(engine, IpAddresses.parse(a), "x");
            }
            assertTrue(of(DecisionKind.BAN_ADDRESS).isEmpty(), taken.toString());
            assertEquals(4, of(DecisionKind.ALERT).size());
        }
    }

    @Test
    void repeatOffendersBanLongerEachTime() {
        BanConfig config = new BanConfig(List.of(new BanConfig.Window("fast", 2, Duration.ofSeconds(60))), null,
                null, Duration.ofHours(1), 4, Duration.ofDays(2), 4, null, Duration.ZERO, null);
        try (BanEngine engine = engine(config)) {
            List<Duration> lengths = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                fail(engine, ATTACKER, "x");
                fail(engine, ATTACKER, "x");
                Decision d = of(DecisionKind.BAN_ADDRESS).get(round);
                lengths.add(d.expires() == null ? null : Duration.between(d.created(), d.expires()));
                if (d.expires() != null) {
                    clock.advance(Duration.between(d.created(), d.expires()).plusSeconds(1)); // the ban runs out
                }
            }
            assertEquals(Duration.ofHours(1), lengths.get(0));
            assertEquals(Duration.ofHours(4), lengths.get(1));
            assertEquals(Duration.ofHours(16), lengths.get(2));
            assertEquals(Duration.ofDays(2), lengths.get(3), "capped at bantime-max");
            assertNull(lengths.get(4), "permanent after 4 earlier bans");
        }
    }

    @Test
    void ipv6AddressesAreTrackedAndBanned() {
        try (BanEngine engine = engine(fastAndSlow())) {
            for (int i = 0; i < 5; i++) {
                fail(engine, IpAddresses.parse("2001:db8::66"), "1001");
            }
            assertEquals("2001:db8::66", of(DecisionKind.BAN_ADDRESS).get(0).target().text());
        }
    }

    @Test
    void memoryStaysBoundedUnderAMillionAddresses() throws Exception {
        try (BanEngine engine = engine(fastAndSlow())) {
            byte[] b = new byte[4];
            for (int i = 0; i < 1_000_000; i++) {
                b[0] = 10;
                b[1] = (byte) (i >> 16);
                b[2] = (byte) (i >> 8);
                b[3] = (byte) i;
                fail(engine, InetAddress.getByAddress(b), "x");
            }
            assertEquals(1000, engine.trackedAddresses(), "capped at max-tracked-addresses");
        }
    }
}
