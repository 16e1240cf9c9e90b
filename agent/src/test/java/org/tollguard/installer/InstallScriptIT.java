package org.tollguard.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.tollguard.testbed.Testbed.Result;

/**
 * installer/install.sh on a fresh Debian 12 (a debootstrap chroot) with an Asterisk and a FreeSWITCH
 * config present: the install, the files it leaves, the unit, the agent running with the unit's privileges,
 * re-runs as upgrades, and the uninstall. The tests run in order on one root; each builds on the last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallScriptIT {
    private static final Pattern SECRET_48_HEX = Pattern.compile("[0-9a-f]{48}");

    private TestRoot root;
    private Path sources;
    private String firstInstall;

    @BeforeAll
    void install() {
        sources = TestRoot.stageSources();
        root = TestRoot.create("install-sh").bind(sources, "/src");
        root.ok(TestRoot.FAKE_PBX);
        firstInstall = root.ok("/src/installer/install.sh");
    }

    @AfterAll
    void remove() {
        if (root != null) {
            root.close();
        }
        TestRoot.deleteTree(sources);
    }

    @Test
    @Order(1)
    void createsASystemUserAndInstallsTheFilesWithTheirOwnersAndModes() {
        String user = root.ok("getent passwd tollguard");
        String[] pw = user.strip().split(":");
        assertTrue(Integer.parseInt(pw[2]) < 1000, "a system user: " + user);
        assertEquals("/var/lib/tollguard", pw[5], user);
        assertEquals("/usr/sbin/nologin", pw[6], user);

        assertEquals("root:tollguard 750", root.stat("/etc/tollguard"));
        assertEquals("tollguard:tollguard 600", root.stat("/etc/tollguard/tollguard.yml"));
        assertEquals("tollguard:tollguard 750", root.stat("/var/lib/tollguard"));
        assertEquals("root:root 755", root.stat("/usr/bin/tollguard"));
        assertEquals("root:root 644", root.stat("/usr/share/tollguard/tollguard.jar"));
        assertEquals("root:root 755", root.stat("/usr/share/tollguard/install.sh"));
        assertEquals("root:root 644", root.stat("/etc/systemd/system/tollguard.service"));
        assertEquals("/etc/systemd/system/tollguard.service",
                root.ok("readlink /etc/systemd/system/multi-user.target.wants/tollguard.service").strip(),
                "the service is enabled");
        assertTrue(root.ok("tollguard version").startsWith("tollguard "), "the launcher finds the jar");
    }

    @Test
    @Order(2)
    void createsTheAmiUserWithARandomSecretSharedWithTheConfig() {
        assertEquals("asterisk:asterisk 600", root.stat("/etc/asterisk/manager.d/tollguard.conf"));
        String ami = root.ok("cat /etc/asterisk/manager.d/tollguard.conf");
        Matcher m = Pattern.compile("(?m)^secret = (\\S+)$").matcher(ami);
        assertTrue(m.find(), ami);
        String secret = m.group(1);
        assertTrue(SECRET_48_HEX.matcher(secret).matches(), "a random secret: " + secret);
        assertTrue(ami.contains("[tollguard]") && ami.contains("permit = 127.0.0.1/255.255.255.255")
                && ami.contains("write = call,reporting"), ami);

        // The config is the reference config with one line changed for Asterisk (and the freeswitch section
        // uncommented with its password, this host has a FreeSWITCH too): comments survive.
        String diff = root.sh("diff /usr/share/tollguard/tollguard.yml /etc/tollguard/tollguard.yml").output();
        java.util.Set<String> uncommented = diff.lines().filter(l -> l.startsWith("< #")).map(l -> l.substring(3))
                .collect(java.util.stream.Collectors.toSet());
        assertEquals(1, diff.lines().filter(l -> l.startsWith("> ")).map(l -> l.substring(2))
                .filter(l -> !uncommented.contains(l) && !l.startsWith("  password: ")).count(), diff);
        assertTrue(diff.contains("> " + "  secret: \"" + secret + "\""), diff);
        assertTrue(firstInstall.contains("created the AMI user"), firstInstall);
        String asked = root.ok("cat /var/log/asterisk-rx.log");
        assertTrue(asked.contains("-rx manager reload") && asked.contains("-rx dialplan reload"),
                "a running Asterisk is reloaded: " + asked);
        // Debian's manager.conf already includes manager.d/*.conf and enables AMI: nothing to do there.
        assertFalse(firstInstall.contains("manager.conf:"), firstInstall);
    }

    @Test
    @Order(3)
    void installsTheDialplanIncludeAndPrintsTheLinesTheAdminAdds() {
        String installed = root.ok("cat /etc/asterisk/tollguard/extensions_tollguard.conf");
        assertTrue(installed.contains("[tollguard-predial]"), installed);
        assertEquals("asterisk:asterisk 640", root.stat("/etc/asterisk/tollguard/extensions_tollguard.conf"));
        assertTrue(firstInstall.contains("#include tollguard/extensions_tollguard.conf"), firstInstall);
        assertTrue(firstInstall.contains("same => n,Gosub(tollguard-predial,s,1(${EXTEN}))"), firstInstall);
    }

    @Test
    @Order(4)
    void installsEveryFreeSwitchFileAndOneGeneratedEventSocketPasswordOnBothSides() {
        assertTrue(firstInstall.contains("FreeSWITCH found (/etc/freeswitch)"), firstInstall);
        String esl = root.ok("cat /etc/freeswitch/autoload_configs/event_socket.conf.xml");
        Matcher pw = Pattern.compile("name=\"password\" value=\"([0-9a-f]{48})\"").matcher(esl);
        assertTrue(pw.find(), "a generated password, not ClueCon: " + esl);
        String config = root.ok("cat /etc/tollguard/tollguard.yml");
        assertTrue(config.contains("\nfreeswitch:\n  enabled: true\n"), "the freeswitch section switched on");
        assertTrue(config.contains("  password: \"" + pw.group(1) + "\""), "the same password in the config");
        assertTrue(config.contains("\nasterisk:\n  # Connect") && !config.contains("asterisk:\n  enabled: false"),
                "this host has an Asterisk too: its section stays on");
        assertTrue(root.ok("cat /etc/freeswitch/autoload_configs/event_socket.conf.xml.tollguard-orig").contains("ClueCon"),
                "FreeSWITCH's own file is kept");
        for (String f : List.of("dialplan/default/00_tollguard_pre_dial.xml", "dialplan/tollguard.xml",
                "sip_profiles/tollguard/tollguard-settings.xml")) {
            assertEquals(root.ok("cat /src/freeswitch-conf/" + f), root.ok("cat /etc/freeswitch/" + f), f);
        }
    }

    @Test
    @Order(5)
    void theUnitPassesSystemdAnalyzeVerify() {
        Result ok = root.sh("systemd-analyze verify /etc/systemd/system/tollguard.service");
        assertEquals(0, ok.exit(), ok.output());
        assertEquals("", ok.output().strip(), "no warnings");
        // and verify does check: a broken copy fails
        Result broken = root.sh("sed 's/^ProtectSystem=strict/ProtectSystem=stric/; s/^Type=exec/Type=exe/' "
                + "/etc/systemd/system/tollguard.service >/etc/systemd/system/broken.service; "
                + "systemd-analyze verify /etc/systemd/system/broken.service");
        assertTrue(broken.output().contains("protect system value, ignoring: stric")
                && broken.output().contains("service type, ignoring: exe"), broken.output());
    }

    @Test
    @Order(6)
    void theInstalledConfigPassesCheckConfig() {
        Result r = root.sh("tollguard check-config");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("/etc/tollguard/tollguard.yml is valid"), r.output());
    }

    /** What the unit grants, without systemd: user tollguard, CAP_NET_ADMIN + CAP_NET_RAW only, umask 077. */
    @Test
    @Order(7)
    void theAgentRunsAsTollguardWithOnlyNetAdminAndNetRaw() {
        String out = root.ok("""
                umask 077
                setpriv --reuid=tollguard --regid=tollguard --init-groups \\
                    --inh-caps=-all,+net_admin,+net_raw --ambient-caps=-all,+net_admin,+net_raw \\
                    --bounding-set=-all,+net_admin,+net_raw --no-new-privs \\
                    tollguard run >/tmp/agent.log 2>&1 &
                pid=$!
                """ + TestRoot.WAIT_FOR_API + """
                tollguard ban 203.0.113.9 --for 1h --reason installtest
                tollguard bans
                ipset test tollguard-ban4 203.0.113.9
                grep -E '^(CapEff|CapAmb)' /proc/$pid/status
                echo "user: $(stat -c %U /proc/$pid)"
                stat -c '%n %U:%G %a' /var/lib/tollguard/api.token /var/lib/tollguard/tollguard.db
                kill $pid
                wait $pid || true
                """);
        assertTrue(out.contains("203.0.113.9") && out.contains("installtest"), "the CLI (root) talks to the agent: " + out);
        assertTrue(out.contains("203.0.113.9 is in set tollguard-ban4"), "the ban is in the kernel set: " + out);
        assertTrue(out.contains("user: tollguard"), out);
        assertTrue(out.contains("CapEff:\t0000000000003000") && out.contains("CapAmb:\t0000000000003000"), out);
        assertTrue(out.contains("/var/lib/tollguard/api.token tollguard:tollguard 600"), out);
        assertTrue(out.contains("/var/lib/tollguard/tollguard.db tollguard:tollguard 600"), out);
    }

    @Test
    @Order(8)
    void theServiceRunsUnderSystemd() {
        Result r = root.boot(TestRoot.WAIT_FOR_API + """
                echo "active: $(systemctl is-active tollguard)"
                pid=$(systemctl show -p MainPID --value tollguard)
                grep -E '^(CapEff|CapBnd|CapAmb|NoNewPrivs)' /proc/$pid/status
                echo "user: $(stat -c %U /proc/$pid)"
                tollguard bans
                """);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("active: active"), r.output());
        assertTrue(r.output().contains("user: tollguard"), r.output());
        assertTrue(r.output().contains("CapBnd:\t0000000000003000"), "nothing else even in the bounding set: " + r.output());
        assertTrue(r.output().contains("NoNewPrivs:\t1"), r.output());
        assertTrue(r.output().contains("203.0.113.9"), "the ban made before survived the restart: " + r.output());
    }

    @Test
    @Order(9)
    void aRerunIsAnUpgradeThatKeepsConfigAndSecret() {
        String before = root.ok("sha256sum /etc/tollguard/tollguard.yml /etc/asterisk/manager.d/tollguard.conf");
        root.ok(": >/var/log/asterisk-rx.log");
        String out = root.ok("/src/installer/install.sh");
        assertFalse(root.ok("cat /var/log/asterisk-rx.log").contains("reload"), "nothing changed, nothing reloaded");
        assertEquals(before, root.ok("sha256sum /etc/tollguard/tollguard.yml /etc/asterisk/manager.d/tollguard.conf"));
        assertTrue(out.contains("kept your /etc/tollguard/tollguard.yml"), out);
        assertTrue(out.contains("kept the AMI user"), out);
        assertFalse(out.contains("WARNING"), out);
    }

    @Test
    @Order(10)
    void anUpgradeNamesTheSettingsThatAreNew() {
        // pretend the installed version's reference config had no challenge-grace and no enumeration section
        root.ok("sed -i '/challenge-grace:/d; /^  enumeration:/,/^    window:/d' /usr/share/tollguard/tollguard.yml");
        String before = root.ok("sha256sum /etc/tollguard/tollguard.yml");
        String out = root.ok("/src/installer/install.sh");
        assertTrue(out.contains("New settings in this version"), out);
        assertTrue(out.contains("    ban.challenge-grace\n"), out);
        assertTrue(out.contains("    ban.enumeration\n"), out);
        assertFalse(out.contains("ban.enumeration.accounts"), "only the new section, not each of its keys: " + out);
        assertEquals(before, root.ok("sha256sum /etc/tollguard/tollguard.yml"), "the config is left alone");
    }

    @Test
    @Order(11)
    void anUpgradeWarnsWhenTheKeptConfigNoLongerPasses() {
        root.ok("cp -p /etc/tollguard/tollguard.yml /tmp/good.yml; echo 'bogus-section: 1' >>/etc/tollguard/tollguard.yml");
        String out = root.sh("/src/installer/install.sh").output();
        root.ok("cp -p /tmp/good.yml /etc/tollguard/tollguard.yml");
        assertTrue(out.contains("does not pass this version's check") && out.contains("bogus-section"), out);
    }

    @Test
    @Order(12)
    void uninstallRemovesTheProgramAndKeepsConfigStoreUserAndPbxFiles() {
        String secret = root.ok("grep '^  secret:' /etc/tollguard/tollguard.yml");
        String out = root.ok("/usr/share/tollguard/install.sh --uninstall");
        assertTrue(out.contains("kept: /etc/tollguard"), out);
        for (String gone : new String[] {"/usr/bin/tollguard", "/usr/share/tollguard",
                "/etc/systemd/system/tollguard.service", "/etc/systemd/system/multi-user.target.wants/tollguard.service"}) {
            assertFalse(root.exists(gone), gone + " is removed");
        }
        assertEquals("tollguard:tollguard 600", root.stat("/etc/tollguard/tollguard.yml"));
        assertEquals(secret, root.ok("grep '^  secret:' /etc/tollguard/tollguard.yml"));
        assertEquals("tollguard:tollguard 600", root.stat("/var/lib/tollguard/tollguard.db"));
        assertEquals("tollguard:tollguard 600", root.stat("/var/lib/tollguard/api.token"));
        assertTrue(root.exists("/etc/asterisk/manager.d/tollguard.conf"), "the AMI user stays");
        assertTrue(out.contains("kept the PBX files"), out);
        root.ok("getent passwd tollguard");

        // and installing again picks up where it left off
        String again = root.ok("/src/installer/install.sh");
        assertTrue(again.contains("kept your /etc/tollguard/tollguard.yml"), again);
        assertEquals(secret, root.ok("grep '^  secret:' /etc/tollguard/tollguard.yml"));
        assertNotEquals("", root.ok("tollguard version").strip());
    }
}
