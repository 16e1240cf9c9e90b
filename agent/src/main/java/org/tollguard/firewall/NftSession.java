package org.tollguard.firewall;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bans added through one long-lived {@code nft -i}: each input line is one transaction (commands joined with
 * {@code ;} apply together or not at all), applied at once.
 *
 * <p>nft says nothing on success and writes an error as three lines: {@code Error: ...}, the command, and a caret
 * line under the culprit. So every change is followed by {@code describe ip saddr}, which prints one fixed line
 * without asking the kernel anything: it marks the end of the change's output, and whatever came before it is the
 * change's error. (Not a {@code get element}: that makes this process cache every set's elements and fetch them
 * all again after each change, seconds with a 400,000-entry list loaded.) Anything unexpected (no answer in time,
 * the process gone) stops this process and returns empty, and the caller runs the one-shot command instead; the
 * next call starts a new process.
 */
final class NftSession {
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    private static final String MARK = "describe ip saddr";
    private static final String MARK_ANSWER = "payload expression, datatype ipv4_addr";

    private final InteractiveTool nft;

    NftSession(CommandRunner runner) {
        this.nft = new InteractiveTool(runner, InteractiveTool.Answers.BOTH, "nft", "-i");
    }

    /**
     * Applies {@code transaction} (one line). Returns how that went, as the one-shot {@code nft -f -} would have
     * (exit 0, or exit 1 with nft's error text), or empty if this session cannot tell.
     */
    synchronized Optional<CommandRunner.Result> apply(String transaction) {
        List<String> command = nft.shown(transaction);
        try {
            nft.send(transaction + "\n" + MARK + "\n");
            List<String> errors = new ArrayList<>();
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            while (true) {
                InteractiveTool.Line line = nft.next(deadline);
                if (line == null || line.ended()) {
                    nft.stop(line == null ? "no answer within " + ANSWER_TIMEOUT.toMillis() + " ms" : "nft -i exited");
                    return Optional.empty();
                }
                if (line.text().startsWith(MARK_ANSWER)) {
                    return Optional.of(new CommandRunner.Result(command, errors.isEmpty() ? 0 : 1, "",
                            String.join("\n", errors)));
                }
                if (!isCarets(line.text())) {
                    errors.add(line.text());
                }
            }
        } catch (IOException e) {
            nft.stop(e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            nft.stop("interrupted");
            return Optional.empty();
        }
    }

    private static boolean isCarets(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c == '^' || c == ' ');
    }

    synchronized void close() {
        nft.close();
    }
}
