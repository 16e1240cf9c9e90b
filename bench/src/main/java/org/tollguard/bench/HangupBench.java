package org.tollguard.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.tollguard.Agent;
import org.tollguard.calls.CallView;
import org.tollguard.calls.HangupEnforcer;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Enforcer;

/**
 * The call backstop's reaction time on the real testbed: from the moment a call crosses a cap to the AMI
 * {@code Hangup} action sent and acknowledged.
 *
 * <p>Two phases, each many calls from sipp at a fixed rate: <b>max-duration</b> — phone 1002 (max-duration
 * {@code --max-duration}, default 2 s) calls a geographic number through the checked route and holds the call
 * longer than allowed; the cap is crossed at the answer as the agent saw it ({@code CallAnswered}) plus the
 * maximum duration. <b>unchecked</b> — phone 1003, whose route skips the pre-dial check, calls a blocked
 * destination (national amusement, 0909); the backstop judges an unchecked call once its pre-dial grace
 * (400 ms, {@code CallEngine.PRE_DIAL_GRACE}) has passed since the call started as the agent saw it
 * ({@code CallStarted}), so that is where the line is crossed. Both are exactly the conditions of
 * {@code CallEngine.tick()}.
 *
 * <p>Measured per hang-up, all on the agent's clock: crossing → the {@code HANGUP_CALL} decision created (the
 * engine noticed); → the AMI Hangup action written (an enforcer of ours, run right after {@code HangupEnforcer},
 * which sends the action before returning); → Asterisk's response (the {@code call hung up} log line of
 * {@code HangupEnforcer}). And on the PBX's SIP interface: 200 OK out (+ max duration) → the PBX's BYE out.
 *
 * <p>Options: {@code --calls 300} (per phase) {@code --rate 20} {@code --hold 6000} (ms sipp would keep each call)
 * {@code --max-duration 2s} {@code --phases max-duration,unchecked} {@code --warmup-calls 20} {@code --root --out}.
 */
public final class HangupBench {
    /** {@code CallEngine.PRE_DIAL_GRACE} (package-private there). */
    static final Duration PRE_DIAL_GRACE = Duration.ofMillis(400);
    private static final String ALLOWED = "0201234567";
    private static final String BLOCKED = "09091234567";

    private final Map<String, String> options;
    private final Path root;
    private final Path out;

    private HangupBench(Map<String, String> options) {
        this.options = options;
        this.root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        this.out = Path.of(options.getOrDefault("out", "bench/target/hangup")).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        System.exit(new HangupBench(Bench.options(args)).run());
    }

    /** One HANGUP_CALL decision as our enforcer saw it. */
    record Hangup(String callId, String rule, Instant created, Instant sent, Instant started, Instant answered) {}

    /** Records every hang-up right after {@code HangupEnforcer} sent it, with the call as the engine last published it. */
    static final class Probe implements Enforcer {
        private final Agent agent;
        final ConcurrentLinkedQueue<Hangup> seen = new ConcurrentLinkedQueue<>();

        Probe(Agent agent) {
            this.agent = agent;
        }

