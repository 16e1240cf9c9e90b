package org.tollguard.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.config.ConfigLoader;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.support.SmtpServer;
import org.tollguard.yamlconfig.ConfigException;

/** E-mail alerts through Angus Mail to a real SMTP server in the test: STARTTLS, login, certificate checks. */
class EmailChannelTest {
    @TempDir
    static Path dir;
    static SmtpServer.Tls tls;
    SmtpServer server;
    Alerts alerts;

    @BeforeAll
    static void certificate() throws Exception {
        tls = SmtpServer.Tls.selfSigned(dir);
    }

    @AfterEach
    void close() throws Exception {
        if (alerts != null) {
            alerts.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private AlertsConfig config(String security, int port, String extra) throws ConfigException {
        return ConfigLoader.parse("test", """
                alerts:
                  name: pbx1
                  digest-interval: 200ms
                  retry: {attempts: 2, backoff: 100ms, backoff-max: 100ms}
                  email:
                    host: 127.0.0.1
                    port: %d
                    security: %s
                    from: tollguard@example.com
                    to: [noc@example.com, oncall@example.com]
                    timeout: 5s
                %s""".formatted(port, security, extra)).alerts();
    }

    private void bans(int n) {
        for (int i = 0; i < n; i++) {
            alerts.listener().onDecision(Decision.of(DecisionKind.BAN_ADDRESS, Target.Address.parse("203.0.113." + (i + 1)),
                    "fast: 5 failures within 1m", Map.of("rule", "fast"), Origin.LOCAL, Instant.now(), Duration.ofHours(1)));
        }
    }

    @Test
    void aDigestGoesOutOverStartTlsWithLogin() throws Exception {
        server = new SmtpServer(tls.server());
        AlertsConfig config = config("starttls", server.port(), """
                    username: tollguard@example.com
                    password: "pa55 word"
                """);
        alerts = Alerts.start(config, Clock.systemUTC(), List.of(new EmailChannel(config.email(), tls.clientTrustingIt())));
        bans(3);
        List<SmtpServer.Mail> mails = server.await(1, Duration.ofSeconds(10));
        assertEquals(1, mails.size());
        SmtpServer.Mail mail = mails.get(0);
        assertTrue(mail.tls(), "the message went over TLS");
        assertTrue(mail.tlsProtocol().startsWith("TLSv1."), mail.tlsProtocol());
        assertEquals("tollguard@example.com", mail.user());
        assertEquals("pa55 word", mail.password());
        assertEquals("tollguard@example.com", mail.from());
        assertEquals(List.of("noc@example.com", "oncall@example.com"), mail.to());
        assertTrue(mail.data().contains("Subject: [tollguard] pbx1: WARNING 3 ban-address\n"), mail.data());
        assertTrue(mail.data().contains("X-Tollguard-Severity: warning"), mail.data());
        assertTrue(mail.data().contains("tollguard on pbx1: 3 alerts"), mail.data());
        assertTrue(mail.data().contains("  ban-address      3"), mail.data());
        assertTrue(mail.data().contains("203.0.113.1 banned for 1h: fast: 5 failures within 1m"), mail.data());

        List<String> commands = server.commands();
        int starttls = commands.indexOf("STARTTLS");
        int auth = indexOfPrefix(commands, "AUTH");
        assertTrue(starttls >= 0 && auth > starttls, "the login came only after STARTTLS: " + commands);
        long end = System.nanoTime() + 5_000_000_000L; // the client counts it once the server said 250 and bye
        while (alerts.channels().get(0).messagesSent() < 1 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(1, alerts.channels().get(0).messagesSent());
    }

    @Test
    void aServerWithoutStartTlsGetsNeitherTheMailNorThePassword() throws Exception {
        server = new SmtpServer(null);
        AlertsConfig config = config("starttls", server.port(), """
                    username: tollguard@example.com
                    password: secret
                """);
        alerts = Alerts.start(config, Clock.systemUTC(), List.of(new EmailChannel(config.email(), tls.clientTrustingIt())));
        bans(1);
        waitForFailures(2);
        assertEquals(List.of(), server.mails());
        assertEquals(-1, indexOfPrefix(server.commands(), "AUTH"), "no credentials in the clear: " + server.commands());
        assertEquals(-1, indexOfPrefix(server.commands(), "MAIL"));
        ChannelStatus status = alerts.channels().get(0);
        assertEquals(0, status.messagesSent());
        assertTrue(status.lastError().contains("STARTTLS"), status.lastError());
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        server = new SmtpServer(tls.server());
        AlertsConfig config = config("starttls", server.port(), "");
        alerts = Alerts.start(config, Clock.systemUTC(), List.of(new EmailChannel(config.email()))); // the JDK's CAs
        bans(1);
        waitForFailures(2);
        assertEquals(List.of(), server.mails());
        assertFalse(server.commands().stream().anyMatch(c -> c.startsWith("MAIL")));
        String error = alerts.channels().get(0).lastError();
        assertTrue(error.contains("TLS") && error.contains("certification path"), error);
    }

    @Test
    void plainSmtpToALocalRelay() throws Exception {
        server = new SmtpServer(null);
        AlertsConfig config = config("none", server.port(), "");
        alerts = Alerts.start(config, Clock.systemUTC());
        bans(2);
        SmtpServer.Mail mail = server.await(1, Duration.ofSeconds(10)).get(0);
        assertFalse(mail.tls());
        assertTrue(mail.data().contains("2 ban-address"), mail.data());
    }

    private void waitForFailures(int n) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (alerts.channels().get(0).failedAttempts() < n && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(n, alerts.channels().get(0).failedAttempts());
    }

    private static int indexOfPrefix(List<String> commands, String prefix) {
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).toUpperCase().startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
