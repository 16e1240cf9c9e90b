package org.tollguard.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;

/** What the call benchmarks on the testbed share: the testbed, sipp in tg-net, the agent's config, its log lines. */
final class CallBenchSupport {
    static final String PBX_NETNS = "tg-pbx";
    static final String NET_NETNS = "tg-net";
    static final String PBX = "198.51.100.1";
    static final String PHONE = "198.51.100.20";
    static final String AMI_HOST = "198.18.0.2";
    /** Where the testbed's dialplan sends its FastAGI requests ({@code TOLLGUARD_AGI}): fixed, so the agent listens here. */
    static final String AGI_LISTEN = "198.18.0.1";
    static final int AGI_PORT = 4573;

    private CallBenchSupport() {}

    /**
     * {@code testbed/asterisk up}: starts the testbed if it is down; if it is up, only copies this checkout's config
     * (with the dialplan include) into it and reloads when it changed — a testbed started from a checkout without the
     * include would otherwise skip the pre-dial check.
     */
    static void ensureTestbedUp(Path root) {
        Bench.run(600, root.resolve("testbed/asterisk").toString(), "up");
        if (!cli(root, "dialplan show tollguard-predial").contains("tollguard-predial")) {
            throw new IllegalStateException("the testbed's dialplan has no tollguard-predial context after 'up'");
        }
    }

    static String cli(Path root, String command) {
        return Bench.run(60, root.resolve("testbed/asterisk").toString(), "cli", command);
    }

    /** The agent's config for the testbed (log-only firewall: these benchmarks ban nobody), plus a calls section. */
    static TollguardConfig config(Path dir, String calls) {
        String yaml = """
                store: {path: "%s"}
                api: {port: %d, token-file: "%s"}
                asterisk: {host: %s, secret: testbed-ami-secret, reconnect-max: 2s}
                firewall: {backend: log}
                %s
                """.formatted(dir.resolve("tollguard.db"), Bench.freePort(), dir.resolve("api.token"), AMI_HOST, calls);
        try {
            return ConfigLoader.parse("bench config", yaml);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * One sipp run of {@code testbed/sipp/call.xml} in tg-net, from {@value #PHONE}, with per-call response times
     * ({@code -trace_rtt}, every call) and the scenario's log actions ({@code REMOTE_BYE}) written to {@code dir}.
     */
    static Bench.Result sipp(Path root, Path dir, String account, String number, int calls, double rate, long holdMillis,
                             int localPort) throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NET_NETNS, "sipp",
                "-sf", root.resolve("testbed/sipp/call.xml").toString(), "-i", PHONE, "-p", Integer.toString(localPort),
                "-s", number, "-key", "caller", account, "-au", account, "-ap", "pw-" + account + "-secret",
                "-set", "hold_ms", Long.toString(holdMillis), "-r", String.format(Locale.ROOT, "%.3f", rate), "-rp", "1000",
                "-m", Integer.toString(calls), "-l", "2000", "-timeout", (calls / Math.max(1, (int) rate) + holdMillis / 1000 + 60) + "s",
                "-nostdin", "-trace_rtt", "-rtt_freq", "1", "-trace_stat", "-fd", "1", "-trace_logs",
                "-timeout_error", PBX + ":5060"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            int exit = p.waitFor();
            return new Bench.Result(exit, Files.readString(dir.resolve("sipp.out")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** sipp's per-call response times (ms) from the {@code *_rtt.csv} file in {@code dir}. */
    static List<Double> sippResponseTimes(Path dir) throws IOException {
        List<Double> values = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("_rtt.csv")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String[] cols = line.split(";");
                    if (cols.length >= 2 && !cols[0].startsWith("Date")) {
                        try {
                            values.add(Double.parseDouble(cols[1]));
                        } catch (NumberFormatException ignored) {
                            // header or partial line
                        }
                    }
                }
            }
        }
        return values;
    }

    /** Lines of sipp's log-action file ({@code *_logs.log}) in {@code dir} that contain {@code word}. */
    static long sippLogLines(Path dir, String word) throws IOException {
        long n = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("_logs.log")).toList()) {
                n += Files.readAllLines(f).stream().filter(l -> l.contains(word)).count();
            }
        }
        return n;
    }

    /** A log line of the agent as it was logged: the instant logback stamped it with, and its key=value words. */
    record LogLine(Instant at, String message, Map<String, String> values) {}

    /** Collects the agent's log lines of one logger that start with {@code prefix}, with their full-precision instant. */
    static final class LogTap extends AppenderBase<ILoggingEvent> {
        private final String prefix;
        private final ConcurrentLinkedQueue<LogLine> lines = new ConcurrentLinkedQueue<>();

        private LogTap(String prefix) {
            this.prefix = prefix;
        }

        static LogTap attach(Class<?> loggerOf, String prefix) {
            LogTap tap = new LogTap(prefix);
            tap.setName("bench-" + loggerOf.getSimpleName());
            tap.setContext(((Logger) LoggerFactory.getLogger(loggerOf)).getLoggerContext());
            tap.start();
            ((Logger) LoggerFactory.getLogger(loggerOf)).addAppender(tap);
            return tap;
        }

        @Override
        protected void append(ILoggingEvent event) {
            String message = event.getFormattedMessage();
            if (message.startsWith(prefix)) {
                lines.add(new LogLine(event.getInstant(), message, Bench.keyValues(message)));
            }
        }

        List<LogLine> take() {
            List<LogLine> all = new ArrayList<>();
            LogLine l;
            while ((l = lines.poll()) != null) {
                all.add(l);
            }
            return all;
        }
    }

    static double micros(Instant a, Instant b) {
        return (b.getEpochSecond() - a.getEpochSecond()) * 1e6 + (b.getNano() - a.getNano()) / 1e3;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
