package org.tollguard.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tollguard.Agent;
import org.tollguard.asterisk.PreDialAgiServer;
import org.tollguard.config.TollguardConfig;

/**
 * What the pre-dial check adds to call set-up, on the real testbed at a fixed call rate.
 *
 * <p>Two arms, run in alternating blocks with the agent running throughout: <b>check</b> — phone 1001, whose
 * context {@code from-phones} runs the include ({@code Gosub(tollguard-predial)} → {@code AGI(agi://198.18.0.1:4573/predial)})
 * before dialling the fake provider; <b>no check</b> — phone 1003, whose context {@code from-phones-nocheck} is the
 * same route without the include. Every call is sipp's {@code call.xml} to a geographic number (allowed), hung up
 * by sipp right after the answer.
 *
 * <p>Measured per call: on the PBX's SIP interface (tcpdump on pbx0 in tg-pbx), the time from the INVITE with
 * credentials arriving to the 200 OK leaving, and from the first INVITE (before the 401 challenge) to the 200 OK;
 * sipp's own response time (first INVITE sent → 200 received); on the agent's side of the management link
 * (tcpdump on tg-mgmt0), each FastAGI connection from Asterisk's SYN to the agent's FIN, cut into its steps; and
 * in the agent, from {@code service()} being called to the channel variables set (its {@code pre-dial} log line).
 *
 * <p>Options: {@code --calls 1000} (per arm, over all blocks) {@code --rate 50} {@code --blocks 2}
 * {@code --warmup-calls 250} {@code --root DIR --out DIR}; a scan wave and CPU load meanwhile with
 * {@code --load-scanners N --load-busy N} ({@link BackgroundLoad}).
 */
public final class PreDialBench {
    private static final String NUMBER = "0201234567";
    private static final List<String> ARMS = List.of("check", "nocheck");

    private final Map<String, String> options;
    private final Path root;
    private final Path out;

    private PreDialBench(Map<String, String> options) {
        this.options = options;
        this.root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        this.out = Path.of(options.getOrDefault("out", "bench/target/predial")).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        System.exit(new PreDialBench(Bench.options(args)).run());
    }

    /** One sipp block of one arm: when it ran. */
    record Block(String arm, int n, long startMicros, long endMicros, int exit, Path dir) {}

    /** A call as the PBX's SIP interface saw it. */
    static final class SipCall {
        String callId;
        String from;
        long firstInvite = -1;
        long authInvite = -1;
        long ok = -1;
    }

    /** A FastAGI connection as the management link saw it. */
    static final class AgiConnection {
        String uniqueId;
        long syn = -1;
        long requestDone = -1;
        long firstCommand = -1;
        long lastReply = -1;
        long agentFin = -1;
        int replies;
        final StringBuilder request = new StringBuilder();
    }

