package org.tollguard.firewall;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bans added through one long-lived {@code ipset -} (ipset's interactive mode: one command per line, each applied
 * at once).
 *
 * <p>ipset says nothing on success and writes its errors and {@code test} answers to stderr. So every add is
 * followed by a {@code test} of the same entry: its answer marks the end of the add's output, and a yes proves the
 * entry is in the kernel. Anything unexpected (no answer in time, the process gone) stops this process and returns
 * empty, and the caller runs the one-shot command instead; the next call starts a new process.
 */
final class IpsetSession {
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final InteractiveTool ipset;
    private final Duration answerTimeout;

    IpsetSession(CommandRunner runner) {
        this(runner, ANSWER_TIMEOUT);
    }

    IpsetSession(CommandRunner runner, Duration answerTimeout) {
        this.ipset = new InteractiveTool(runner, InteractiveTool.Answers.STDERR, "ipset", "-");
        this.answerTimeout = answerTimeout;
    }

    /**
     * Adds {@code address} to {@code set} with {@code timeout} seconds (0: permanent), replacing an existing entry's
     * timeout. Returns how that went, as the one-shot {@code ipset add -exist} would have (exit 0 only if the entry
     * is in the set now, else exit 1 with ipset's error text), or empty if this session cannot tell.
     */
    synchronized Optional<CommandRunner.Result> add(String set, String address, long timeout) {
        String add = "add -exist " + set + " " + address + " timeout " + timeout;
        List<String> command = ipset.shown(add);
        try {
            ipset.send(add + "\ntest " + set + " " + address + "\n");
            List<String> errors = new ArrayList<>();
            long deadline = System.nanoTime() + answerTimeout.toNanos();
            while (true) {
                InteractiveTool.Line line = ipset.next(deadline);
                if (line == null || line.ended()) {
                    ipset.stop(line == null ? "no answer within " + answerTimeout.toMillis() + " ms" : "ipset - exited");
                    return Optional.empty();
                }
                if (line.text().contains(" is in set ")) {
                    return Optional.of(new CommandRunner.Result(command, errors.isEmpty() ? 0 : 1, "",
                            String.join("\n", errors)));
                }
                if (line.text().contains(" is NOT in set ")) {
                    return Optional.of(failed(command, errors));
                }
                errors.add(line.text());
                if (errors.size() >= 2) { // the add failed and so did the test: the set is not there
                    return Optional.of(failed(command, errors));
                }
            }
        } catch (IOException e) {
            ipset.stop(e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ipset.stop("interrupted");
            return Optional.empty();
        }
    }

    private static CommandRunner.Result failed(List<String> command, List<String> errors) {
        return new CommandRunner.Result(command, 1, "", errors.isEmpty() ? "the entry is not in the set after the add"
                : String.join("\n", errors));
    }

    synchronized void close() {
        ipset.close();
    }
}
