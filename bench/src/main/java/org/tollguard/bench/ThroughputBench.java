package org.tollguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.tollguard.Agent;
import org.tollguard.config.FirewallConfig;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.DecisionKind;

/**
 * Throughput: the real agent ({@link Agent#start}, default ban settings) logged in to an {@link AmiReplayServer}
 * (a child process) that streams security events at a fixed rate. Every second it samples what the server has
 * sent, what the ban engine has processed and dropped, the heap and the GC; at the end it waits for the agent to
 * catch up and reports. {@code backlog} = sent - processed - dropped: events on their way (socket buffers,
 * asterisk-java's event pump, the engine's queue). Anything still missing after the drain is lost.
 *
 * <p>The first {@code --warmup} seconds (default 30) warm the JIT up and are not measured: the agent is a
 * long-running service. Options: {@code --rate 20000 --warmup 30 --seconds 60 --banned-per-second 0 --pool 500000 --backend log|ipset|nftables
 * --out DIR}. With ipset or nftables the bans go to a network namespace of its own ({@code tgbench-*}), deleted
 * at the end.
 */
public final class ThroughputBench {
    private final Map<String, String> options;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong behindNow = new AtomicLong();
    private final AtomicLong streamStart = new AtomicLong();
    private final AtomicReference<String> done = new AtomicReference<>();
    private final AtomicLong bans = new AtomicLong();

    private ThroughputBench(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        int status = new ThroughputBench(Bench.options(args)).run();
        System.exit(status);
    }

