package org.tollguard.firewall;

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

/**
 * Two network namespaces of our own joined by a veth pair: {@code tgfw-srv-*} (the PBX, where the firewall acts)
 * and {@code tgfw-atk-*} (the attacker and a bystander). The veth is created inside the namespaces, so the host's
 * own network never changes. {@link #close()} kills what ran inside and deletes both namespaces; a shutdown hook
 * does the same if the JVM stops first.
 */
final class TestNetwork implements AutoCloseable {
    static final String SRV4 = "198.51.100.1";
    static final String ATK4 = "198.51.100.2";
    static final String BYSTANDER4 = "198.51.100.3";
    static final String SRV6 = "2001:db8::1";
    static final String ATK6 = "2001:db8::2";

    final String srv;
    final String atk;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook = new Thread(this::deleteNamespaces, "tgfw-cleanup");
    private volatile boolean closed;

    private TestNetwork(String prefix, String suffix) {
        this.srv = prefix + "-srv-" + suffix;
        this.atk = prefix + "-atk-" + suffix;
    }

    static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static TestNetwork create() throws Exception {
        return create("tgfw");
    }

    /** With namespaces named {@code PREFIX-srv-*} and {@code PREFIX-atk-*}, so that each test family keeps to its own. */
    static TestNetwork create(String prefix) throws Exception {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        TestNetwork net = new TestNetwork(prefix, HexFormat.of().formatHex(random));
        Runtime.getRuntime().addShutdownHook(net.shutdownHook);
        try {
            host("ip", "netns", "add", net.srv);
            host("ip", "netns", "add", net.atk);
            host("ip", "-n", net.srv, "link", "add", "tgv0", "type", "veth", "peer", "name", "tgv1", "netns", net.atk);
            for (String ns : List.of(net.srv, net.atk)) {
                host("ip", "-n", ns, "link", "set", "lo", "up");
            }
            host("ip", "-n", net.srv, "addr", "add", SRV4 + "/24", "dev", "tgv0");
            host("ip", "-n", net.srv, "addr", "add", SRV6 + "/64", "dev", "tgv0", "nodad");
            host("ip", "-n", net.atk, "addr", "add", ATK4 + "/24", "dev", "tgv1");
            host("ip", "-n", net.atk, "addr", "add", BYSTANDER4 + "/24", "dev", "tgv1");
            host("ip", "-n", net.atk, "addr", "add", ATK6 + "/64", "dev", "tgv1", "nodad");
            host("ip", "-n", net.srv, "link", "set", "tgv0", "up");
            host("ip", "-n", net.atk, "link", "set", "tgv1", "up");
            return net;
        } catch (Exception e) {
            net.close();
            throw e;
        }
    }

    /** Runs a command in the server namespace; fails the test if it fails. */
    String srv(String... command) throws FirewallException {
        return new CommandRunner(srv).run(command);
    }

    String srvWithInput(String input, String... command) throws FirewallException {
        return new CommandRunner(srv).runWithInput(input, command);
    }

    /** How many connections conntrack in the server namespace has from this source. */
    int conntrackCount(String source) throws FirewallException {
        String family = source.contains(":") ? "ipv6" : "ipv4";
        return (int) srv("conntrack", "-L", "-f", family, "-s", source).lines().filter(l -> !l.isBlank()).count();
    }

    /** A socat in the server namespace writing what it receives to us, e.g. {@code UDP4-RECV:5060}. */
    Listener listen(String socatAddress, String protocol, int port) throws Exception {
        Process p = start(srv, "socat", "-u", socatAddress, "STDOUT");
        Listener listener = new Listener(p);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String flag = protocol.equals("udp") ? "-Hlnu" : "-Hlnt";
        while (!srv("ss", flag).contains(":" + port + " ")) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                throw new IllegalStateException("socat did not start listening on " + socatAddress);
            }
            Thread.sleep(20);
        }
        return listener;
    }

    /** A socat in the attacker namespace sending each line we write, e.g. {@code UDP4-SENDTO:...,bind=...}. */
    Sender send(String socatAddress) throws IOException {
        return new Sender(start(atk, "socat", "-u", "STDIN", socatAddress), socatAddress);
    }

    private Process start(String ns, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of(CommandRunner.resolve("ip"), "netns", "exec", ns));
        full.add(CommandRunner.resolve(command[0]));
        full.addAll(List.of(command).subList(1, command.length));
        File log = Path.of("target", "tgfw-socat.log").toFile();
        Process p = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
        processes.add(p);
        return p;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        deleteNamespaces();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private synchronized void deleteNamespaces() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (String ns : List.of(srv, atk)) {
            try {
                // whatever still runs in our namespaces was started by these tests (socat's forked children)
                for (String pid : host("ip", "netns", "pids", ns).split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (Exception e) {
                // the namespace may not exist
            }
            try {
                host("ip", "netns", "del", ns);
            } catch (Exception e) {
                // the namespace may not exist
            }
        }
    }

    private static String host(String... command) throws FirewallException {
        return new CommandRunner(null).run(command);
    }

    /** Collects the lines a listener receives. */
    static final class Listener {
        private final Process process;
        private final Set<String> received = ConcurrentHashMap.newKeySet();

        Listener(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (var in = process.inputReader(StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        received.add(line);
                    }
                } catch (IOException e) {
                    // process ended
                }
            }, "tgfw-listener");
            reader.setDaemon(true);
            reader.start();
        }

        boolean await(String token, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                if (received.contains(token)) {
                    return true;
                }
                Thread.sleep(10);
            }
            return received.contains(token);
        }

        boolean alive() {
            return process.isAlive();
        }

        /** Every line received so far. */
        Set<String> received() {
            return Set.copyOf(received);
        }
    }

    /** Writes lines to a socat that sends them: one datagram each over UDP, a stream over TCP. */
    static final class Sender implements AutoCloseable {
        private final Process process;
        private final OutputStream stdin;
        final String target;

        Sender(Process process, String target) {
            this.process = process;
            this.stdin = process.getOutputStream();
            this.target = target;
        }

        void send(String token) throws IOException {
            if (!process.isAlive()) {
                throw new IllegalStateException("sender to " + target + " has exited with " + process.exitValue()
                        + " (see target/tgfw-socat.log)");
            }
            stdin.write((token + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
