package org.tollguard.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small helpers the benchmarks share. */
final class Bench {
    private Bench() {}

    /** {@code --name value} pairs. */
    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --name value ... (at '" + args[i] + "')");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    /** {@code key=value} words of a line. */
    static Map<String, String> keyValues(String line) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String word : line.split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                kv.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return kv;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void waitUntil(Duration max, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + max.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A network namespace of our own with loopback up; deleted by {@link #deleteNetns} (and at JVM exit). */
    static String createNetns(String prefix) {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        String name = prefix + "-" + HexFormat.of().formatHex(random);
        run("ip", "netns", "add", name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteNetns(name)));
        return name;
    }

    static void deleteNetns(String name) {
        try {
            String pids = run("ip", "netns", "pids", name).strip();
            for (String pid : pids.split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (RuntimeException ignored) {
            // already gone
        }
        try {
            new ProcessBuilder("ip", "netns", "del", name).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // best effort
        }
    }

    /**
     * A process at the priority of everything but the agent: when the benchmark runs with a higher priority
     * ({@code BENCH_AGENT_NICE}, as the unit's {@code Nice=} would give the agent), the load, the attackers and
     * fail2ban are started at {@code tollguard.bench.othersNice} (the difference back to 0).
     */
    static ProcessBuilder asOthers(String... command) {
        int nice = Integer.getInteger("tollguard.bench.othersNice", 0);
        List<String> cmd = new ArrayList<>();
        if (nice != 0) {
            cmd.addAll(List.of("nice", "-n", Integer.toString(nice)));
        }
        cmd.addAll(List.of(command));
        return new ProcessBuilder(cmd);
    }

    /** Runs a command, returns its output; a non-zero exit is an exception. */
    static String run(String... command) {
        return run(30, command);
    }

    static String run(int timeoutSeconds, String... command) {
        Result r = runAllowingFailure(timeoutSeconds, command);
        if (r.exit() != 0) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    static Result runAllowingFailure(int timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, new String(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Result(int exit, String output) {}
}
