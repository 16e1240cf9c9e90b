package org.tollguard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's fail2ban, run as its own server inside the PBX's network namespace with everything it writes (config,
 * socket, pid file, database, log) in a directory of ours, so it never sees or touches the host: jail
 * {@code asterisk} with Debian's {@code asterisk} filter on Asterisk's security log, the given threshold, and the
 * {@code iptables-ipset} action (all ports) on set {@value #SET}.
 */
final class Fail2ban implements AutoCloseable {
    static final String SET = "f2b-asterisk";

    private final String netns;
    private final Path dir;
    private final Process server;

    Fail2ban(String netns, Path dir, String logPath, int maxRetry, Duration findTime, List<String> ignore, String backend)
            throws IOException {
        this.netns = netns;
        this.dir = dir;
        Files.createDirectories(dir);
        for (String shared : List.of("action.d", "filter.d", "paths-common.conf", "paths-debian.conf")) {
            Path link = dir.resolve(shared);
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of("/etc/fail2ban", shared));
            }
        }
        Files.writeString(dir.resolve("fail2ban.conf"), """
                [Definition]
                loglevel = INFO
                logtarget = %1$s/fail2ban.log
                socket = %1$s/fail2ban.sock
                pidfile = %1$s/fail2ban.pid
                dbfile = %1$s/fail2ban.sqlite3
                dbpurgeage = 1d
                """.formatted(dir));
        Files.writeString(dir.resolve("jail.conf"), """
                [INCLUDES]
                before = paths-debian.conf

                [DEFAULT]
                ignoreself = false
                ignoreip = %s
                bantime = 3600
                findtime = %d
                maxretry = %d
                backend = %s

                [asterisk]
                enabled = true
                filter = asterisk
                logpath = %s
                action = iptables-ipset[name=asterisk, type=allports, protocol=all]
                """.formatted(String.join(" ", ignore), findTime.toSeconds(), maxRetry, backend, logPath));
        server = Bench.asOthers("ip", "netns", "exec", netns, "fail2ban-server", "-f", "-x", "-c", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.out").toFile()).start();
        Bench.waitUntil(Duration.ofSeconds(30), () -> client("status", "asterisk").exit() == 0 || !server.isAlive(),
                "fail2ban jail asterisk");
        if (!server.isAlive()) {
            throw new IOException("fail2ban-server did not start: " + Files.readString(dir.resolve("server.out")));
        }
    }

    void unban(String address) {
        client("set", "asterisk", "unbanip", address);
    }

    Bench.Result client(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", netns, "fail2ban-client", "-c", dir.toString()));
        cmd.addAll(List.of(args));
        return Bench.runAllowingFailure(30, cmd.toArray(String[]::new));
    }

    Path log() {
        return dir.resolve("fail2ban.log");
    }

    @Override
    public void close() {
        client("stop"); // runs actionstop: removes its iptables rule and set
        try {
            server.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.destroy();
    }
}
