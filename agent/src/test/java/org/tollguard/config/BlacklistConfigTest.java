package org.tollguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollguard.yamlconfig.ConfigException;

class BlacklistConfigTest {

    @Test
    void defaultsImportNothingAndReportNothing() {
        BlacklistConfig config = TollguardConfig.defaults().blacklist();
        assertEquals(List.of(), config.sources());
        assertEquals(16, config.sanity().widestIpv4());
        assertEquals(32, config.sanity().widestIpv6());
        assertFalse(config.sanity().allowPrivate());
        assertEquals(0.5, config.sanity().maxShrink());
        assertFalse(config.reporting().enabled());
        assertTrue(config.reporting().includeAccountNames());
        assertEquals(100, config.reporting().batchSize());
    }

    @Test
    void readsSourcesWithDefaults() throws ConfigException {
        BlacklistConfig config = ConfigLoader.parse("t.yml", """
                blacklist:
                  sources:
                    - name: hub
                      type: hub
                      url: https://hub.example.org/api
                      token: secret-token
                    - name: voipbl
                      type: plain
                      url: http://lists.example.org/voipbl.txt
                      schedule: "0 15 * * * ?"
                      timeout: 30s
                      jitter: 0s
                      enabled: false
                  sanity:
                    widest-ipv4: 24
                    max-shrink: 0.25
                  reporting:
                    url: https://hub.example.org/api
                    include-account-names: false
                """).blacklist();
        BlacklistConfig.Source hub = config.sources().get(0);
        assertEquals("hub", hub.name());
        assertEquals(BlacklistConfig.SourceType.HUB, hub.type());
        assertEquals("secret-token", hub.token().value());
        assertEquals(BlacklistConfig.DEFAULT_SCHEDULE, hub.schedule());
        assertEquals(Duration.ofMinutes(2), hub.timeout());
        assertEquals(Duration.ofMinutes(10), hub.jitter());
        assertTrue(hub.enabled());
        BlacklistConfig.Source plain = config.sources().get(1);
        assertEquals("0 15 * * * ?", plain.schedule());
        assertEquals(Duration.ofSeconds(30), plain.timeout());
        assertEquals(Duration.ZERO, plain.jitter());
        assertFalse(plain.enabled());
        assertEquals(24, config.sanity().widestIpv4());
        assertEquals(0.25, config.sanity().maxShrink());
        assertTrue(config.reporting().enabled(), "a hub url turns reporting on");
        assertFalse(config.reporting().includeAccountNames());
    }

    @Test
    void rejectsBadValuesWithLineAndKey() {
        String source = "blacklist:\n  sources:\n    - name: %s\n      type: %s\n      url: %s\n";
        assertMessage(source.formatted("Hub_List", "hub", "https://h.example"), "is not a list name");
        assertMessage(source.formatted("a-name-that-is-too-long", "hub", "https://h.example"), "is not a list name");
        assertMessage(source.formatted("hub", "rss", "https://h.example"), "'rss' is not one of");
        assertMessage(source.formatted("hub", "hub", "ftp://h.example/list"), "is not an http:// or https:// URL");
        assertMessage(source.formatted("apiban", "apiban", "https://apiban.example/api"), "needs its API key as token");
        assertMessage(source.formatted("hub", "hub", "https://h.example") + "      schedule: every 6 hours\n",
                "is not a Quartz cron expression");
        assertMessage(source.formatted("hub", "hub", "https://h.example") + "      scedule: x\n", "unknown key 'scedule'");
        assertMessage(source.formatted("a", "plain", "https://h.example") + source.substring(source.indexOf("    -"))
                .formatted("a", "plain", "https://h.example"), "name 'a' is used by another source");
        assertMessage("blacklist:\n  sanity:\n    widest-ipv4: 0\n", "widest-ipv4");
        assertMessage("blacklist:\n  sanity:\n    max-shrink: 1.5\n", "max-shrink");
        assertMessage("blacklist:\n  reporting:\n    enabled: true\n", "reporting is enabled but has no hub url");
        assertMessage("blacklist:\n  reporting:\n    url: https://h.example\n    batch-size: 0\n", "batch-size");
    }

    @Test
    void reportingCanBeTurnedOffWithAUrl() throws ConfigException {
        BlacklistConfig.Reporting r = ConfigLoader.parse("t.yml",
                "blacklist:\n  reporting:\n    enabled: false\n    url: https://h.example\n").blacklist().reporting();
        assertFalse(r.enabled());
    }

    @Test
    void secretsAreMaskedWhenRendered() throws ConfigException {
        TollguardConfig config = ConfigLoader.parse("t.yml", """
                blacklist:
                  sources:
                    - {name: hub, type: hub, url: "https://h.example", token: very-secret}
                  reporting: {url: "https://h.example", token: also-secret}
                """);
        String rendered = ConfigLoader.render(config);
        assertFalse(rendered.contains("very-secret"), rendered);
        assertFalse(rendered.contains("also-secret"), rendered);
    }

    @Test
    void theReferenceConfigParsesToTheDefaults() throws Exception {
        Path reference = Path.of("..", "installer", "tollguard.yml");
        TollguardConfig config = ConfigLoader.parse(reference.toString(), Files.readString(reference));
        assertEquals(BlacklistConfig.defaults(), config.blacklist());
    }

    private static void assertMessage(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("t.yml", yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
