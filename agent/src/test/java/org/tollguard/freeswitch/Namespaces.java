package org.tollguard.freeswitch;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces of our own ({@code tgfs-srv-*}: the PBX, where bans act; {@code tgfs-atk-*}: attackers,
 * a phone and a bystander) joined by a veth pair created inside them, so the host's own network and firewall never
 * change. {@link #close()} kills what ran inside and deletes both; a shutdown hook does the same.
 */
final class Namespaces implements AutoCloseable {
    static final String SRV4 = "198.51.100.1";
    static final String SRV6 = "2001:db8::1";

    final String srv;
    final String atk;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Thread hook = new Thread(this::delete, "tgfs-cleanup");
    private volatile boolean closed;

    private Namespaces(String suffix) {
        srv = "tgfs-srv-" + suffix;
        atk = "tgfs-atk-" + suffix;
    }

    static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** @param atkAddresses addresses of the attacker side (IPv4 /24 and IPv6 /64 of the documentation ranges) */
    static Namespaces create(List<String> atkAddresses) throws Exception {
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        Namespaces n = new Namespaces(HexFormat.of().formatHex(r));
        Runtime.getRuntime().addShutdownHook(n.hook);
        try {
            run("ip", "netns", "add", n.srv);
            run("ip", "netns", "add", n.atk);
            run("ip", "-n", n.srv, "link", "add", "tgfs0", "type", "veth", "peer", "name", "tgfs1", "netns", n.atk);
            for (String ns : List.of(n.srv, n.atk)) {
                run("ip", "-n", ns, "link", "set", "lo", "up");
            }
            run("ip", "-n", n.srv, "addr", "add", SRV4 + "/24", "dev", "tgfs0");
            run("ip", "-n", n.srv, "addr", "add", SRV6 + "/64", "dev", "tgfs0", "nodad");
            for (String a : atkAddresses) {
                run("ip", "-n", n.atk, "addr", "add", a + (a.contains(":") ? "/64" : "/24"), "dev", "tgfs1", "nodad");
            }
            run("ip", "-n", n.srv, "link", "set", "tgfs0", "up");
            run("ip", "-n", n.atk, "link", "set", "tgfs1", "up");
            return n;
        } catch (Exception e) {
            n.close();
            throw e;
        }
    }

    /** A socat in the server namespace printing each datagram it receives on {@code port} (IPv4 and IPv6). */
    Receiver receive(int port) throws Exception {
        Receiver r = new Receiver(start(srv, "socat", "-u", "UDP6-RECV:" + port + ",ipv6only=0", "STDOUT"));
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!run("ip", "netns", "exec", srv, "ss", "-Hlnu").contains(":" + port + " ")) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("socat did not start listening on udp " + port);
            }
            Thread.sleep(20);
        }
        return r;
    }

    /** Sends one UDP datagram {@code token} from {@code source} (an attacker-side address) to the server. */
    void send(String source, int port, String token) throws Exception {
        String to = source.contains(":") ? "UDP6-SENDTO:[" + SRV6 + "]:" + port + ",bind=[" + source + "]"
                : "UDP4-SENDTO:" + SRV4 + ":" + port + ",bind=" + source;
        Process p = start(atk, "socat", "-u", "STDIN", to);
        try (OutputStream in = p.getOutputStream()) {
            in.write((token + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private Process start(String ns, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of(resolve("ip"), "netns", "exec", ns, resolve(command[0])));
        full.addAll(List.of(command).subList(1, command.length));
        File log = Path.of("target", "tgfs-socat.log").toFile();
        Process p = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
        processes.add(p);
        return p;
    }

    @Override
    public void close() {
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down
        }
    }

    private synchronized void delete() {
        if (closed) {
            return;
        }
        closed = true;
        processes.forEach(Process::destroyForcibly);
        for (String ns : List.of(srv, atk)) {
            try {
                for (String pid : run("ip", "netns", "pids", ns).split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (Exception e) {
                // gone already
            }
            try {
                run("ip", "netns", "del", ns);
            } catch (Exception e) {
                // gone already
            }
        }
    }

    static String run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, resolve(cmd.get(0)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }

    static String resolve(String tool) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return dir + "/" + tool;
            }
        }
        return tool;
    }

    /** The datagrams a socat listener printed. */
    static final class Receiver {
        private final Set<String> received = ConcurrentHashMap.newKeySet();

        Receiver(Process p) {
            Thread t = new Thread(() -> {
                try (var in = p.inputReader(StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        received.add(line);
                    }
                } catch (IOException e) {
                    // ended
                }
            }, "tgfs-receiver");
            t.setDaemon(true);
            t.start();
        }

        boolean got(String token, Duration within) throws InterruptedException {
            long end = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < end) {
                if (received.contains(token)) {
                    return true;
                }
                Thread.sleep(10);
            }
            return received.contains(token);
        }
    }
}
