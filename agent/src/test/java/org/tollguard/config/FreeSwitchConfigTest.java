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
import org.tollguard.yamlconfig.Secret;

class FreeSwitchConfigTest {

    @Test
    void defaultsAreOffLoopbackAndWarning() {
        FreeSwitchConfig c = TollguardConfig.defaults().freeswitch();
        assertFalse(c.enabled());
        assertEquals("127.0.0.1", c.host());
        assertEquals(8021, c.port());
        assertTrue(c.password().isEmpty());
        assertEquals("WARNING", c.logLevel());
        assertEquals(Duration.ofSeconds(5), c.connectTimeout());
        assertEquals(Duration.ofSeconds(60), c.reconnectMax());
        assertTrue(c.preDial().enabled());
        assertEquals("127.0.0.1", c.preDial().listen());
        assertEquals(8462, c.preDial().port());
        assertEquals(Duration.ofSeconds(1), c.preDial().timeout());
        assertEquals(List.of("sofia/gateway/", "sofia/external/"), c.trunkLegPrefixes());
    }

    @Test
    void readsKebabCaseKeys() throws ConfigException {
        TollguardConfig config = ConfigLoader.parse("t.yml", """
                freeswitch:
                  enabled: true
                  host: ::1
                  port: 8022
                  password: s3cret
                  log-level: notice
                  connect-timeout: 2s
                  reconnect-max: 30s
                  trunk-leg-prefixes: [sofia/gateway/, sofia/carrier/]
                  pre-dial:
                    listen: ::1
                    port: 9000
                    timeout: 250ms
                """);
        FreeSwitchConfig c = config.freeswitch();
        assertEquals(new FreeSwitchConfig(true, "::1", 8022, new Secret("s3cret"), "NOTICE", Duration.ofSeconds(2),
                Duration.ofSeconds(30), new FreeSwitchConfig.PreDial(true, "::1", 9000, Duration.ofMillis(250)),
                List.of("sofia/gateway/", "sofia/carrier/")), c);
        assertEquals(List.of(), ConfigLoader.parse("t.yml", "freeswitch:\n  trunk-leg-prefixes: []\n").freeswitch()
                .trunkLegPrefixes(), "gateway legs only");
        assertEquals("DEBUG", ConfigLoader.parse("t.yml", "freeswitch:\n  log-level: 7\n").freeswitch().logLevel());
    }

    @Test
    void passwordIsNeverPrinted() throws ConfigException {
        TollguardConfig config = ConfigLoader.parse("t.yml", "freeswitch:\n  enabled: true\n  password: s3cret\n");
        String yaml = ConfigLoader.render(config);
        assertFalse(yaml.contains("s3cret"), yaml);
        assertTrue(yaml.contains("password: '********'") || yaml.contains("password: \"********\""), yaml);
    }

    @Test
    void rejectsBadValuesWithLineAndKey() {
        assertMessage("freeswitch:\n  enabled: true\n", "t.yml:1: freeswitch: password: set the Event Socket password");
        assertMessage("freeswitch:\n  log-level: ERR\n", "log-level: ERR would hide the Event Socket ACL refusals");
        assertMessage("freeswitch:\n  log-level: 2\n", "log-level: CRIT would hide");
        assertMessage("freeswitch:\n  log-level: loud\n", "log-level: 'loud' is not a FreeSWITCH log level");
        assertMessage("freeswitch:\n  port: 0\n", "freeswitch.port: must be a port between 1 and 65535, not 0");
        assertMessage("freeswitch:\n  reconnect-max: 0s\n", "freeswitch.reconnect-max: must be longer than 0s");
        assertMessage("freeswitch:\n  pre-dial:\n    listen: localhost\n", "listen: 'localhost' is not an IP address");
        assertMessage("freeswitch:\n  pre-dial:\n    timeout: 1m\n", "timeout: 1m is too long");
        assertMessage("freeswitch:\n  pre-dial:\n    port: 70000\n", "freeswitch.pre-dial.port: must be a port between 1 and 65535");
        assertMessage("freeswitch:\n  passwd: x\n", "unknown key 'passwd'");
        assertMessage("freeswitch:\n  trunk-leg-prefixes: [sofia/gateway/, '']\n", "trunk-leg-prefixes[1]: is empty");
        assertMessage("freeswitch:\n  trunk-leg-prefixes: [sofia/gateway/, ~]\n", "trunk-leg-prefixes[1]: is empty");
    }

    @Test
    void referenceConfigDocumentsTheSectionAndStillLoads() throws Exception {
        Path reference = Path.of("..", "installer", "tollguard.yml");
        String text = Files.readString(reference);
        assertTrue(text.contains("#freeswitch:"), "the section is in the reference file, commented");
        ConfigLoader.load(reference);
        // uncommented, with a password, it is a valid section
        StringBuilder section = new StringBuilder();
        boolean in = false;
        for (String line : text.split("\n")) {
            if (line.equals("#freeswitch:")) {
                in = true;
            }
            if (in && line.isBlank()) {
                break; // the section ends at the next blank line
            }
            if (in && line.startsWith("#") && !line.startsWith("#  #") && !line.startsWith("#    #")) {
                section.append(line.substring(1)).append('\n');
            }
        }
        TollguardConfig parsed = ConfigLoader.parse("reference", section.toString().replace("password: \"\"",
                "password: x"));
        assertTrue(parsed.freeswitch().enabled());
        assertEquals(8462, parsed.freeswitch().preDial().port());
        assertEquals(FreeSwitchConfig.DEFAULT_TRUNK_LEG_PREFIXES, parsed.freeswitch().trunkLegPrefixes());
        assertTrue(text.contains("#  trunk-leg-prefixes: [sofia/gateway/, sofia/external/]"), "documented");
    }

    private static void assertMessage(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("t.yml", yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