    private int run() throws Exception {
        int calls = Integer.parseInt(options.getOrDefault("calls", "1000"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "50"));
        int blocks = Integer.parseInt(options.getOrDefault("blocks", "2"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup-calls", "250"));
        Files.createDirectories(out);
        CallBenchSupport.ensureTestbedUp(root);
        Path dir = Files.createTempDirectory("tollguard-bench-predial");
        TollguardConfig config = CallBenchSupport.config(dir, """
                calls:
                  pre-dial: {listen: %s, port: %d}
                """.formatted(CallBenchSupport.AGI_LISTEN, CallBenchSupport.AGI_PORT));
        String loadBefore = CallBenchSupport.load();
        List<Block> done = new ArrayList<>();
        List<Pcap.Packet> sip;
        List<Pcap.Packet> agi;
        List<CallBenchSupport.LogLine> checks;
        if (options.containsKey("load-calls")) {
            throw new IllegalArgumentException("--load-calls: the measured calls are the call load here; use"
                    + " --load-scanners and --load-busy");
        }
        try (Agent agent = Agent.start(config, Clock.systemUTC());
             BackgroundLoad load = BackgroundLoad.start(root, out, options)) {
            Bench.waitUntil(Duration.ofSeconds(20), () -> agent.ami().isConnected(), "AMI connection");
            if (!load.isEmpty()) {
                Thread.sleep(20_000); // let the load reach its level
                loadBefore = load + "; " + CallBenchSupport.load();
            }
            CallBenchSupport.LogTap tap = CallBenchSupport.LogTap.attach(PreDialAgiServer.class, "pre-dial call=");
            Thread.sleep(1000);
            System.out.printf(Locale.ROOT, "pre-dial: %d calls per arm at %.0f/s in %d blocks per arm, %d warm-up calls per arm; load %s%n",
                    calls, rate, blocks, warmup, loadBefore);
            for (String arm : ARMS) { // JIT, first connections: not counted
                Block b = block(arm, -1, warmup, rate);
                System.out.printf(Locale.ROOT, "  warm-up %s: sipp exit %d%n", arm, b.exit());
            }
            tap.take();
            try (Pcap sipCapture = new Pcap(CallBenchSupport.PBX_NETNS, "pbx0", "udp port 5060", out.resolve("sip.pcap"));
                 Pcap agiCapture = new Pcap(null, "tg-mgmt0", "tcp port " + CallBenchSupport.AGI_PORT, out.resolve("agi.pcap"))) {
                for (int i = 0; i < blocks; i++) {
                    List<String> order = i % 2 == 0 ? ARMS : List.of(ARMS.get(1), ARMS.get(0));
                    for (String arm : order) {
                        int n = calls / blocks + (i < calls % blocks ? 1 : 0);
                        Block b = block(arm, i, n, rate);
                        done.add(b);
                        System.out.printf(Locale.ROOT, "  block %d %s: %d calls, sipp exit %d, load %s%n", i, arm, n, b.exit(),
                                CallBenchSupport.load());
                    }
                }
                Thread.sleep(500);
                sip = sipCapture.stopAndRead();
                agi = agiCapture.stopAndRead();
            }
            checks = tap.take();
        }
        return report(done, sip, agi, checks, rate, loadBefore);
    }

    private Block block(String arm, int n, int calls, double rate) throws IOException {
        String account = arm.equals("check") ? "1001" : "1003";
        Path d = out.resolve("sipp").resolve((n < 0 ? "warmup" : "block" + n) + "-" + arm);
        if (Files.exists(d)) {
            try (var files = Files.list(d)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        long start = InstrumentedAgent.epochMicros();
        Bench.Result r = CallBenchSupport.sipp(root, d, account, NUMBER, calls, rate, 0, 5070);
        long end = InstrumentedAgent.epochMicros();
        return new Block(arm, n, start, end, r.exit(), d);
    }

    // ---------------------------------------------------------------- analysis

    static Map<String, SipCall> sipCalls(List<Pcap.Packet> packets) {
        Map<String, SipCall> calls = new LinkedHashMap<>();
        for (Pcap.Packet p : packets) {
            if (p.payload().length == 0) {
                continue;
            }
            String text = p.text();
            String callId = header(text, "Call-ID", "i");
            String cseq = header(text, "CSeq", null);
            if (callId == null || cseq == null) {
                continue;
            }
            if (text.startsWith("INVITE ") && p.dst().equals(CallBenchSupport.PBX)) {
                SipCall c = calls.computeIfAbsent(callId, k -> new SipCall());
                c.callId = callId;
                String from = header(text, "From", "f");
                if (from != null && c.from == null) {
                    int sip = from.indexOf("sip:");
                    int at = from.indexOf('@');
                    c.from = sip >= 0 && at > sip ? from.substring(sip + 4, at) : from;
                }
                if (cseq.startsWith("1 ") && c.firstInvite < 0) {
                    c.firstInvite = p.epochMicros();
                } else if (cseq.startsWith("2 ") && c.authInvite < 0) {
                    c.authInvite = p.epochMicros();
                }
            } else if (text.startsWith("SIP/2.0 200") && cseq.endsWith("INVITE") && p.src().equals(CallBenchSupport.PBX)) {
                SipCall c = calls.get(callId);
                if (c != null && c.ok < 0) {
                    c.ok = p.epochMicros();
                }
            }
        }
        return calls;
    }

    static String header(String message, String name, String compact) {
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String h = line.substring(0, colon).strip();
            if (h.equalsIgnoreCase(name) || (compact != null && h.equalsIgnoreCase(compact))) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    static Map<String, AgiConnection> agiConnections(List<Pcap.Packet> packets) {
        Map<String, AgiConnection> byPort = new LinkedHashMap<>();
        Map<String, AgiConnection> result = new LinkedHashMap<>();
        for (Pcap.Packet p : packets) {
            boolean fromAsterisk = p.dstPort() == CallBenchSupport.AGI_PORT;
            String key = fromAsterisk ? p.src() + ":" + p.srcPort() : p.dst() + ":" + p.dstPort();
            if (fromAsterisk && p.syn()) {
                AgiConnection c = new AgiConnection();
                c.syn = p.epochMicros();
                byPort.put(key, c);
                result.put(key + "@" + p.epochMicros(), c);
                continue;
            }
            AgiConnection c = byPort.get(key);
            if (c == null) {
                continue;
            }
            if (p.payload().length > 0) {
                String text = p.text();
                if (fromAsterisk) {
                    if (c.requestDone < 0) {
                        c.request.append(text);
                        if (c.request.indexOf("\n\n") >= 0) {
                            c.requestDone = p.epochMicros();
                            for (String line : c.request.toString().split("\n")) {
                                if (line.startsWith("agi_uniqueid:")) {
                                    c.uniqueId = line.substring("agi_uniqueid:".length()).strip();
                                }
                            }
                        }
                    } else {
                        int n = 0;
                        for (int i = text.indexOf("200 result="); i >= 0; i = text.indexOf("200 result=", i + 1)) {
                            n++;
                        }
                        if (n > 0) {
                            c.replies += n;
                            c.lastReply = p.epochMicros();
                        }
                    }
                } else if (c.firstCommand < 0) {
                    c.firstCommand = p.epochMicros();
                }
            }
            if (!fromAsterisk && p.fin() && c.agentFin < 0) {
                c.agentFin = p.epochMicros();
            }
        }
        return result;
    }

    private int report(List<Block> blocks, List<Pcap.Packet> sip, List<Pcap.Packet> agi,
                       List<CallBenchSupport.LogLine> checks, double rate, String loadBefore) throws IOException {
        Map<String, SipCall> calls = sipCalls(sip);
        Map<String, AgiConnection> connections = agiConnections(agi);
        Map<String, List<Double>> authSetup = new HashMap<>();
        Map<String, List<Double>> fullSetup = new HashMap<>();
        Map<String, List<Double>> sippTimes = new HashMap<>();
        Map<String, int[]> counts = new HashMap<>(); // invites, answered
        StringBuilder rates = new StringBuilder();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("calls.csv")))) {
            csv.println("arm,block,call_id,first_invite_us,auth_invite_us,ok_us,auth_invite_to_200_ms,first_invite_to_200_ms");
            for (Block b : blocks) {
                String account = b.arm().equals("check") ? "1001" : "1003";
                List<SipCall> mine = calls.values().stream().filter(c -> account.equals(c.from) && c.firstInvite >= b.startMicros()
                        && c.firstInvite <= b.endMicros()).toList();
                int[] n = counts.computeIfAbsent(b.arm(), a -> new int[2]);
                for (SipCall c : mine) {
                    n[0]++;
                    if (c.ok >= 0 && c.authInvite >= 0) {
                        n[1]++;
                        double auth = (c.ok - c.authInvite) / 1000.0;
                        double full = (c.ok - c.firstInvite) / 1000.0;
                        authSetup.computeIfAbsent(b.arm(), a -> new ArrayList<>()).add(auth);
                        fullSetup.computeIfAbsent(b.arm(), a -> new ArrayList<>()).add(full);
                        csv.printf(Locale.ROOT, "%s,%d,%s,%d,%d,%d,%.3f,%.3f%n", b.arm(), b.n(), c.callId, c.firstInvite,
                                c.authInvite, c.ok, auth, full);
                    }
                }
                sippTimes.computeIfAbsent(b.arm(), a -> new ArrayList<>()).addAll(CallBenchSupport.sippResponseTimes(b.dir()));
                if (mine.size() > 1) {
                    long first = mine.stream().mapToLong(c -> c.firstInvite).min().orElse(0);
                    long last = mine.stream().mapToLong(c -> c.firstInvite).max().orElse(0);
                    rates.append(String.format(Locale.ROOT, "block %d %s: %d calls, %.2f calls/s (first INVITEs over %.2f s); ",
                            b.n(), b.arm(), mine.size(), (mine.size() - 1) / ((last - first) / 1e6), (last - first) / 1e6));
                }
            }
        }
        // FastAGI: the wire and the agent's own timing, per connection
        Map<String, CallBenchSupport.LogLine> byCall = new HashMap<>();
        for (CallBenchSupport.LogLine l : checks) {
            byCall.put(l.values().get("call"), l);
        }
        List<Double> agiTotal = new ArrayList<>();
        List<Double> agiRequest = new ArrayList<>();
        List<Double> agiAnswer = new ArrayList<>();
        List<Double> agiVariables = new ArrayList<>();
        List<Double> agiClose = new ArrayList<>();
        List<Double> inProcess = new ArrayList<>();
        List<Double> inCheck = new ArrayList<>();
        int incomplete = 0;
        int allowed = 0;
        long replies = 0;
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("agi.csv")))) {
            csv.println("uniqueid,syn_us,request_done_us,first_command_us,last_reply_us,agent_fin_us,replies,agent_ms,agent_check_ms,result");
            for (AgiConnection c : connections.values()) {
                CallBenchSupport.LogLine line = c.uniqueId == null ? null : byCall.get(c.uniqueId);
                csv.printf(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%s,%s,%s%n", c.uniqueId, c.syn, c.requestDone, c.firstCommand,
                        c.lastReply, c.agentFin, c.replies, line == null ? "" : line.values().get("ms"),
                        line == null ? "" : line.values().get("check-ms"), line == null ? "" : line.values().get("result"));
                if (c.syn < 0 || c.requestDone < 0 || c.firstCommand < 0 || c.lastReply < 0 || c.agentFin < 0) {
                    incomplete++;
                    continue;
                }
                replies += c.replies;
                agiTotal.add((c.agentFin - c.syn) / 1000.0);
                agiRequest.add((c.requestDone - c.syn) / 1000.0);
                agiAnswer.add((c.firstCommand - c.requestDone) / 1000.0);
                agiVariables.add((c.lastReply - c.firstCommand) / 1000.0);
                agiClose.add((c.agentFin - c.lastReply) / 1000.0);
            }
        }
        for (CallBenchSupport.LogLine l : checks) {
            inProcess.add(Double.parseDouble(l.values().get("ms")));
            inCheck.add(Double.parseDouble(l.values().get("check-ms")));
            if ("allow".equals(l.values().get("result"))) {
                allowed++;
            }
        }

