package org.tollguard.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tollguard.testbed.Testbed;
import org.tollguard.testbed.Testbed.Result;

/**
 * A throw-away copy of the cached Debian 12 chroot ({@code installer/test/testroot}): an overlay on the
 * base, so that each test class installs into a fresh Debian 12 and nothing of it stays behind. Commands
 * run in it with their own mount, PID and network namespaces: nothing here can touch the host's firewall.
 */
final class TestRoot implements AutoCloseable {
    /** Where the fixtures (fake PBX configs, the AMI probe) are mounted inside the root. */
    static final String FIXTURES = "/fixtures";

    private static boolean built;

    private final Path dir;
    private final List<String> binds = new ArrayList<>();

    private TestRoot(Path dir) {
        this.dir = dir;
    }

    /** A fresh copy of the base chroot (built the first time, about two minutes; cached after that). */
    static TestRoot create(String name) {
        assumeTrue("root".equals(System.getProperty("user.name")), "installing into a chroot needs root");
        buildOnce();
        try {
            TestRoot root = new TestRoot(Files.createTempDirectory("tollguard-" + name + "-"));
            return root.bind(fixtures(), FIXTURES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void buildOnce() {
        if (!built) {
            Result r = Testbed.run(900, script().toString(), "build");
            if (r.exit() != 0) {
                throw new IllegalStateException("building the Debian 12 test chroot failed:\n" + r.output());
            }
            built = true;
        }
    }

    static Path script() {
        return Testbed.root().resolve("installer/test/testroot");
    }

    static Path fixtures() {
        try {
            return Path.of(TestRoot.class.getResource("/org/tollguard/installer").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Mounts {@code source} read-only at {@code target} inside the root for every later command. */
    TestRoot bind(Path source, String target) {
        binds.add("-b");
        binds.add(source.toAbsolutePath() + ":" + target);
        return this;
    }

    /** Runs a shell script (sh -e) in the root, as root, without systemd running. */
    Result sh(String script) {
        return Testbed.run(300, command("run", script));
    }

    /** Like {@link #sh} but the script must succeed; returns its output. */
    String ok(String script) {
        Result r = sh(script);
        assertEquals(0, r.exit(), () -> "failed in the chroot:\n" + script + "\n--- output:\n" + r.output());
        return r.output();
    }

    /**
     * Boots the root with systemd-nspawn (systemd as PID 1, its own network namespace) and runs a shell
     * script in it once the system is up; aborts the test when systemd-nspawn cannot boot it here.
     */
    Result boot(String script) {
        Result r = Testbed.run(300, command("boot", script));
        if (r.exit() == 3) {
            abort("systemd-nspawn cannot boot a container here:\n" + r.output());
        }
        return r;
    }

    /** "owner:group mode" of a path inside the root, e.g. "tollguard:tollguard 600". */
    String stat(String path) {
        return ok("stat -c '%U:%G %a' " + path).strip();
    }

    boolean exists(String path) {
        return sh("test -e " + path).exit() == 0;
    }

    private String[] command(String verb, String script) {
        List<String> cmd = new ArrayList<>(List.of(script().toString(), verb, dir.toString()));
        cmd.addAll(binds);
        cmd.addAll(List.of("--", "/bin/sh", "-ec", script));
        return cmd.toArray(String[]::new);
    }

    @Override
    public void close() {
        Testbed.run(120, script().toString(), "remove", dir.toString());
    }

    /**
     * The files install.sh needs, laid out as in a source checkout (installer/, asterisk-conf/,
     * freeswitch-conf/, agent/target/tollguard.jar, the launcher). While the project has no dialplan
     * include yet, a stand-in is added so that its installation is tested too.
     */
    static Path stageSources() {
        Path project = Testbed.root();
        try {
            Path stage = Files.createTempDirectory("tollguard-stage-");
            for (String f : List.of("installer/install.sh", "installer/tollguard.yml", "installer/tollguard.service",
                    "agent/src/main/dist/tollguard")) {
                copy(project.resolve(f), stage.resolve(f));
            }
            Path jar = project.resolve("agent/target/tollguard.jar");
            Files.createDirectories(stage.resolve("agent/target"));
            try {
                Files.createLink(stage.resolve("agent/target/tollguard.jar"), jar);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(jar, stage.resolve("agent/target/tollguard.jar"));
            }
            for (String d : List.of("asterisk-conf", "freeswitch-conf")) {
                if (Files.isDirectory(project.resolve(d))) {
                    try (Stream<Path> files = Files.walk(project.resolve(d))) { // every file, subfolders too
                        for (Path f : files.filter(Files::isRegularFile).toList()) {
                            copy(f, stage.resolve(d).resolve(project.resolve(d).relativize(f)));
                        }
                    }
                }
            }
            return stage;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Puts a stand-in Asterisk (Debian's manager.conf, an extensions.conf, an {@code asterisk} command that
     * logs what it is asked to /var/log/asterisk-rx.log) and a FreeSWITCH config into the root.
     */
    static final String FAKE_PBX = """
            adduser --system --group --quiet --no-create-home asterisk
            printf '#!/bin/sh\\necho "$*" >>/var/log/asterisk-rx.log\\n' >/usr/local/sbin/asterisk
            chmod 755 /usr/local/sbin/asterisk
            mkdir -p /etc/asterisk/manager.d
            cp /fixtures/asterisk/*.conf /etc/asterisk/
            chown -R asterisk:asterisk /etc/asterisk
            chmod 0640 /etc/asterisk/*.conf
            mkdir -p /etc/freeswitch
            cp -R /fixtures/freeswitch/. /etc/freeswitch/
            """;

    /** Waits (max 60 s) until the agent's admin API answers the CLI. */
    static final String WAIT_FOR_API = """
            i=0
            until tollguard bans >/dev/null 2>&1; do
                i=$((i + 1)); [ $i -lt 120 ] || { echo "the agent's API did not come up"; exit 1; }
                sleep 0.5
            done
            """;
}