        @Override
        public boolean handles(Decision d) {
            return d.kind() == DecisionKind.HANGUP_CALL;
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> apply(Decision d) {
            Instant sent = Clock.systemUTC().instant();
            String callId = ((org.tollguard.decision.Target.Call) d.target()).callId();
            CallView call = agent.calls().calls().stream().filter(c -> c.callId().equals(callId)).findFirst().orElse(null);
            seen.add(new Hangup(callId, String.valueOf(d.evidence().get("rule")), d.created(), sent,
                    call == null ? null : call.started(), call == null ? null : call.answered()));
            return Enforcer.done();
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> lift(Decision d) {
            return Enforcer.done(); // nothing to undo
        }
    }

    private int run() throws Exception {
        int calls = Integer.parseInt(options.getOrDefault("calls", "300"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "20"));
        long hold = Long.parseLong(options.getOrDefault("hold", "6000"));
        String maxDuration = options.getOrDefault("max-duration", "2s");
        int warmup = Integer.parseInt(options.getOrDefault("warmup-calls", "20"));
        List<String> phases = List.of(options.getOrDefault("phases", "max-duration,unchecked").split(","));
        Files.createDirectories(out);
        CallBenchSupport.ensureTestbedUp(root);
        Path dir = Files.createTempDirectory("tollguard-bench-hangup");
        TollguardConfig config = CallBenchSupport.config(dir, """
                calls:
                  pre-dial: {listen: %s, port: %d}
                  defaults:
                    blocked-categories: [national-amusement, national-premium, high-risk]
                  accounts:
                    "1002": {max-duration: %s}
                """.formatted(CallBenchSupport.AGI_LISTEN, CallBenchSupport.AGI_PORT, maxDuration));
        Duration max = config.calls().accounts().get("1002").maxDuration();
        String loadBefore = CallBenchSupport.load();
        Map<String, List<Hangup>> byPhase = new LinkedHashMap<>();
        Map<String, long[]> windows = new LinkedHashMap<>();
        Map<String, Long> cut = new LinkedHashMap<>();
        List<CallBenchSupport.LogLine> acks;
        List<Pcap.Packet> sip;
        try (Agent agent = Agent.start(config, Clock.systemUTC())) {
            Bench.waitUntil(Duration.ofSeconds(20), () -> agent.ami().isConnected(), "AMI connection");
            Probe probe = new Probe(agent);
            agent.bans().decisions().addEnforcer(probe);
            CallBenchSupport.LogTap tap = CallBenchSupport.LogTap.attach(HangupEnforcer.class, "call ");
            Thread.sleep(1000);
            System.out.printf(Locale.ROOT, "hang-up latency: phases=%s, %d calls per phase at %.0f/s held %d ms, max-duration %s, %d warm-up calls per phase; load %s%n",
                    phases, calls, rate, hold, maxDuration, warmup, loadBefore);
            for (String phase : phases) {
                sipp(phase, "warmup-" + phase, warmup, rate, hold);
            }
            Thread.sleep(1000);
            probe.seen.clear();
            tap.take();
            try (Pcap capture = new Pcap(CallBenchSupport.PBX_NETNS, "pbx0", "udp port 5060", out.resolve("sip.pcap"))) {
                for (String phase : phases) {
                    long start = InstrumentedAgent.epochMicros();
                    Bench.Result r = sipp(phase, phase, calls, rate, hold);
                    Thread.sleep(500);
                    windows.put(phase, new long[] {start, InstrumentedAgent.epochMicros()});
                    List<Hangup> mine = new ArrayList<>();
                    Hangup h;
                    while ((h = probe.seen.poll()) != null) {
                        mine.add(h);
                    }
                    byPhase.put(phase, mine);
                    cut.put(phase, CallBenchSupport.sippLogLines(out.resolve("sipp").resolve(phase), "REMOTE_BYE"));
                    System.out.printf(Locale.ROOT, "  %s: sipp exit %d, %d hang-ups decided, %d calls cut by the PBX (sipp REMOTE_BYE); load %s%n",
                            phase, r.exit(), mine.size(), cut.get(phase), CallBenchSupport.load());
                }
                sip = capture.stopAndRead();
            }
            Thread.sleep(500);
            acks = tap.take();
        }
        return report(byPhase, acks, sip, windows, cut, max, rate, loadBefore);
    }

    private Bench.Result sipp(String phase, String name, int calls, double rate, long hold) throws IOException {
        Path d = out.resolve("sipp").resolve(name);
        if (Files.exists(d)) {
            try (var files = Files.list(d)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        boolean maxDuration = phase.equals("max-duration");
        return CallBenchSupport.sipp(root, d, maxDuration ? "1002" : "1003", maxDuration ? ALLOWED : BLOCKED, calls, rate,
                hold, maxDuration ? 5072 : 5073);
    }

    private int report(Map<String, List<Hangup>> byPhase, List<CallBenchSupport.LogLine> acks, List<Pcap.Packet> sip,
                       Map<String, long[]> windows, Map<String, Long> cut, Duration max, double rate, String loadBefore)
            throws IOException {
        Map<String, Instant> ackAt = new HashMap<>();
        int failed = 0;
        for (CallBenchSupport.LogLine l : acks) {
            if (l.message().startsWith("call hung up")) {
                ackAt.putIfAbsent(l.values().get("call"), l.at());
            }
        }
        for (CallBenchSupport.LogLine l : acks) {
            if (!l.message().startsWith("call hung up")) {
                failed++;
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| phase | measure | n | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|---|\n");
        Map<String, List<Double>> all = new LinkedHashMap<>();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("hangups.csv")))) {
            csv.println("phase,call_id,rule,crossing,created,sent,acked,to_decision_ms,to_sent_ms,to_ack_ms");
            for (Map.Entry<String, List<Hangup>> e : byPhase.entrySet()) {
                List<Double> decided = new ArrayList<>();
                List<Double> sent = new ArrayList<>();
                List<Double> acked = new ArrayList<>();
                int unknown = 0;
                for (Hangup h : e.getValue()) {
                    Instant crossing = switch (h.rule()) {
                        case "max-duration" -> h.answered() == null ? null : h.answered().plus(max);
                        default -> h.started() == null ? null : h.started().plus(PRE_DIAL_GRACE);
                    };
                    if (crossing == null) {
                        unknown++;
                        continue;
                    }
                    Instant ack = ackAt.get(h.callId());
                    double d = CallBenchSupport.micros(crossing, h.created()) / 1000;
                    double s = CallBenchSupport.micros(crossing, h.sent()) / 1000;
                    double a = ack == null ? Double.NaN : CallBenchSupport.micros(crossing, ack) / 1000;
                    decided.add(d);
                    sent.add(s);
                    if (ack != null) {
                        acked.add(a);
                    }
                    all.computeIfAbsent("decided", k -> new ArrayList<>()).add(d);
                    all.computeIfAbsent("sent", k -> new ArrayList<>()).add(s);
                    if (ack != null) {
                        all.computeIfAbsent("acked", k -> new ArrayList<>()).add(a);
                    }
                    csv.printf(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%.3f,%.3f,%.3f%n", e.getKey(), h.callId(), h.rule(), crossing,
                            h.created(), h.sent(), ack, d, s, a);
                }
                md.append(row(e.getKey(), "cap crossed → HANGUP_CALL decision created (ms)", decided));
                md.append(row(e.getKey(), "cap crossed → AMI Hangup action sent (ms)", sent));
                md.append(row(e.getKey(), "cap crossed → Asterisk's response to the Hangup (ms)", acked));
                if (unknown > 0) {
                    md.append("| ").append(e.getKey()).append(" | hang-ups whose call was not in the engine's view: ").append(unknown)
                            .append(" | | | | | |\n");
                }
            }
        }
        if (byPhase.size() > 1) {
            md.append(row("all", "cap crossed → HANGUP_CALL decision created (ms)", all.getOrDefault("decided", List.of())));
            md.append(row("all", "cap crossed → AMI Hangup action sent (ms)", all.getOrDefault("sent", List.of())));
            md.append(row("all", "cap crossed → Asterisk's response to the Hangup (ms)", all.getOrDefault("acked", List.of())));
        }
        // the wire: the PBX's 200 OK (+ max duration) → the PBX's BYE
        Map<String, long[]> wire = new LinkedHashMap<>(); // call-id → {200 OK out, BYE out, first INVITE in, caller 1002?, 200 to the BYE in}
        for (Pcap.Packet p : sip) {
            if (p.payload().length == 0) {
                continue;
            }
            String text = p.text();
            String callId = PreDialBench.header(text, "Call-ID", "i");
            String cseq = PreDialBench.header(text, "CSeq", null);
            if (callId == null || cseq == null) {
                continue;
            }
            long[] w = wire.computeIfAbsent(callId, k -> new long[] {-1, -1, -1, 0, -1});
            if (text.startsWith("INVITE ") && w[2] < 0) {
                w[2] = p.epochMicros();
                String from = PreDialBench.header(text, "From", "f");
                w[3] = from != null && from.contains("sip:1002@") ? 1 : 0;
            } else if (text.startsWith("SIP/2.0 200") && cseq.endsWith("INVITE") && p.src().equals(CallBenchSupport.PBX) && w[0] < 0) {
                w[0] = p.epochMicros();
            } else if (text.startsWith("BYE ") && p.src().equals(CallBenchSupport.PBX) && w[1] < 0) {
                w[1] = p.epochMicros();
            } else if (text.startsWith("SIP/2.0 200") && cseq.endsWith("BYE") && p.dst().equals(CallBenchSupport.PBX) && w[4] < 0) {
                w[4] = p.epochMicros();
            }
        }
        List<Double> wireMax = new ArrayList<>();
        for (long[] w : wire.values()) {
            if (w[3] == 1 && w[0] >= 0 && w[1] >= 0) {
                wireMax.add((w[1] - w[0] - max.toNanos() / 1000) / 1000.0);
            }
        }
        if (byPhase.containsKey("max-duration")) {
            md.append(row("max-duration", "wire: PBX's 200 OK + max duration → PBX's BYE (ms)", wireMax));
        }
        md.append('\n');
        long calls = wire.values().stream().filter(w -> w[2] >= 0).count();
        long byes = wire.values().stream().filter(w -> w[1] >= 0 && w[4] >= 0).count();
        md.append(String.format(Locale.ROOT, "on the wire: %d calls, %d ended by the PBX's BYE (answered 200 by the phone)%n", calls, byes));
        for (Map.Entry<String, List<Hangup>> e : byPhase.entrySet()) {
            md.append(String.format(Locale.ROOT, "%s: %d hang-ups decided; sipp logged REMOTE_BYE for %d calls (it counts"
                    + " a BYE that lands within ~2 ms of its hold loop's 200 ms tick as unexpected: answered, call failed)%n", e.getKey(), e.getValue().size(),
                    cut.get(e.getKey())));
        }
        md.append(String.format(Locale.ROOT, "Hangup responses logged: %d ok, %d failed; rate asked %.0f calls/s%n",
                ackAt.size(), failed, rate));
        md.append("load average before: ").append(loadBefore).append("; after: ").append(CallBenchSupport.load()).append('\n');
        Files.writeString(out.resolve("summary.md"), md.toString());
        System.out.println(md);
        System.out.println("per hang-up: " + out.resolve("hangups.csv"));
        return 0;
    }

    private static String row(String phase, String measure, List<Double> values) {
        return "| " + phase + " | " + measure + " | " + new Stats(values).row("%.2f") + " |\n";
    }
}
