package org.tollguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollguard.yamlconfig.ConfigException;

class FirewallConfigTest {

    @Test
    void defaults() {
        FirewallConfig config = TollguardConfig.defaults().firewall();
        assertEquals(FirewallConfig.Backend.IPSET, config.backend());
        assertNull(config.netns());
        assertEquals(List.of(), config.ports());
        assertEquals(1_048_576, config.maxEntries());
    }

    @Test
    void readsKebabCaseKeys() throws ConfigException {
        TollguardConfig config = ConfigLoader.parse("t.yml", """
                firewall:
                  backend: nftables
                  netns: tg-pbx
                  ports: [5061, 5060, 5060]
                  max-entries: 2048
                """);
        assertEquals(new FirewallConfig(FirewallConfig.Backend.NFTABLES, "tg-pbx", List.of(5060, 5061), 2048),
                config.firewall());
    }

    @Test
    void emptySectionMeansDefaults() throws ConfigException {
        assertEquals(FirewallConfig.defaults(), ConfigLoader.parse("t.yml", "firewall:\n").firewall());
        assertEquals(FirewallConfig.defaults(), ConfigLoader.parse("t.yml", "firewall: {}\n").firewall());
    }

    @Test
    void rejectsBadValuesWithLineAndKey() {
        assertMessage("firewall:\n  ports: [5060, 70000]\n", "ports: 70000 is outside 1..65535");
        assertMessage("firewall:\n  ports: [0]\n", "ports: 0 is outside 1..65535");
        assertMessage("firewall:\n  max-entries: 1000\n", "max-entries: 1000 is below the minimum 1024");
        assertMessage("firewall:\n  backend: iptables\n", "'iptables' is not one of");
        assertMessage("firewall:\n  netns: ../etc\n", "netns: '../etc' is not a network namespace name");
        assertMessage("firewall:\n  maxentries: 5\n", "unknown key 'maxentries'");
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new FirewallConfig(null, null, List.of(65536), null));
        assertThrows(IllegalArgumentException.class, () -> new FirewallConfig(null, null, null, 1023));
        assertEquals(1024, new FirewallConfig(null, null, null, 1024).maxEntries());
    }

    @Test
    void rendersReadablyAndReadsBack() throws ConfigException {
        String yaml = ConfigLoader.render(TollguardConfig.defaults());
        assertTrue(yaml.contains("backend: ipset"), yaml);
        assertTrue(yaml.contains("max-entries: 1048576"), yaml);
        assertFalse(yaml.contains("netns"), "no namespace is not rendered as null: " + yaml);
        assertEquals(TollguardConfig.defaults(), ConfigLoader.parse("rendered", yaml));
    }

    private static void assertMessage(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("t.yml", yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
