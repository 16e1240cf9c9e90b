package org.tollguard.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * installer/install.sh on a Debian 12 with FreeSWITCH only (its packaged layout under /etc/freeswitch): the
 * freeswitch section is switched on with the Event Socket password it generated, the Asterisk section off,
 * and the config passes the agent's own check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallFreeSwitchOnlyIT {
    private TestRoot root;
    private Path sources;
    private String install;

    @BeforeAll
    void install() {
        sources = TestRoot.stageSources();
        root = TestRoot.create("install-fs").bind(sources, "/src");
        root.ok("mkdir -p /etc/freeswitch && cp -R /fixtures/freeswitch/. /etc/freeswitch/");
        install = root.ok("/src/installer/install.sh");
    }

    @AfterAll
    void remove() {
        if (root != null) {
            root.close();
        }
        TestRoot.deleteTree(sources);
    }

    @Test
    void switchesFreeSwitchOnAndAsteriskOffWithOnePasswordOnBothSides() {
        assertTrue(install.contains("FreeSWITCH found (/etc/freeswitch)"), install);
        String config = root.ok("cat /etc/tollguard/tollguard.yml");
        assertTrue(config.contains("\nasterisk:\n  # Connect") && config.contains("  enabled: false\n  host: 127.0.0.1\n  port: 5038"),
                "no Asterisk here: its section is off\n" + config);
        assertTrue(config.contains("\nfreeswitch:\n  enabled: true\n"), config);
        Matcher pw = Pattern.compile("name=\"password\" value=\"([0-9a-f]{48})\"")
                .matcher(root.ok("cat /etc/freeswitch/autoload_configs/event_socket.conf.xml"));
        assertTrue(pw.find());
        assertTrue(config.contains("  password: \"" + pw.group(1) + "\""), "the same password in the config");
        assertEquals(root.ok("cat /src/freeswitch-conf/dialplan/default/00_tollguard_pre_dial.xml"),
                root.ok("cat /etc/freeswitch/dialplan/default/00_tollguard_pre_dial.xml"), "beside the phones' own");
        root.ok("tollguard check-config /etc/tollguard/tollguard.yml");
    }
}
