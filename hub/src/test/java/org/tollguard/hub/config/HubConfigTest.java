package org.tollguard.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tollguard.yamlconfig.ConfigException;

class HubConfigTest {
    @Test
    void anEmptyFileGivesTheDocumentedDefaults() throws ConfigException {
        HubConfig config = HubConfigLoader.parse("hub.yml", "# nothing\n");
        assertEquals("community", config.publication().list());
        assertEquals(Duration.ofSeconds(5), config.publication().interval());
        assertEquals(8080, config.http().port());
        assertEquals(3, config.autoApprove().sites());
        assertEquals(Duration.ofDays(90), config.intake().retention());
    }

    @Test
    void readsTheFile() throws ConfigException {
        HubConfig config = HubConfigLoader.parse("hub.yml", """
                database:
                  url: jdbc:postgresql://db.example.net:5432/hub
                  user: hub
                  password: s3cret
                http:
                  address: 0.0.0.0
                  port: 8443
                  tls-certificate: /etc/tollguard-hub/cert.pem
                  tls-key: /etc/tollguard-hub/key.pem
                publication:
                  interval: 2s
                  head-expiry: 12h
                auto-approve:
                  sites: 5
                  window: 30m
                """);
        assertTrue(config.http().tls());
        assertEquals(Duration.ofHours(3), config.publication().headRefresh());
        assertEquals("rule:auto-approve(5 sites within 30m)", config.autoApprove().ruleName());
        String rendered = HubConfigLoader.render(config);
        assertTrue(rendered.contains("********") && !rendered.contains("s3cret"), rendered);
    }

    @Test
    void errorsNameFileLineAndKey() {
        assertEquals("hub.yml:4: publication.intreval: unknown key 'intreval' (known keys: directory, head-expiry, "
                        + "interval, keep, list, require-auth, snapshot-every)",
                assertThrows(ConfigException.class, () -> HubConfigLoader.parse("hub.yml",
                        "http:\n  port: 8080\npublication:\n  intreval: 5s\n")).getMessage());
        ConfigException tls = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("hub.yml",
                "http:\n  tls-certificate: /etc/cert.pem\n"));
        assertTrue(tls.getMessage().startsWith("hub.yml:"), tls.getMessage());
        assertTrue(tls.getMessage().contains("tls-key: HTTPS needs both"), tls.getMessage());
        ConfigException keep = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("hub.yml",
                "publication:\n  snapshot-every: 7d\n  keep: 1d\n"));
        assertTrue(keep.getMessage().contains("hub.yml:3: publication.keep: must be longer than snapshot-every"),
                keep.getMessage());
        ConfigException url = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("hub.yml",
                "database:\n  url: mysql://x\n"));
        assertTrue(url.getMessage().contains("hub.yml:2: database.url: must start with jdbc:postgresql://"),
                url.getMessage());
    }
}
