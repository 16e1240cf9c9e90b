package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tollguard.api.ListsRoutes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sync", description = {"Sync community lists now (one source, or all), with progress on a terminal.",
        "A list that shrank by more than blacklist.sanity.max-shrink is refused and the last good one kept; if the"
                + " source really shrank, --accept-shrink applies it once (recorded with your Unix user name); the"
                + " next shrink is refused again."})
final class SyncCommand extends AdminCommand {
    private static final Duration WAIT = Duration.ofMinutes(15);
    private static final int BAR = 30;

    @Parameters(paramLabel = "SOURCE", arity = "0..1", description = "The source's name (default: every enabled source).")
    String source;

    @Option(names = "--accept-shrink", description = "Apply SOURCE's list this once even if it shrank by more than"
            + " max-shrink (the source really dropped entries).")
    boolean acceptShrink;

    @Override
    int run(AdminClient client) throws CliException {
        if (acceptShrink && source == null) {
            throw new CliException("--accept-shrink needs the SOURCE whose shrink you accept");
        }
        JsonNode awaited = client.post("/v1/lists/sync",
                new ListsRoutes.SyncRequest(source, acceptShrink, acceptShrink ? Operator.current() : null)).path("awaited");
        if (awaited.isEmpty()) {
            System.out.println("no enabled community list sources");
            return 0;
        }
        Map<String, Long> waiting = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = awaited.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            waiting.put(e.getKey(), e.getValue().asLong());
        }
        boolean terminal = System.console() != null;
        PrintStream out = System.out;
        long deadline = System.nanoTime() + WAIT.toNanos();
        int failed = 0;
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new CliException("still syncing after " + WAIT.toMinutes() + " minutes: " + waiting.keySet());
            }
            JsonNode sources = client.get("/v1/lists").path("sources");
            for (JsonNode s : sources) {
                String name = s.path("name").asText();
                Long run = waiting.get(name);
                if (run == null) {
                    continue;
                }
                if (s.path("runsFinished").asLong() >= run) {
                    waiting.remove(name);
                    if (terminal) {
                        out.print("\r\033[K");
                    }
                    boolean ok = s.path("lastError").isNull() || s.path("lastErrorAt").isNull()
                            || !s.path("lastErrorAt").asText().equals(s.path("lastAttempt").asText());
                    if (ok) {
                        out.printf("%s: %,d entries in force%n", name, s.path("size").asInt());
                    } else {
                        failed++;
                        out.printf("%s: not applied, %,d entries kept: %s%n", name, s.path("size").asInt(),
                                s.path("lastError").asText());
                    }
                } else if (terminal && !s.path("running").isNull() && !s.path("running").isMissingNode()) {
                    out.print("\r\033[K" + progress(name, s.path("running")));
                    out.flush();
                }
            }
            sleep();
        }
        return failed == 0 ? 0 : 1;
    }

    /** {@code hub  [=========>          ]  45%  12.3 MB  180,000 entries  downloading} */
    static String progress(String name, JsonNode running) {
        long bytes = running.path("bytes").asLong();
        long total = running.path("totalBytes").asLong(-1);
        int entries = running.path("entries").asInt();
        String phase = running.path("phase").asText();
        StringBuilder bar = new StringBuilder("[");
        if (total > 0) {
            int filled = (int) Math.min(BAR, bytes * BAR / total);
            bar.append("=".repeat(Math.max(0, filled - 1))).append(filled > 0 ? ">" : "").append(" ".repeat(BAR - filled));
            bar.append("] ").append(String.format("%3d%%", Math.min(100, bytes * 100 / total)));
        } else {
            int pos = (int) ((System.currentTimeMillis() / 100) % BAR);
            bar.append(" ".repeat(pos)).append("<=>").append(" ".repeat(Math.max(0, BAR - pos - 3))).append("]     ");
        }
        return String.format("%-15s %s %8.1f MB %,11d entries  %s", name, bar, bytes / 1e6, entries, phase);
    }

    private static void sleep() throws CliException {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
