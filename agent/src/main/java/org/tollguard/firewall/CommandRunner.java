package org.tollguard.firewall;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one firewall tool (ipset, iptables-restore, nft, conntrack...) as a child process, in the PBX's network
 * namespace when one is configured ({@code ip netns exec NAME tool ...}), with a time limit, optional standard
 * input, and stdout and stderr captured. Stateless, so safe for use from several threads.
 */
final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Where Debian keeps these tools; a service's PATH has them, a non-root shell's often does not. */
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tollguard-command-io");
        t.setDaemon(true);
        return t;
    });
    private static final Map<String, String> RESOLVED = new ConcurrentHashMap<>();

    private final String netns;
    private final Duration timeout;

    /** @param netns the namespace to run in, or null for the agent's own */
    CommandRunner(String netns) {
        this(netns, DEFAULT_TIMEOUT);
    }

    CommandRunner(String netns, Duration timeout) {
        this.netns = netns;
        this.timeout = timeout;
    }

    String netns() {
        return netns;
    }

    /** The same namespace with another time limit (loading a 400,000-entry list takes seconds, not milliseconds). */
    CommandRunner withTimeout(Duration limit) {
        return new CommandRunner(netns, limit);
    }

    /** Standard input written piece by piece, for inputs too large to build as one string. */
    @FunctionalInterface
    interface Input {
        void writeTo(java.io.Writer out) throws IOException;
    }

    /** What a finished command said. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        String describe() {
            String err = stderr.strip();
            return "command '" + String.join(" ", command) + "' failed with exit code " + exitCode
                    + (err.isEmpty() ? " and printed nothing on stderr" : ": " + err);
        }
    }

    /** Runs the command and returns its stdout; any exit code but 0 is a {@link FirewallException}. */
    String run(String... command) throws FirewallException {
        return check(runAllowingFailure(null, command));
    }

    /** Like {@link #run(String...)} with {@code input} written to the command's standard input. */
    String runWithInput(String input, String... command) throws FirewallException {
        return check(runAllowingFailure(input, command));
    }

    /** Runs the command and returns how it ended; only failing to run it at all is an exception. */
    Result runAllowingFailure(String input, String... command) throws FirewallException {
        return runStreaming(input == null ? null : out -> out.write(input), command);
    }

    /** Like {@link #runAllowingFailure(String, String...)} with the input streamed to the command as it is made. */
    Result runStreaming(Input input, String... command) throws FirewallException {
        List<String> full = new ArrayList<>(command.length + 4);
        if (netns != null) {
            full.addAll(List.of(resolve("ip"), "netns", "exec", netns));
        }
        full.add(resolve(command[0]));
        full.addAll(List.of(command).subList(1, command.length));
        List<String> shown = shown(command);

        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(full);
        builder.environment().put("LC_ALL", "C");
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new FirewallException("cannot run '" + String.join(" ", shown) + "': " + e.getMessage()
                    + " (is the package that provides '" + command[0] + "' installed?)", e);
        }
        CompletableFuture<String> stdout = pump(process.getInputStream());
        CompletableFuture<String> stderr = pump(process.getErrorStream());
        try {
            if (input != null) {
                try (OutputStream in = process.getOutputStream();
                        java.io.Writer writer = new java.io.BufferedWriter(
                                new java.io.OutputStreamWriter(in, StandardCharsets.UTF_8), 1 << 16)) {
                    input.writeTo(writer);
                } catch (IOException e) {
                    // the command exited before reading all of it; its exit code and stderr tell why
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new FirewallException("command '" + String.join(" ", shown) + "' did not finish within "
                        + timeout.toMillis() + " ms and was killed");
            }
            Result result = new Result(shown, process.exitValue(), await(stdout), await(stderr));
            if (log.isDebugEnabled()) {
                log.debug("command ran command=\"{}\" exit={} elapsed_ms={}{}", String.join(" ", shown),
                        result.exitCode(), String.format("%.1f", (System.nanoTime() - start) / 1e6),
                        result.ok() ? "" : " stderr=\"" + result.stderr().strip() + "\"");
            }
            return result;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FirewallException("interrupted while running '" + String.join(" ", shown) + "'", e);
        }
    }

    private static String check(Result result) throws FirewallException {
        if (!result.ok()) {
            throw new FirewallException(result.describe());
        }
        return result.stdout();
    }

    /** The command as an operator would type it, namespace prefix included. */
    private List<String> shown(String... command) {
        List<String> shown = new ArrayList<>();
        if (netns != null) {
            shown.addAll(List.of("ip", "netns", "exec", netns));
        }
        shown.addAll(List.of(command));
        return shown;
    }

    private static CompletableFuture<String> pump(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, PUMPS);
    }

    private String await(CompletableFuture<String> output) throws InterruptedException, FirewallException {
        try {
            return output.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new FirewallException("cannot read the output of a firewall command: " + e, e);
        }
    }

    /** An absolute path for a bare program name, looking in PATH and then in the sbin directories. */
    static String resolve(String program) {
        if (program.indexOf('/') >= 0) {
            return program;
        }
        String resolved = RESOLVED.computeIfAbsent(program, p -> {
            List<String> dirs = new ArrayList<>();
            String path = System.getenv("PATH");
            if (path != null) {
                dirs.addAll(List.of(path.split(":")));
            }
            dirs.addAll(SBIN);
            for (String dir : dirs) {
                if (!dir.isEmpty()) {
                    Path candidate = Path.of(dir, p);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return candidate.toString();
                    }
                }
            }
            return null; // not cached: it may be installed later
        });
        return resolved == null ? program : resolved; // let the start fail with the system's message
    }
}
