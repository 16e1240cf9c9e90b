package org.tollguard.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.MetricsConfig;
import org.tollguard.config.TollguardConfig;
import org.tollguard.yamlconfig.ConfigException;

class AlertsConfigTest {
    @Test
    void defaultsSendNothingAndServeMetricsOnLoopback() throws ConfigException {
        TollguardConfig config = ConfigLoader.parse("t.yml", "log:\n  level: info\n");
        AlertsConfig alerts = config.alerts();
        assertFalse(alerts.anyChannel());
        assertEquals(Severity.WARNING, alerts.minSeverity());
        assertEquals(Duration.ofMinutes(1), alerts.digestInterval());
        assertEquals(12, alerts.maxPerHour());
        assertEquals(20, alerts.details());
        assertEquals(Duration.ofSeconds(30), alerts.pbxDownAfter());
        assertEquals(6, alerts.retry().attempts());
        assertEquals(new MetricsConfig(true, "127.0.0.1", 9464), config.metrics());
    }

    @Test
    void theReferenceFileStatesTheDefaults() throws ConfigException {
        TollguardConfig reference = ConfigLoader.load(Path.of("../installer/tollguard.yml"));
        assertEquals(AlertsConfig.defaults(), reference.alerts());
        assertEquals(MetricsConfig.defaults(), reference.metrics());
    }

    @Test
    void readsChannelsWithTheirOverrides() throws ConfigException {
        AlertsConfig a = ConfigLoader.parse("t.yml", """
                alerts:
                  name: pbx1
                  min-severity: notice
                  email:
                    host: smtp.example.com
                    username: tg@example.com
                    password: secret
                    from: tg@example.com
                    to: [noc@example.com]
                    min-severity: critical
                  webhooks:
                    - url: https://hooks.slack.com/services/T000/B000/XXXX
                      format: slack
                      digest-interval: 5m
                    - name: tickets
                      url: http://tickets.example.com/hook
                      token: t0ken
                """).alerts();
        assertEquals(Severity.NOTICE, a.minSeverity());
        assertEquals(587, a.email().port());
        assertEquals(AlertsConfig.Email.Security.STARTTLS, a.email().security());
        assertEquals(Severity.CRITICAL, a.email().minSeverity());
        assertEquals("[tollguard]", a.email().subjectPrefix());
        assertEquals("hooks.slack.com", a.webhooks().get(0).name());
        assertEquals(AlertsConfig.Webhook.Format.SLACK, a.webhooks().get(0).format());
        assertEquals(Duration.ofMinutes(5), a.webhooks().get(0).digestInterval());
        assertNull(a.webhooks().get(0).minSeverity(), "inherits");
        assertEquals(AlertsConfig.Webhook.Format.JSON, a.webhooks().get(1).format());
        assertEquals("t0ken", a.webhooks().get(1).token().value());
    }

    @Test
    void printsNeitherPasswordsNorWebhookSecrets() throws ConfigException {
        TollguardConfig config = ConfigLoader.parse("t.yml", """
                alerts:
                  email: {host: smtp.example.com, username: u, password: hunter2, from: a@example.com, to: [b@example.com]}
                  webhooks:
                    - url: https://hooks.slack.com/services/T000/B000/XXXXSECRET
                      token: tokensecret
                """);
        String yaml = ConfigLoader.render(config);
        assertFalse(yaml.contains("hunter2") || yaml.contains("XXXXSECRET") || yaml.contains("tokensecret"), yaml);
        assertTrue(yaml.contains("url: https://hooks.slack.com/services/********"), yaml);
        assertTrue(yaml.contains("password: '********'") || yaml.contains("password: \"********\""), yaml);
    }

    @Test
    void tellsWhatIsWrong() {
        assertMessage("alerts:\n  min-severity: loud\n", "t.yml:2: alerts.min-severity: 'loud' is not a severity (one of: info, notice, warning, critical)");
        assertMessage("alerts:\n  digest-interval: 0s\n", "t.yml:2: alerts.digest-interval: must be longer than 0s");
        assertMessage("alerts:\n  max-per-hour: 0\n", "t.yml:2: alerts.max-per-hour: must be at least 1, not 0");
        assertMessage("alerts:\n  email:\n    from: a@b.c\n    to: [x@y.z]\n", "alerts.email: host: is required");
        assertMessage("alerts:\n  email:\n    host: smtp\n    from: nobody\n    to: [x@y.z]\n", "t.yml:4: alerts.email.from: 'nobody' is not an e-mail address");
        assertMessage("alerts:\n  email:\n    host: smtp\n    from: a@b.c\n", "alerts.email: to: at least one recipient is required");
        assertMessage("alerts:\n  email:\n    host: smtp\n    from: a@b.c\n    to: [x@y.z]\n    username: u\n",
                "alerts.email: password: is required when username is set");
        assertMessage("alerts:\n  email:\n    host: smtp.example.com\n    security: none\n    username: u\n    password: p\n"
                + "    from: a@b.c\n    to: [x@y.z]\n", "t.yml:4: alerts.email.security: 'none' would send the password to smtp.example.com unencrypted");
        assertMessage("alerts:\n  email:\n    host: smtp\n    security: ssl\n    from: a@b.c\n    to: [x@y.z]\n",
                "'ssl' is not one of: starttls, tls, none");
        assertMessage("alerts:\n  webhooks:\n    - format: slack\n", "alerts.webhooks[0]: url: is required");
        assertMessage("alerts:\n  webhooks:\n    - url: ftp://example.com/x\n", "t.yml:3: alerts.webhooks[0].url: 'ftp://example.com/x' is not an http:// or https:// URL");
        assertMessage("alerts:\n  webhooks:\n    - url: https://a.example.com/x\n    - url: https://a.example.com/y\n",
                "two webhooks are named 'a.example.com'");
        assertMessage("alerts:\n  webhooks:\n    - url: https://a.example.com/x\n      formt: slack\n", "unknown key 'formt'");
        assertMessage("alerts:\n  webhooks:\n    - url: https://a.example.com/x\n      digest-interval: 0s\n",
                "t.yml:4: alerts.webhooks[0].digest-interval: must be longer than 0s");
        assertMessage("alerts:\n  webhooks:\n    -\n", "alerts.webhooks[0]: is empty");
        assertMessage("alerts:\n  retry:\n    backoff: 1m\n    backoff-max: 10s\n", "t.yml:4: alerts.retry.backoff-max: 10s is shorter than backoff (1m)");
        assertMessage("metrics:\n  listen: 0.0.0.0\n", "t.yml:2: metrics.listen: must be a loopback address (127.0.0.1 or ::1), not 0.0.0.0");
        assertMessage("metrics:\n  port: 70000\n", "t.yml:2: metrics.port: must be a port between 1 and 65535, not 70000");
    }

    @Test
    void webhookUrlsAreMaskedAfterTheirFirstSegment() {
        assertEquals("https://hooks.slack.com/services/********", MaskedUrl.mask("https://hooks.slack.com/services/T0/B0/X"));
        assertEquals("http://127.0.0.1:8080/hook", MaskedUrl.mask("http://127.0.0.1:8080/hook"));
        assertEquals("https://example.com/hook********", MaskedUrl.mask("https://user:pw@example.com/hook?key=1"));
    }

    private static void assertMessage(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("t.yml", yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
