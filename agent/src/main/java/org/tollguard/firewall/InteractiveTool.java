package org.tollguard.firewall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A firewall tool kept running in its interactive mode ({@code ipset -}, {@code nft -i}) in the PBX's namespace,
 * so that a ban costs a line on a pipe and a netlink round trip instead of starting a process (5-10 ms, and
 * {@code ip netns exec} about doubles that). What it prints on the stream its answers come on arrives as
 * {@link Line}s; the sessions built on it know how their tool marks the end of an answer. Not thread-safe: a session
 * serialises its use.
 */
final class InteractiveTool {
    private static final Logger log = LoggerFactory.getLogger(InteractiveTool.class);

    /** Where the tool's answers are read. */
    enum Answers {
        /** stderr only: stdout holds nothing but prompts (ipset). */
        STDERR,
        /** stdout and stderr as one stream, in the order the tool wrote them (nft). */
        BOTH
    }

    /** One line the tool printed; {@code ended} marks the process gone. */
    record Line(String text, boolean ended) {
        static final Line END = new Line("", true);
    }

    private final CommandRunner runner;
    private final Answers answers;
    private final List<String> command;
    private Process process;
    private OutputStream stdin;
    private BlockingQueue<Line> lines;

    InteractiveTool(CommandRunner runner, Answers answers, String... command) {
        this.runner = runner;
        this.answers = answers;
        this.command = List.of(command);
    }

    /** Writes {@code text} (whole lines), starting the process first if it is not running; earlier output is dropped. */
    void send(String text) throws IOException {
        ensureStarted();
        lines.clear();
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** The next line, or null if none came before {@code deadlineNanos} ({@link System#nanoTime()}). */
    Line next(long deadlineNanos) throws InterruptedException {
        return lines.poll(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Kills the process after it misbehaved; the next {@link #send} starts a new one. */
    void stop(String why) {
        if (process != null) {
            log.warn("{} session stopped, using one-shot commands for this change reason=\"{}\"", command.get(0), why);
            process.destroyForcibly();
            process = null;
        }
    }

    /** Ends the process (it would also end by itself when the agent exits and its stdin closes). */
    void close() {
        if (process != null) {
            process.destroy();
            process = null;
        }
    }

    /** The command as an operator would type it, for messages. */
    List<String> shown(String input) {
        List<String> shown = new ArrayList<>();
        if (runner.netns() != null) {
            shown.addAll(List.of("ip", "netns", "exec", runner.netns()));
        }
        shown.addAll(command);
        shown.addAll(List.of("<<<", input.strip()));
        return shown;
    }

    private void ensureStarted() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> full = new ArrayList<>();
        if (runner.netns() != null) {
            full.addAll(List.of(CommandRunner.resolve("ip"), "netns", "exec", runner.netns()));
        }
        full.add(CommandRunner.resolve(command.get(0)));
        full.addAll(command.subList(1, command.size()));
        ProcessBuilder builder = new ProcessBuilder(full);
        if (answers == Answers.BOTH) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        builder.environment().put("LC_ALL", "C");
        process = builder.start();
        stdin = process.getOutputStream();
        lines = new LinkedBlockingQueue<>();
        read(answers == Answers.BOTH ? process.getInputStream() : process.getErrorStream(), lines);
        log.debug("{} session started netns={} pid={}", command.get(0), runner.netns(), process.pid());
    }

    private void read(InputStream stream, BlockingQueue<Line> into) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    into.add(new Line(line.strip(), false));
                }
            } catch (IOException e) {
                // the process is gone
            }
            into.add(Line.END);
        }, "tollguard-" + command.get(0) + "-session");
        reader.setDaemon(true);
        reader.start();
    }
}
