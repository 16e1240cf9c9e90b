package org.tollguard.testbed;

import org.tollguard.support.Wait;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollguard.asterisk.AmiAdapter;
import org.tollguard.config.AsteriskConfig;
import org.tollguard.yamlconfig.Secret;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.PbxEvent;

/** The testbed is a real Asterisk: AMI login works and real security events arrive for real SIP traffic. */
class RealAsteriskIT {
    @BeforeAll
    static void up() {
        Testbed.up();
    }

    @Test
    void realSecurityEventsArriveOverAmi() throws Exception {
        List<PbxEvent> events = new CopyOnWriteArrayList<>();
        AsteriskConfig config = new AsteriskConfig(true, Testbed.AMI_HOST, 5038, "tollguard",
                new Secret(Testbed.AMI_SECRET), Duration.ofSeconds(5), Duration.ofSeconds(5));
        try (AmiAdapter ami = new AmiAdapter(config, Clock.systemUTC(), events::add)) {
            ami.start();
            Wait.until(Duration.ofSeconds(20), ami::isConnected, "AMI login");

            assertTrue(Testbed.register("198.51.100.29", Testbed.PBX_V4, "1003", "pw-1003-secret"), "phone registers");
            Testbed.wrongPassword("198.51.100.29", Testbed.PBX_V4, "1003", 1, false);

            Wait.until(Duration.ofSeconds(10), () -> has(events, "SuccessfulAuth", "PJSIP")
                            && has(events, "ChallengeResponseFailed", "PJSIP"),
                    () -> "SuccessfulAuth and ChallengeResponseFailed, got " + events);
            AuthEvent success = find(events, "SuccessfulAuth", "PJSIP");
            assertTrue(success.address().getHostAddress().equals("198.51.100.29"), success.toString());
            assertTrue(success.account().equals("1003"), success.toString());
            assertTrue(success.service().equals("PJSIP"), success.toString());
            assertTrue(success.transport().equals("UDP"), success.toString());
            assertTrue(has(events, "ChallengeSent", "PJSIP"), "challenges are reported too: " + events);
            AuthEvent failure = find(events, "ChallengeResponseFailed", "PJSIP");
            assertTrue(failure.address().getHostAddress().equals("198.51.100.29"), failure.toString());
            assertTrue(failure.pbxAddress().getHostAddress().equals(Testbed.PBX_V4), failure.toString());
        }
    }

    private static boolean has(List<PbxEvent> events, String type, String service) {
        return events.stream().anyMatch(e -> e instanceof AuthEvent a && a.type().equals(type) && a.service().equals(service));
    }

    private static AuthEvent find(List<PbxEvent> events, String type, String service) {
        return events.stream().filter(e -> e instanceof AuthEvent a && a.type().equals(type) && a.service().equals(service))
                .map(AuthEvent.class::cast).findFirst().orElseThrow();
    }
}