    private int run() throws Exception {
        int rate = Integer.parseInt(options.getOrDefault("rate", "20000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "30"));
        int bannedPerSecond = Integer.parseInt(options.getOrDefault("banned-per-second", "0"));
        String pool = options.getOrDefault("pool", "500000");
        FirewallConfig.Backend backend = FirewallConfig.Backend.valueOf(options.getOrDefault("backend", "log").toUpperCase(Locale.ROOT));
        Path out = Path.of(options.getOrDefault("out", "bench/target/throughput"));
        Files.createDirectories(out);
        Path dir = Files.createTempDirectory("tollguard-bench");

        String netns = null;
        if (backend != FirewallConfig.Backend.LOG) {
            netns = Bench.createNetns("tgbench");
        }
        Process server = startServer(rate, warmup + seconds + 1, bannedPerSecond, pool);
        Agent agent = null;
        TollguardConfig config = null;
        try {
            int port = awaitReady(server);
            config = ConfigLoader.parse("bench config", """
                    store: {path: "%s"}
                    api: {port: %d, token-file: "%s"}
                    asterisk: {host: 127.0.0.1, port: %d, secret: bench-secret, reconnect-max: 2s}
                    firewall: {backend: %s%s}
                    calls:
                      pre-dial: {port: %d}
                    """.formatted(dir.resolve("tollguard.db"), Bench.freePort(), dir.resolve("api.token"), port,
                    backend.name().toLowerCase(Locale.ROOT), netns == null ? "" : ", netns: " + netns, Bench.freePort()));
            agent = Agent.start(config, Clock.systemUTC());
            Agent a = agent;
            Bench.waitUntil(Duration.ofSeconds(20), () -> a.ami().isConnected(), "AMI login to the replay server");
            agent.bans().decisions().addListener(d -> {
                if (d.kind() == DecisionKind.BAN_ADDRESS) {
                    bans.incrementAndGet();
                }
            });
            System.out.printf(Locale.ROOT, "throughput: rate=%d/s warmup=%d s measured=%d s banned-per-second=%d pool=%s backend=%s netns=%s heap-max=%dMB gc=%s cpus=%d%n",
                    rate, warmup, seconds, bannedPerSecond, pool, backend.name().toLowerCase(Locale.ROOT), netns,
                    Runtime.getRuntime().maxMemory() >> 20, gcNames(), Runtime.getRuntime().availableProcessors());
            return measure(agent, server, rate, warmup, seconds, out);
        } finally {
            if (agent != null) {
                agent.close();
            }
            server.destroy();
            if (netns != null) {
                Bench.deleteNetns(netns);
            }
        }
    }

    private int measure(Agent agent, Process server, int rate, int warmup, int seconds, Path out) throws Exception {
        var engine = agent.banEngine();
        var memory = ManagementFactory.getMemoryMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        GcWatch gc = GcWatch.start();
        long total = (long) rate * (warmup + seconds + 1);
        long processed0 = engine.processedEvents();

        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("samples.csv")))) {
            csv.println("t_s,scheduled,sent,processed,dropped,backlog,bans,heap_used_mb,heap_after_last_gc_mb,tracked_addresses,cpu_pct");
            server.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            server.getOutputStream().flush();
            Bench.waitUntil(Duration.ofSeconds(10), () -> streamStart.get() != 0, "the stream to start");
            long startMs = streamStart.get();
            long windowStartMs = startMs + warmup * 1000L;
            long windowEndMs = windowStartMs + seconds * 1000L;
            Window w = null;
            long lastCsvMs = 0;
            long lastCpu = os.getProcessCpuTime();
            long lastCpuMs = System.currentTimeMillis();
            double cpuPct = 0;
            long doneAtMs = 0;
            while (true) {
                Thread.sleep(100);
                long nowMs = System.currentTimeMillis();
                long scheduled = Math.min(total, rate * (nowMs - startMs) / 1000);
                long processed = engine.processedEvents() - processed0;
                long dropped = engine.droppedEvents();
                long backlog = scheduled - processed - dropped;
                long heap = memory.getHeapMemoryUsage().getUsed();
                if (w == null && nowMs >= windowStartMs) {
                    w = new Window(nowMs, processed, dropped, os.getProcessCpuTime(), gc.snapshot());
                    System.out.printf(Locale.ROOT, "  -- warm-up over, measuring %d s --%n", seconds);
                }
                if (w != null && nowMs <= windowEndMs) {
                    w.maxBacklog = Math.max(w.maxBacklog, backlog);
                    w.maxHeap = Math.max(w.maxHeap, heap);
                    w.maxBehind = Math.max(w.maxBehind, behindNow.get());
                }
                if (w != null && w.endMs == 0 && nowMs >= windowEndMs) {
                    w.close(nowMs, processed, dropped, os.getProcessCpuTime(), gc.snapshot());
                }
                if (nowMs - lastCsvMs >= 1000) {
                    long cpu = os.getProcessCpuTime();
                    cpuPct = 100.0 * (cpu - lastCpu) / ((nowMs - lastCpuMs) * 1e6);
                    lastCpu = cpu;
                    lastCpuMs = nowMs;
                    lastCsvMs = nowMs;
                    double t = (nowMs - startMs) / 1000.0;
                    csv.printf(Locale.ROOT, "%.1f,%d,%d,%d,%d,%d,%d,%.1f,%.1f,%d,%.0f%n", t, scheduled, sent.get(), processed,
                            dropped, backlog, bans.get(), heap / 1048576.0, gc.lastAfterBytes() / 1048576.0,
                            engine.trackedAddresses(), cpuPct);
                    csv.flush();
                    if (Math.round(t) % 5 == 0) {
                        System.out.printf(Locale.ROOT, "  t=%3.0fs processed=%d (%s/s) backlog=%d dropped=%d bans=%d heap=%.0fMB after-gc=%.0fMB tracked=%d cpu=%.0f%%%n",
                                t, processed, "~" + rate, backlog, dropped, bans.get(), heap / 1048576.0,
                                gc.lastAfterBytes() / 1048576.0, engine.trackedAddresses(), cpuPct);
                    }
                }
                if (done.get() != null && doneAtMs == 0) {
                    doneAtMs = nowMs;
                }
                if (doneAtMs != 0 && (backlog <= 0 || nowMs - doneAtMs > 60_000)) {
                    break;
                }
                if (!server.isAlive() && done.get() == null) {
                    throw new IllegalStateException("the replay server died");
                }
            }
            long endMs = System.currentTimeMillis();
            long processed = engine.processedEvents() - processed0;
            long dropped = engine.droppedEvents();
            long s = sent.get();
            long lost = s - processed - dropped;
            double windowSeconds = (w.endMs - w.startMs) / 1000.0;
            Map<String, String> result = new LinkedHashMap<>();
            result.put("server", done.get());
            result.put("window_s", String.format(Locale.ROOT, "%.1f", windowSeconds));
            result.put("processed_per_s_in_window", String.format(Locale.ROOT, "%.0f", (w.endProcessed - w.startProcessed) / windowSeconds));
            result.put("max_backlog_events_in_window", Long.toString(w.maxBacklog));
            result.put("max_backlog_ms_in_window", String.format(Locale.ROOT, "%.0f", w.maxBacklog * 1000.0 / rate));
            result.put("server_max_behind_in_window", Long.toString(w.maxBehind));
            result.put("dropped_in_window", Long.toString(w.endDropped - w.startDropped));
            result.put("sent_total", Long.toString(s));
            result.put("processed_total", Long.toString(processed));
            result.put("dropped_total", Long.toString(dropped));
            result.put("lost_total", Long.toString(lost));
            result.put("drain_ms_after_last_event", Long.toString(endMs - doneAtMs));
            result.put("bans_total", Long.toString(bans.get()));
            result.put("tracked_addresses_at_end", Integer.toString(engine.trackedAddresses()));
            result.put("heap_max_mb", Long.toString(Runtime.getRuntime().maxMemory() >> 20));
            result.put("heap_used_peak_mb_in_window", String.format(Locale.ROOT, "%.0f", w.maxHeap / 1048576.0));
            result.put("heap_after_gc_peak_mb_in_window", String.format(Locale.ROOT, "%.0f", (w.endGc.maxAfterBytes()) / 1048576.0));
            result.put("gc_count_in_window", Long.toString(w.endGc.count() - w.startGc.count()));
            result.put("gc_ms_in_window", Long.toString(w.endGc.totalMillis() - w.startGc.totalMillis()));
            result.put("gc_max_pause_ms_in_window", Long.toString(w.endGc.maxPauseMillisSince(w.startGc)));
            result.put("cpu_pct_of_one_core_in_window", String.format(Locale.ROOT, "%.0f", 100.0 * (w.endCpu - w.startCpu) / (windowSeconds * 1e9)));
            System.gc(); // a full collection: what is left is what the agent really holds
            long live = memory.getHeapMemoryUsage().getUsed();
            result.put("live_heap_mb_after_full_gc_at_end", String.format(Locale.ROOT, "%.0f", live / 1048576.0));
            result.put("live_heap_bytes_per_tracked_address", Long.toString(live / Math.max(1, engine.trackedAddresses())));
            try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(out.resolve("result.txt")))) {
                result.forEach((k, v) -> file.println(k + "=" + v));
            }
            System.out.println("result:");
            result.forEach((k, v) -> System.out.println("  " + k + "=" + v));
            System.out.println("samples: " + out.resolve("samples.csv"));
            boolean ok = lost == 0 && dropped == 0 && s == total;
            System.out.println(ok ? "PASS: every event processed, none dropped or lost" : "FAIL: events dropped or lost");
            return ok ? 0 : 1;
        }
    }

    /** The measured window, after the warm-up. */
    private static final class Window {
        final long startMs;
        final long startProcessed;
        final long startDropped;
        final long startCpu;
        final GcWatch.Snapshot startGc;
        long endMs;
        long endProcessed;
        long endDropped;
        long endCpu;
        GcWatch.Snapshot endGc;
        long maxBacklog;
        long maxHeap;
        long maxBehind;

        Window(long startMs, long processed, long dropped, long cpu, GcWatch.Snapshot gc) {
            this.startMs = startMs;
            this.startProcessed = processed;
            this.startDropped = dropped;
            this.startCpu = cpu;
            this.startGc = gc;
        }

        void close(long ms, long processed, long dropped, long cpu, GcWatch.Snapshot gc) {
            endMs = ms;
            endProcessed = processed;
            endDropped = dropped;
            endCpu = cpu;
            endGc = gc;
        }
    }

    private Process startServer(int rate, int seconds, int bannedPerSecond, String pool) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Bench.java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), AmiReplayServer.class.getName(),
                "--rate", Integer.toString(rate), "--seconds", Integer.toString(seconds),
                "--banned-per-second", Integer.toString(bannedPerSecond), "--pool", pool, "--secret", "bench-secret"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("SENT ")) {
                        Map<String, String> kv = Bench.keyValues(line);
                        sent.set(Long.parseLong(kv.get("sent")));
                        behindNow.set(Long.parseLong(kv.get("behind")));
                    } else if (line.startsWith("STREAMING ")) {
                        streamStart.set(Long.parseLong(Bench.keyValues(line).get("start_epoch_ms")));
                    } else if (line.startsWith("DONE ")) {
                        Map<String, String> kv = Bench.keyValues(line);
                        sent.set(Long.parseLong(kv.get("sent")));
                        done.set(line.substring(5));
                    } else if (line.startsWith("READY ")) {
                        readyPort.set(Integer.parseInt(Bench.keyValues(line).get("port")));
                    } else if (line.startsWith("STREAM-ENDED")) {
                        System.out.println("replay server: " + line);
                    }
                }
            } catch (IOException e) {
                // server gone
            }
        }, "replay-server-output");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private final AtomicLong readyPort = new AtomicLong();

    private int awaitReady(Process server) {
        Bench.waitUntil(Duration.ofSeconds(20), () -> readyPort.get() != 0 || !server.isAlive(), "the replay server");
        if (readyPort.get() == 0) {
            throw new IllegalStateException("the replay server did not start");
        }
        return (int) readyPort.get();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static String gcNames() {
        return String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
    }
}
