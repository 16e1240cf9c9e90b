package org.tollguard.asterisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.AuthOutcome;

class SecurityEventMapperTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final String PBX = "IPV4/UDP/198.51.100.1/5060";

    private static AmiFrame event(String type, String remote, String local, String account) {
        return AmiFrame.security(type, remote, local, "PJSIP", account, "a8c3-77@198.51.100.1");
    }

    private static AuthEvent mapped(AmiFrame e) {
        Optional<AuthEvent> out = SecurityEventMapper.map(e, NOW);
        assertTrue(out.isPresent(), "rejected " + e.remoteAddress());
        return out.get();
    }

    private static boolean rejected(String remote, String local) {
        return SecurityEventMapper.map(event("InvalidPassword", remote, local, "1001"), NOW).isEmpty();
    }

    @Test
    void mapsEveryField() {
        AuthEvent a = mapped(event("ChallengeResponseFailed",
                "IPV4/UDP/203.0.113.7/5062", PBX, "1001"));
        assertEquals(AuthOutcome.FAILED, a.outcome());
        assertEquals("ChallengeResponseFailed", a.type());
        assertEquals(IpAddresses.parse("203.0.113.7"), a.address());
        assertEquals(5062, a.port());
        assertEquals("UDP", a.transport());
        assertEquals("PJSIP", a.service());
        assertEquals("1001", a.account());
        assertEquals("a8c3-77@198.51.100.1", a.sessionId());
        assertEquals("", a.userAgent());
        assertEquals(IpAddresses.parse("198.51.100.1"), a.pbxAddress());
        assertEquals(NOW, a.at());
    }

    @Test
    void mapsIpv6AndMappedSources() {
        AuthEvent v6 = mapped(event("InvalidAccountID",
                "IPV6/TCP/[2001:db8::66]/5061", "IPV6/TCP/[2001:db8::1]/5061", "bob"));
        assertEquals(IpAddresses.parse("2001:db8::66"), v6.address());
        assertEquals("TCP", v6.transport());
        assertEquals(IpAddresses.parse("2001:db8::1"), v6.pbxAddress());

        AuthEvent mapped = mapped(event("InvalidAccountID",
                "IPV6/UDP/::ffff:203.0.113.7/5060", "IPV6/UDP/::/5060", "bob"));
        assertEquals(IpAddresses.parse("203.0.113.7"), mapped.address());
    }

    @Test
    void outcomeAndTypeOfAllFifteenEvents() {
        assertEquals(15, SecurityEventMapper.OUTCOMES.size());
        String[][] expected = {
                {"ChallengeResponseFailed", "FAILED", "wrong-password"}, {"InvalidPassword", "FAILED", "wrong-password"},
                {"InvalidAccountID", "FAILED", "unknown-account"}, {"FailedACL", "FAILED", "acl-refused"},
                {"RequestNotAllowed", "FAILED", "request-refused"}, {"AuthMethodNotAllowed", "FAILED", "request-refused"},
                {"RequestBadFormat", "FAILED", "bad-request"}, {"UnexpectedAddress", "FAILED", "unexpected-address"},
                {"InvalidTransport", "FAILED", "invalid-transport"}, {"ChallengeSent", "CHALLENGED", "challenge"},
                {"SuccessfulAuth", "SUCCEEDED", "authenticated"}, {"RequestNotSupported", "NOTICE", "notice"},
                {"SessionLimit", "NOTICE", "notice"}, {"MemoryLimit", "NOTICE", "notice"},
                {"LoadAverageLimit", "NOTICE", "notice"},
        };
        for (int i = 0; i < expected.length; i++) {
            AuthEvent a = mapped(event(expected[i][0], "IPV4/UDP/203.0.113.7/5060", PBX, "1001"));
            assertEquals(expected[i][0], a.type());
            assertEquals(AuthOutcome.valueOf(expected[i][1]), a.outcome(), expected[i][0]);
            assertEquals(expected[i][2], a.kind().id(), expected[i][0]);
        }
    }

    @Test
    void rejectsMissingOrGarbageRemoteAddress() {
        assertTrue(rejected(null, PBX));
        assertTrue(rejected("", PBX));
        assertTrue(rejected("garbage", PBX));
        assertTrue(rejected("IPV4/UDP/203.0.113.7", PBX));
        assertTrue(rejected("IPV4/UDP/attacker.example/5060", PBX));
        assertTrue(rejected("IPV4/UDP/203.0.113.7/port", PBX));
    }

    @Test
    void otherEventsAreNotSecurityEvents() {
        assertTrue(SecurityEventMapper.map(event("Newchannel", "IPV4/UDP/203.0.113.7/5060", PBX, "1001"), NOW).isEmpty());
        assertTrue(SecurityEventMapper.map(event(null, "IPV4/UDP/203.0.113.7/5060", PBX, "1001"), NOW).isEmpty());
    }

    @Test
    void rejectsUnspecifiedSource() {
        assertTrue(rejected("IPV4/UDP/0.0.0.0/5060", PBX));
        assertTrue(rejected("IPV6/UDP/::/5060", PBX));
        assertTrue(rejected("IPV6/UDP/::ffff:0.0.0.0/5060", PBX));
    }

    @Test
    void rejectsThePbxItself() {
        assertTrue(rejected("IPV4/UDP/198.51.100.1/40000", PBX));
        assertTrue(rejected("IPV6/UDP/2001:db8::1/40000", "IPV6/UDP/[2001:db8::1]/5060"));
        assertTrue(rejected("IPV6/UDP/::ffff:198.51.100.1/40000", PBX));
    }

    @Test
    void unreadableOrMissingLocalAddressDoesNotLoseTheEvent() {
        AuthEvent a = mapped(event("InvalidPassword", "IPV4/UDP/203.0.113.7/5060",
                "nonsense", "1001"));
        assertNull(a.pbxAddress());
        AuthEvent b = mapped(event("InvalidPassword", "IPV4/UDP/203.0.113.7/5060",
                null, "1001"));
        assertNull(b.pbxAddress());
    }

    @Test
    void missingAccountServiceAndSessionBecomeEmpty() {
        AuthEvent a = mapped(AmiFrame.security("FailedACL", "IPV4/UDP/203.0.113.7/5060", null, null, null, null));
        assertEquals("", a.account());
        assertEquals("", a.service());
        assertEquals("", a.sessionId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1001\r\nX-Injected: 1", "1001\u0000", "\u001b[31mred", "caf\u00e9", "\u202e1001"})
    void accountNamesAreMadePrintable(String raw) {
        String account = mapped(event("InvalidAccountID", "IPV4/UDP/203.0.113.7/5060",
                PBX, raw)).account();
        assertTrue(account.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), account);
        assertEquals(raw.length(), account.length());
    }

    @Test
    void controlCharactersBecomeQuestionMarks() {
        assertEquals("1001??X-Injected: 1", SecurityEventMapper.clean("1001\r\nX-Injected: 1"));
        assertEquals("?[31mred", SecurityEventMapper.clean("\u001b[31mred"));
        assertEquals("caf?", SecurityEventMapper.clean("caf\u00e9"));
        assertEquals("", SecurityEventMapper.clean(null));
        assertEquals("a b", SecurityEventMapper.clean("a b"));
    }

    @Test
    void veryLongAccountNamesAreCut() {
        String longName = "x".repeat(10_000);
        AuthEvent a = mapped(event("InvalidAccountID", "IPV4/UDP/203.0.113.7/5060",
                PBX, longName));
        assertEquals("x".repeat(80), a.account());
        assertEquals("y".repeat(80), SecurityEventMapper.clean("y".repeat(81)));
        assertEquals("z".repeat(80), SecurityEventMapper.clean("z".repeat(80)));
    }
}