        // per call of the check arm: the one FastAGI connection opened between its INVITE with credentials and its 200 OK
        List<AgiConnection> complete = connections.values().stream().filter(c -> c.syn >= 0 && c.agentFin >= 0)
                .sorted(java.util.Comparator.comparingLong(c -> c.syn)).toList();
        List<Double> beforeAgi = new ArrayList<>();
        List<Double> afterAgi = new ArrayList<>();
        List<Double> withoutAgi = new ArrayList<>();
        int unmatched = 0;
        for (SipCall c : calls.values()) {
            if (!"1001".equals(c.from) || c.authInvite < 0 || c.ok < 0) {
                continue;
            }
            List<AgiConnection> inside = complete.stream().filter(a -> a.syn >= c.authInvite && a.syn <= c.ok).toList();
            if (inside.size() != 1 || blocks.stream().noneMatch(b -> c.firstInvite >= b.startMicros() && c.firstInvite <= b.endMicros())) {
                unmatched++;
                continue;
            }
            AgiConnection a = inside.get(0);
            beforeAgi.add((a.syn - c.authInvite) / 1000.0);
            afterAgi.add((c.ok - a.agentFin) / 1000.0);
            withoutAgi.add((c.ok - c.authInvite - (a.agentFin - a.syn)) / 1000.0);
        }

