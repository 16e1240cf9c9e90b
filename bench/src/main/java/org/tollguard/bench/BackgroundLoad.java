package org.tollguard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Load on the testbed while a benchmark measures, so that its figures say what happens on a busy PBX: a scan wave
 * through Asterisk and AMI (svcrack from phone addresses the agent allowlists and fail2ban ignores, so they are
 * never banned and never stop), a call load (sipp's {@code call.xml} from phone 1002, through the pre-dial check,
 * held for a while), and processes that only burn CPU.
 *
 * <p>Options: {@code --load-scanners N} (at most 5, from 198.51.100.25-29), {@code --load-calls CALLS_PER_SECOND},
 * {@code --load-hold-ms MS} (20000), {@code --load-busy N} (spinning shells). None given: no load.
 */
final class BackgroundLoad implements AutoCloseable {
    static final List<String> SCANNERS = List.of("198.51.100.25", "198.51.100.26", "198.51.100.27", "198.51.100.28",
            "198.51.100.29");
    private static final String CALLER = "198.51.100.24";
    private static final String NUMBER = "0201234567";

    private final List<Process> processes = new ArrayList<>();
    private final List<Thread> restarters = new ArrayList<>();
    private final String description;
    private volatile boolean closed;
    /** The testbed's control script, set when a call load runs: its calls must be hung up at the end. */
    private Path testbed;

    private BackgroundLoad(String description) {
        this.description = description;
    }

    static BackgroundLoad start(Path root, Path out, Map<String, String> options) throws IOException {
        int scanners = Math.min(SCANNERS.size(), Integer.parseInt(options.getOrDefault("load-scanners", "0")));
        double calls = Double.parseDouble(options.getOrDefault("load-calls", "0"));
        long holdMillis = Long.parseLong(options.getOrDefault("load-hold-ms", "20000"));
        int busy = Integer.parseInt(options.getOrDefault("load-busy", "0"));
        BackgroundLoad load = new BackgroundLoad(String.format(Locale.ROOT,
                "%d svcrack scanners, %.0f calls/s held %d ms, %d CPU spinners", scanners, calls, holdMillis, busy));
        for (int i = 0; i < scanners; i++) {
            String address = SCANNERS.get(i);
            load.keepRunning("svcrack " + address, () -> Bench.asOthers("ip", "netns", "exec", "tg-net",
                    root.resolve("testbed/svcrack").toString(), "-b", address, "-u", "1001", "-r", "1-999999",
                    "198.51.100.1"));
        }
        if (calls > 0) {
            load.testbed = root.resolve("testbed/asterisk");
            Path dir = out.resolve("load-sipp");
            Files.createDirectories(dir);
            long concurrent = Math.round(calls * holdMillis / 1000.0 * 1.5) + 20;
            load.keepRunning("sipp call load", () -> Bench.asOthers("ip", "netns", "exec", "tg-net", "sipp",
                    "-sf", root.resolve("testbed/sipp/call.xml").toString(), "-i", CALLER, "-p", "5072",
                    "-s", NUMBER, "-key", "caller", "1002", "-au", "1002", "-ap", "pw-1002-secret",
                    "-set", "hold_ms", Long.toString(holdMillis), "-r", String.format(Locale.ROOT, "%.3f", calls),
                    "-rp", "1000", "-l", Long.toString(concurrent), "-m", "100000000", "-nostdin",
                    "-trace_stat", "-fd", "10", "198.51.100.1:5060").directory(dir.toFile()));
        }
        for (int i = 0; i < busy; i++) {
            load.keepRunning("spinner", () -> Bench.asOthers("sh", "-c", "while :; do :; done"));
        }
        return load;
    }

    /** Starts the process and starts it again whenever it ends (svcrack gives up after its range), until closed. */
    private void keepRunning(String name, java.util.function.Supplier<ProcessBuilder> factory) {
        Thread t = new Thread(() -> {
            while (!closed) {
                try {
                    Process p = factory.get().redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    synchronized (processes) {
                        processes.add(p);
                    }
                    p.waitFor();
                    if (!closed) {
                        Thread.sleep(200);
                    }
                } catch (IOException e) {
                    System.out.println("load: cannot start " + name + ": " + e.getMessage());
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "load-" + name);
        t.setDaemon(true);
        t.start();
        restarters.add(t);
    }

    boolean isEmpty() {
        return restarters.isEmpty();
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (processes) {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }
        }
        restarters.forEach(Thread::interrupt);
        if (testbed != null) {
            // A killed sipp sends no BYE: without this its calls stay up in Asterisk and load the next run.
            Bench.runAllowingFailure(30, testbed.toString(), "cli", "channel request hangup all");
        }
    }
}
