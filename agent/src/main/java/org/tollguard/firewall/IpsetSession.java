package org.tollguard.firewall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived {@code ipset -} (ipset's interactive mode: one command per line, each applied at once) through
 * which bans are added, so that a ban costs a line on a pipe and a netlink round trip (well under a millisecond)
 * instead of starting a process (5-10 ms, and {@code ip netns exec} about doubles that).
 *
 * <p>ipset says nothing on success and writes its errors and {@code test} answers to stderr. So every add is
 * followed by a {@code test} of the same entry: its answer marks the end of the add's output, and a yes proves the
 * entry is in the kernel. Anything unexpected (no answer in time, the process gone) stops this process and returns
 * empty, and the caller runs the one-shot command instead; the next call starts a new process.
 */
final class IpsetSession {
    private static final Logger log = LoggerFactory.getLogger(IpsetSession.class);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    private static final String EOF = "\u0000eof";

    private final CommandRunner runner;
    private final Duration answerTimeout;
    private Process process; // guarded by this
    private OutputStream stdin;
    private BlockingQueue<String> stderr;

    IpsetSession(CommandRunner runner) {
        this(runner, ANSWER_TIMEOUT);
    }

    IpsetSession(CommandRunner runner, Duration answerTimeout) {
        this.runner = runner;
        this.answerTimeout = answerTimeout;
    }

    /**
     * Adds {@code address} to {@code set} with {@code timeout} seconds (0: permanent), replacing an existing entry's
     * timeout. Returns how that went, as the one-shot {@code ipset add -exist} would have (exit 0 only if the entry
     * is in the set now, else exit 1 with ipset's error text), or empty if this session cannot tell.
     */
    synchronized java.util.Optional<CommandRunner.Result> add(String set, String address, long timeout) {
        String add = "add -exist " + set + " " + address + " timeout " + timeout;
        List<String> command = shown(add);
        try {
            ensureStarted();
            stderr.clear();
            stdin.write((add + "\ntest " + set + " " + address + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            List<String> errors = new ArrayList<>();
            long deadline = System.nanoTime() + answerTimeout.toNanos();
            while (true) {
                String line = stderr.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(EOF)) {
                    stop(line == null ? "no answer within " + answerTimeout.toMillis() + " ms" : "ipset - exited");
                    return java.util.Optional.empty();
                }
                if (line.contains(" is in set ")) {
                    return java.util.Optional.of(new CommandRunner.Result(command, errors.isEmpty() ? 0 : 1, "",
                            String.join("\n", errors)));
                }
                if (line.contains(" is NOT in set ")) {
                    return java.util.Optional.of(failed(command, errors));
                }
                errors.add(line);
                if (errors.size() >= 2) { // the add failed and so did the test: the set is not there
                    return java.util.Optional.of(failed(command, errors));
                }
            }
        } catch (IOException e) {
            stop(e.getMessage());
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop("interrupted");
            return java.util.Optional.empty();
        }
    }

    private static CommandRunner.Result failed(List<String> command, List<String> errors) {
        return new CommandRunner.Result(command, 1, "", errors.isEmpty() ? "the entry is not in the set after the add"
                : String.join("\n", errors));
    }

    private void ensureStarted() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> full = new ArrayList<>();
        if (runner.netns() != null) {
            full.addAll(List.of(CommandRunner.resolve("ip"), "netns", "exec", runner.netns()));
        }
        full.addAll(List.of(CommandRunner.resolve("ipset"), "-"));
        ProcessBuilder builder = new ProcessBuilder(full).redirectOutput(ProcessBuilder.Redirect.DISCARD); // prompts
        builder.environment().put("LC_ALL", "C");
        process = builder.start();
        stdin = process.getOutputStream();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        stderr = lines;
        Process p = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line.strip());
                }
            } catch (IOException e) {
                // the process is gone
            }
            lines.add(EOF);
        }, "tollguard-ipset-session");
        reader.setDaemon(true);
        reader.start();
        log.debug("ipset session started netns={} pid={}", runner.netns(), process.pid());
    }

    private void stop(String why) {
        if (process != null) {
            log.warn("ipset session stopped, using one-shot commands for this ban reason=\"{}\"", why);
            process.destroyForcibly();
            process = null;
        }
    }

    /** Ends the process (it would also end by itself when the agent exits and its stdin closes). */
    synchronized void close() {
        if (process != null) {
            process.destroy();
            process = null;
        }
    }

    private List<String> shown(String line) {
        List<String> shown = new ArrayList<>();
        if (runner.netns() != null) {
            shown.addAll(List.of("ip", "netns", "exec", runner.netns()));
        }
        shown.addAll(List.of("ipset", "-", "<<<", line));
        return shown;
    }
}