        StringBuilder md = new StringBuilder();
        md.append("| measure | arm | n | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|---|\n");
        for (String arm : ARMS) {
            md.append(row("PBX: INVITE with credentials in → 200 OK out (ms)", arm, authSetup.getOrDefault(arm, List.of())));
        }
        for (String arm : ARMS) {
            md.append(row("PBX: first INVITE in → 200 OK out, 401 round trip included (ms)", arm, fullSetup.getOrDefault(arm, List.of())));
        }
        for (String arm : ARMS) {
            md.append(row("sipp: response time, first INVITE sent → 200 received (ms)", arm, sippTimes.getOrDefault(arm, List.of())));
        }
        md.append(row("FastAGI on the wire: Asterisk's SYN → agent's FIN (ms)", "check", agiTotal));
        md.append(row("… SYN → AGI request (environment) complete", "check", agiRequest));
        md.append(row("… request complete → agent's first command", "check", agiAnswer));
        md.append(row(String.format(Locale.ROOT, "… agent's first command → Asterisk's last reply (%.1f round trips)",
                agiVariables.isEmpty() ? 0.0 : (double) replies / agiVariables.size()), "check", agiVariables));
        md.append(row("… last reply → agent's FIN", "check", agiClose));
        md.append(row("PBX, per call: INVITE with credentials in → Asterisk's FastAGI SYN (ms)", "check", beforeAgi));
        md.append(row("PBX, per call: agent's FIN → 200 OK out (ms)", "check", afterAgi));
        md.append(row("PBX, per call: set-up minus its FastAGI exchange (ms)", "check", withoutAgi));
        md.append(row("agent, in process: service() → variables set (ms)", "check", inProcess));
        md.append(row("… of which the check (engine queue + decision)", "check", inCheck));
        md.append('\n');
        for (String arm : ARMS) {
            int[] n = counts.getOrDefault(arm, new int[2]);
            md.append(String.format(Locale.ROOT, "%s: %d calls on the wire, %d answered (200 OK)%n", arm, n[0], n[1]));
        }
        md.append(String.format(Locale.ROOT, "pre-dial checks logged: %d (%d allowed); FastAGI connections: %d (%d incomplete in the capture);"
                + " calls not matched to exactly one connection: %d%n", checks.size(), allowed, connections.size(), incomplete, unmatched));
        Stats a = new Stats(authSetup.getOrDefault("check", List.of()));
        Stats b = new Stats(authSetup.getOrDefault("nocheck", List.of()));
        md.append(String.format(Locale.ROOT, "added set-up time (INVITE with credentials → 200 OK, check minus no check): p50 %+.2f ms, p90 %+.2f ms, p99 %+.2f ms%n",
                a.percentile(50) - b.percentile(50), a.percentile(90) - b.percentile(90), a.percentile(99) - b.percentile(99)));
        md.append("rate asked: ").append(String.format(Locale.ROOT, "%.0f", rate)).append(" calls/s; achieved: ").append(rates).append('\n');
        md.append("load average before: ").append(loadBefore).append("; after: ").append(CallBenchSupport.load()).append('\n');
        md.append("blocks: ");
        for (Block bl : blocks) {
            md.append(String.format(Locale.ROOT, "%d-%s(exit %d) ", bl.n(), bl.arm(), bl.exit()));
        }
        md.append('\n');
        Files.writeString(out.resolve("summary.md"), md.toString());
        System.out.println(md);
        System.out.println("per call: " + out.resolve("calls.csv") + ", per FastAGI connection: " + out.resolve("agi.csv"));
        return 0;
    }

    private static String row(String measure, String arm, List<Double> values) {
        return "| " + measure + " | " + arm + " | " + new Stats(values).row("%.2f") + " |\n";
    }
}
