package org.tollguard.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.tollguard.testbed.Testbed;
import org.tollguard.testbed.Testbed.Result;

/**
 * The Debian package (agent/target/tollguard_*_all.deb, built by jdeb in the package phase): its metadata,
 * then {@code apt install ./tollguard_*.deb} on a fresh Debian 12 (a debootstrap chroot) with an Asterisk
 * config present, a boot with systemd that leaves the service running, reinstall, remove and purge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebPackageIT {
    private Path deb;
    private TestRoot root;
    private String aptOutput;

    @BeforeAll
    void install() throws IOException {
        deb = findDeb();
        root = TestRoot.create("deb").bind(deb.getParent(), "/pkg");
        root.ok(TestRoot.FAKE_PBX);
        aptOutput = root.ok("cp /pkg/" + deb.getFileName() + " /tmp/ && apt-get install -y -q /tmp/" + deb.getFileName());
    }

    @AfterAll
    void remove() {
        if (root != null) {
            root.close();
        }
    }

    private static Path findDeb() throws IOException {
        try (Stream<Path> files = Files.list(Testbed.root().resolve("agent/target"))) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("tollguard_.+_all\\.deb")).toList();
            assertEquals(1, debs.size(), "one tollguard_<version>_all.deb in agent/target: " + debs);
            return debs.get(0);
        }
    }

    private String field(String name) {
        Result r = Testbed.run(30, "dpkg-deb", "-f", deb.toString(), name);
        assertEquals(0, r.exit(), r.output());
        return r.output().strip();
    }

    @Test
    @Order(1)
    void theMetadataDeclaresWhatTheAgentNeeds() {
        assertEquals("tollguard", field("Package"));
        assertEquals("all", field("Architecture"));
        String version = field("Version");
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(~[A-Za-z0-9.]+)?"), "a Debian version: " + version);
        assertEquals("tollguard_" + version + "_all.deb", deb.getFileName().toString());
        assertEquals("default-jre-headless (>= 2:1.17) | java17-runtime-headless, ipset, iptables | nftables, "
                + "conntrack, adduser", field("Depends"));
        Result conffiles = Testbed.run(30, "dpkg-deb", "--info", deb.toString(), "conffiles");
        assertEquals("/etc/tollguard/tollguard.yml", conffiles.output().strip());
    }

    @Test
    @Order(2)
    void aptInstallsItWithItsFilesOwnersAndModes() {
        assertTrue(root.ok("dpkg-query -W -f='${Status}' tollguard").contains("install ok installed"), aptOutput);
        assertTrue(root.ok("getent passwd tollguard").contains(":/var/lib/tollguard:/usr/sbin/nologin"));
        assertEquals("root:tollguard 750", root.stat("/etc/tollguard"));
        assertEquals("tollguard:tollguard 600", root.stat("/etc/tollguard/tollguard.yml"));
        assertEquals("tollguard:tollguard 750", root.stat("/var/lib/tollguard"));
        assertEquals("root:root 755", root.stat("/usr/bin/tollguard"));
        assertEquals("root:root 644", root.stat("/usr/share/tollguard/tollguard.jar"));
        assertEquals("root:root 644", root.stat("/lib/systemd/system/tollguard.service"));
        assertTrue(root.ok("dpkg-query -W -f='${Conffiles}' tollguard").contains("/etc/tollguard/tollguard.yml"));
        assertEquals("/lib/systemd/system/tollguard.service",
                root.ok("readlink /etc/systemd/system/multi-user.target.wants/tollguard.service").strip(),
                "postinst enables the service");
        assertTrue(aptOutput.contains("systemd is not running here"), "said why it did not start: " + aptOutput);
    }

    @Test
    @Order(3)
    void postinstConnectsTheAsteriskItFinds() {
        assertEquals("asterisk:asterisk 600", root.stat("/etc/asterisk/manager.d/tollguard.conf"));
        Matcher ami = Pattern.compile("(?m)^secret = ([0-9a-f]{48})$").matcher(root.ok("cat /etc/asterisk/manager.d/tollguard.conf"));
        assertTrue(ami.find());
        assertTrue(root.ok("cat /etc/tollguard/tollguard.yml").contains("  secret: \"" + ami.group(1) + "\""));
        assertTrue(root.ok("cat /var/log/asterisk-rx.log").contains("-rx manager reload"), aptOutput);
        assertTrue(aptOutput.contains("same => n,Gosub(tollguard-predial,s,1(${EXTEN}))"), aptOutput);
    }

    @Test
    @Order(4)
    void theUnitPassesSystemdAnalyzeVerifyAndTheConfigPassesCheckConfig() {
        Result verify = root.sh("systemd-analyze verify /lib/systemd/system/tollguard.service");
        assertEquals(0, verify.exit(), verify.output());
        assertEquals("", verify.output().strip());
        Result check = root.sh("tollguard check-config");
        assertEquals(0, check.exit(), check.output());
    }

    @Test
    @Order(5)
    void itBootsIntoARunningServiceThatRestartsAfterACrash() {
        Result r = root.boot(TestRoot.WAIT_FOR_API + """
                echo "active: $(systemctl is-active tollguard)"
                tollguard ban 203.0.113.7 --reason debtest
                ipset test tollguard-ban4 203.0.113.7
                pid=$(systemctl show -p MainPID --value tollguard)
                kill -9 $pid
                i=0
                until [ "$(systemctl show -p MainPID --value tollguard)" != "$pid" ] && tollguard bans >/dev/null 2>&1; do
                    i=$((i + 1)); [ $i -lt 120 ] || { echo "not restarted"; systemctl status tollguard --no-pager; exit 1; }
                    sleep 0.5
                done
                echo "restarts: $(systemctl show -p NRestarts --value tollguard)"
                tollguard bans
                """);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("active: active"), r.output());
        assertTrue(r.output().contains("203.0.113.7 is in set tollguard-ban4"), r.output());
        assertTrue(r.output().contains("restarts: 1"), r.output());
    }

    @Test
    @Order(6)
    void theInstallScriptDefersToThePackage() {
        Result r = root.sh("/usr/share/tollguard/install.sh --uninstall");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("installed as a Debian package"), r.output());
    }

    @Test
    @Order(7)
    void reinstallingKeepsTheConfig() {
        String before = root.ok("sha256sum /etc/tollguard/tollguard.yml");
        String out = root.ok("dpkg -i /tmp/" + deb.getFileName());
        assertEquals(before, root.ok("sha256sum /etc/tollguard/tollguard.yml"), out);
        assertEquals("tollguard:tollguard 600", root.stat("/etc/tollguard/tollguard.yml"));
    }

    @Test
    @Order(8)
    void removeKeepsConfigAndStoreAndPurgeKeepsTheStore() {
        String config = root.ok("sha256sum /etc/tollguard/tollguard.yml");
        root.ok("apt-get remove -y -q tollguard");
        assertFalse(root.exists("/usr/bin/tollguard"));
        assertFalse(root.exists("/usr/share/tollguard/tollguard.jar"));
        assertEquals(config, root.ok("sha256sum /etc/tollguard/tollguard.yml"));
        assertEquals("tollguard:tollguard 600", root.stat("/var/lib/tollguard/tollguard.db"));
        assertTrue(root.ok("dpkg-query -W -f='${Status}' tollguard").contains("config-files"));

        String purge = root.ok("apt-get purge -y -q tollguard");
        assertFalse(root.exists("/etc/tollguard/tollguard.yml"), "purge removes the conffile, as for every package");
        assertEquals("tollguard:tollguard 600", root.stat("/var/lib/tollguard/tollguard.db"));
        assertTrue(purge.contains("kept /var/lib/tollguard"), purge);
        root.ok("getent passwd tollguard");
    }
}
