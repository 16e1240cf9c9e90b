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

    @Test
    void theReferenceFileIsValid() throws ConfigException {
        HubConfig config = HubConfigLoader.load(java.nio.file.Path.of("../installer/hub/hub.yml"));
        assertEquals(HubConfig.defaults().abuseReports(), config.abuseReports());
    }

    @Test
    void abuseReportsAreOffByDefaultAndReadStrictly() throws ConfigException {
        assertEquals(false, HubConfigLoader.parse("hub.yml", "").abuseReports().enabled());
        HubConfig config = HubConfigLoader.parse("hub.yml", """
                abuse-reports:
                  enabled: true
                  rdap: https://rdap.example.net/
                  cache-for: 3d
                  org: Example VoIP community
                  domain: community.example
                  smtp:
                    host: smtp.example.net
                    username: reports
                    password: s3cret
                    from: abuse-reports@community.example
                """);
        AbuseReportsConfig abuse = config.abuseReports();
        assertEquals("https://rdap.example.net", abuse.rdap());
        assertEquals(Duration.ofDays(3), abuse.cacheFor());
        assertEquals(587, abuse.smtp().port());
        assertEquals(AbuseReportsConfig.Smtp.Security.STARTTLS, abuse.smtp().security());
        String rendered = HubConfigLoader.render(config);
        assertTrue(rendered.contains("abuse-reports:") && !rendered.contains("s3cret"), rendered);
    }

    @Test
    void abuseReportErrorsNameFileLineAndKey() {
        assertEquals("hub.yml:3: abuse-reports.smtp.hots: unknown key 'hots' (known keys: from, host, password, port, "
                        + "reply-to, security, username)",
                assertThrows(ConfigException.class, () -> HubConfigLoader.parse("hub.yml",
                        "abuse-reports:\n  smtp:\n    hots: smtp.example.net\n")).getMessage());
        ConfigException rdap = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("hub.yml",
                "abuse-reports:\n  enabled: false\n  rdap: http://rdap.example.net\n"));
        assertTrue(rdap.getMessage().contains("hub.yml:3: abuse-reports.rdap: use https"), rdap.getMessage());
        ConfigException smtp = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("hub.yml",
                "abuse-reports:\n  enabled: true\n  org: X\n  domain: x.example\n"));
        assertTrue(smtp.getMessage().startsWith("hub.yml:") && smtp.getMessage().contains("smtp: is required when enabled"),
                smtp.getMessage());
        ConfigException from = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("hub.yml",
                "abuse-reports:\n  smtp:\n    host: smtp.example.net\n    from: nobody\n"));
        assertTrue(from.getMessage().contains("hub.yml:4: abuse-reports.smtp.from: 'nobody' is not an e-mail address"),
                from.getMessage());
        ConfigException none = assertThrows(ConfigException.class, () -> HubConfigLoader.parse("hub.yml",
                "abuse-reports:\n  smtp:\n    host: smtp.example.net\n    security: none\n    from: a@b.example\n"));
        assertTrue(none.getMessage().contains("abuse-reports.smtp.security: 'none' only for a relay on this host"),
                none.getMessage());
    }
}
