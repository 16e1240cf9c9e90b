package org.tollguard.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.tollguard.yamlconfig.ConfigException;
import org.tollguard.config.ConfigLoader;
import org.tollguard.config.TollguardConfig;

/**
 * Ban latency on the real testbed, tollguard and fail2ban side by side in one run.
 *
 * <p>Rounds alternate between the two defenders; each round is one svcrack brute force (account 1001, wrong
 * passwords, as fast as svcrack goes) from an attacker address in netns tg-net that only the round's defender
 * acts on (tollguard allowlists fail2ban's addresses, fail2ban ignores tollguard's). Both defenders use the same
 * threshold, 5 failures within 60 s, so both cross it on the same event: the 5th {@code ChallengeResponseFailed}.
 * When the ban is in the kernel and 300 ms more have passed, svcrack is stopped, the ban lifted, and the next
 * round begins.
 *
 * <p>Measured per round:
 * <ul>
 * <li><b>internal</b> (tollguard): from the moment the AMI adapter handed the threshold-crossing event to the ban
 *     engine to the moment {@code Firewall.ban} returned (System.nanoTime, in-process probes), split into the part
 *     before {@code Firewall.ban} (queue, counting, store look-up) and the firewall call itself;</li>
 * <li><b>external</b> (both): from the capture time of the TCP segment that brought the threshold-crossing AMI
 *     frame (tcpdump on the PBX side of the AMI link) to the first moment a separate {@code ipset -} process
 *     polling the kernel saw the address in the ban set;</li>
 * <li><b>past threshold</b> (both): how many of the attacker's requests Asterisk still processed after the one
 *     that crossed the threshold: security events from the address after the crossing event.</li>
 * </ul>
 * With {@code --placement pbx-netns} the whole benchmark runs inside tg-pbx (the script starts it there), as the
 * agent runs in production: firewall commands without {@code ip netns exec}, AMI over the namespace's loopback.
 */
public final class BanLatencyBench {
    private static final String PBX_NETNS = "tg-pbx";
    private static final String NET_NETNS = "tg-net";
    private static final String PBX = "198.51.100.1";
    private static final String AMI_HOST = "198.18.0.2";
    private static final List<String> TOLLGUARD_ATTACKERS = List.of("203.0.113.66", "203.0.113.67", "203.0.113.68");
    private static final List<String> FAIL2BAN_ATTACKERS = List.of("203.0.113.69", "203.0.113.70");
    /** Both tools' attackers (203.0.113.66-70) and not the background scanners (198.51.100.25-29). */
    private static final String ATTACKER_NET = "203.0.113.64/29";
    private static final int THRESHOLD = 5;
    private static final String SECURITY_LOG = "/run/tollguard-testbed/rootfs/var/log/asterisk/security";

    private final Map<String, String> options;
    private final Path root;
    private final Path out;
    private final boolean inPbxNetns;

    private BanLatencyBench(Map<String, String> options) {
        this.options = options;
        this.root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        this.out = Path.of(options.getOrDefault("out", "bench/target/ban-latency")).toAbsolutePath();
        this.inPbxNetns = options.getOrDefault("placement", "host").equals("pbx-netns");
    }

    public static void main(String[] args) throws Exception {
        System.exit(new BanLatencyBench(Bench.options(args)).run());
    }

    /** One round's figures; NaN where not measured. */
    record Round(int n, String tool, String address, double internalMs, double beforeFirewallMs, double firewallMs,
                 double externalMs, double asteriskToWireMs, double wireToHandoverMs, int pastThreshold,
                 int arrivedBeforeBan, double attackGapMs, String note) {}

    private int run() throws Exception {
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "200"));
        int warmupRounds = Integer.parseInt(options.getOrDefault("warmup-rounds", "5"));
        List<String> tools = List.of(options.getOrDefault("tools", "tollguard,fail2ban").split(","));
        String backend = options.getOrDefault("backend", "ipset");
        Files.createDirectories(out);
        try (FileChannel lockFile = FileChannel.open(Path.of("/run/tollguard-testbed-tests.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock turn = lockFile.lock()) { // the Java ITs' lock (fcntl); the script holds flock(1) too
            ensureTestbedUp();
            Path dir = Files.createTempDirectory("tollguard-bench-latency");
            List<String> allowlist = new ArrayList<>(BackgroundLoad.SCANNERS);
            if (tools.contains("fail2ban")) {
                allowlist.addAll(FAIL2BAN_ATTACKERS);
            }
            TollguardConfig config = config(dir, backend, allowlist);
            cleanUpLeftovers();
            List<Round> results = new ArrayList<>();
            InstrumentedAgent agent = null;
            Fail2ban fail2ban = null;
            AmiCapture capture = null;
            Pcap sip = null;
            BackgroundLoad load = null;
            List<String> loads = new ArrayList<>();
            try (KernelWatch watch = new KernelWatch(PBX_NETNS, 200)) {
                capture = new AmiCapture(PBX_NETNS, inPbxNetns ? "lo" : "mgmt0", out.resolve("ami.pcap"));
                sip = new Pcap(PBX_NETNS, "pbx0", "udp dst port 5060 and src net " + ATTACKER_NET, out.resolve("sip.pcap"));
                Set<String> watched = new java.util.HashSet<>(TOLLGUARD_ATTACKERS);
                watched.addAll(FAIL2BAN_ATTACKERS);
                agent = new InstrumentedAgent(config, watched);
                agent.awaitConnected(Duration.ofSeconds(20));
                if (tools.contains("fail2ban")) {
                    List<String> ignore = new ArrayList<>(List.of("127.0.0.1/8", "::1", "198.51.100.0/24"));
                    ignore.addAll(TOLLGUARD_ATTACKERS);
                    fail2ban = new Fail2ban(PBX_NETNS, dir.resolve("fail2ban"), SECURITY_LOG, THRESHOLD,
                            Duration.ofSeconds(60), ignore, options.getOrDefault("f2b-backend", "auto"));
                }
                load = BackgroundLoad.start(root, out, options);
                Thread.sleep(load.isEmpty() ? 1000 : 20_000); // let a load reach its level
                System.out.printf(Locale.ROOT, "ban latency: rounds=%d per tool (after %d warm-up rounds), tools=%s, backend=%s, placement=%s, firewall netns=%s, launch=%s, load: %s; load average %s%n",
                        rounds, warmupRounds, tools, backend, inPbxNetns ? "pbx-netns" : "host", config.firewall().netns(),
                        System.getProperty("jdk.lang.Process.launchMechanism", "default(POSIX_SPAWN)"), load,
                        CallBenchSupport.load());
                for (int i = 0; i < warmupRounds * tools.size(); i++) { // JIT, first-use costs: not counted
                    String tool = tools.get(i % tools.size());
                    List<String> pool = tool.equals("tollguard") ? TOLLGUARD_ATTACKERS : FAIL2BAN_ATTACKERS;
                    String set = tool.equals("tollguard") ? "tollguard-ban4" : Fail2ban.SET;
                    attack(-1 - i, tool, pool.get(i / tools.size() % pool.size()), set, watch, agent, fail2ban);
                }
                List<long[]> windows = new ArrayList<>();
                int total = rounds * tools.size();
                for (int i = 0; i < total; i++) {
                    String tool = tools.get(i % tools.size());
                    int k = i / tools.size();
                    List<String> pool = tool.equals("tollguard") ? TOLLGUARD_ATTACKERS : FAIL2BAN_ATTACKERS;
                    String address = pool.get(k % pool.size());
                    String set = tool.equals("tollguard") ? (backend.equals("ipset") ? "tollguard-ban4" : null) : Fail2ban.SET;
                    long[] window = attack(i, tool, address, set, watch, agent, fail2ban);
                    windows.add(window);
                    if ((i + 1) % 20 == 0) {
                        loads.add(CallBenchSupport.load());
                        System.out.printf("  %d/%d rounds, load average %s%n", i + 1, total, loads.get(loads.size() - 1));
                    }
                }
                List<AmiCapture.Frame> frames = capture.stopAndRead(amiClientPorts(),
                        BanLatencyBench::aboutAnAttacker);
                capture = null;
                List<Pcap.Packet> requests = sip.stopAndRead();
                sip = null;
                for (int i = 0; i < total; i++) {
                    results.add(analyse(i, tools.get(i % tools.size()), windows.get(i), frames, requests, agent));
                }
            } finally {
                if (load != null) {
                    load.close();
                }
                if (sip != null) {
                    sip.close();
                }
                if (capture != null) {
                    capture.close();
                }
                if (fail2ban != null) {
                    fail2ban.close();
                }
                if (agent != null) {
                    agent.close();
                    try {
                        agent.firewall.tearDown();
                    } catch (Exception e) {
                        System.out.println("tearDown: " + e.getMessage());
                    }
                }
            }
            return report(results, tools, load + "; load average every 20 rounds: " + String.join(" | ", loads));
        }
    }

    /** Frames of the rounds' attackers: the background scanners' would fill the heap. */
    private static boolean aboutAnAttacker(String frame) {
        return TOLLGUARD_ATTACKERS.stream().anyMatch(frame::contains) || FAIL2BAN_ATTACKERS.stream().anyMatch(frame::contains);
    }

    private final Map<Integer, String[]> roundInfo = new LinkedHashMap<>();
    private final Map<Integer, List<InstrumentedAgent.Seen>> roundSeen = new LinkedHashMap<>();
    private final Map<Integer, List<InstrumentedAgent.BanCall>> roundBans = new LinkedHashMap<>();

    /** Runs one round; returns {start, kernelSeen, end} in epoch microseconds. */
    private long[] attack(int n, String tool, String address, String set, KernelWatch watch, InstrumentedAgent agent,
                          Fail2ban fail2ban) throws Exception {
        agent.takeSeen(address);
        agent.takeBanCalls(address);
        if (watch.test(set, address)) {
            // Under load, events of an earlier round with this address can reach the agent after its unban.
            System.out.println("round " + n + ": " + address + " banned again since its last round; lifting it");
            agent.engine.drain();
            agent.bans.unban(address, "bench", "late events of an earlier round");
            if (fail2ban != null) {
                fail2ban.unban(address);
            }
            if (watch.awaitState(set, address, false, 10_000) < 0) {
                throw new IllegalStateException(address + " is still in " + set + " before round " + n);
            }
            agent.engine.forget(org.tollguard.net.IpAddresses.parse(address));
        }
        long start = InstrumentedAgent.epochMicros();
        Process svcrack = Bench.asOthers("ip", "netns", "exec", NET_NETNS, root.resolve("testbed/svcrack").toString(),
                "-b", address, "-u", "1001", "-r", "1-3000", PBX)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long kernel = watch.awaitState(set, address, true, 30_000);
        Thread.sleep(300); // requests that got through before the ban still show up as events now
        svcrack.destroy();
        svcrack.waitFor(5, TimeUnit.SECONDS);
        svcrack.destroyForcibly();
        long end = InstrumentedAgent.epochMicros();
        Thread.sleep(100);
        roundSeen.put(n, agent.takeSeen(address));
        roundInfo.put(n, new String[] {tool, address});
        if (tool.equals("tollguard")) {
            agent.engine.drain();
            if (agent.bans.unban(address, "bench", "round over") == 0) {
                System.out.println("round " + n + ": no tollguard ban to lift for " + address);
            }
            roundBans.put(n, agent.takeBanCalls(address));
        } else {
            fail2ban.unban(address);
        }
        if (watch.awaitState(set, address, false, 10_000) < 0) {
            throw new IllegalStateException(address + " still in " + set + " 10 s after the unban");
        }
        agent.engine.forget(org.tollguard.net.IpAddresses.parse(address));
        Thread.sleep(150);
        return new long[] {start, kernel, end};
    }

    private Round analyse(int n, String tool, long[] window, List<AmiCapture.Frame> frames, List<Pcap.Packet> requests,
                          InstrumentedAgent agent) {
        String address = roundInfo.get(n)[1];
        List<InstrumentedAgent.Seen> seen = roundSeen.get(n);
        if (window[1] < 0) {
            return new Round(n, tool, address, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    -1, -1, Double.NaN, "no ban within 30 s");
        }
        // the crossing event as the agent saw it: the THRESHOLD-th failure of the round
        int failures = 0;
        int crossingIndex = -1;
        List<Long> failureNanos = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).outcome().equals("FAILED")) {
                failureNanos.add(seen.get(i).nanos());
                if (++failures == THRESHOLD && crossingIndex < 0) {
                    crossingIndex = i;
                }
            }
        }
        int past = crossingIndex < 0 ? -1 : seen.size() - 1 - crossingIndex;
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < failureNanos.size() && i < 8; i++) {
            gaps.add((failureNanos.get(i) - failureNanos.get(i - 1)) / 1e6);
        }
        double gap = new Stats(gaps).percentile(50);

        // the same event on the wire
        String needle = "/" + address + "/";
        int wireFailures = 0;
        AmiCapture.Frame wire = null;
        for (AmiCapture.Frame f : frames) {
            if (f.epochMicros() < window[0] || f.epochMicros() > window[2]) {
                continue;
            }
            if (f.text().startsWith("Event: ChallengeResponseFailed") && f.text().contains(needle)
                    && ++wireFailures == THRESHOLD) {
                wire = f;
                break;
            }
        }
        double external = wire == null ? Double.NaN : (window[1] - wire.epochMicros()) / 1000.0;
        // what the defender's delay let in: the attacker's requests that reached the PBX after Asterisk had put the
        // crossing event on the wire and before the address was in the kernel set (earlier ones were already in)
        int arrivedBeforeBan = -1;
        if (wire != null) {
            long from = wire.epochMicros();
            arrivedBeforeBan = (int) requests.stream()
                    .filter(p -> p.src().equals(address) && p.epochMicros() > from && p.epochMicros() <= window[1])
                    .count();
        }
        double asteriskToWire = Double.NaN;
        if (wire != null && wire.header("Timestamp") != null) {
            asteriskToWire = (wire.epochMicros() - Math.round(Double.parseDouble(wire.header("Timestamp")) * 1e6)) / 1000.0;
        }
        double internal = Double.NaN;
        double before = Double.NaN;
        double firewall = Double.NaN;
        double wireToHandover = Double.NaN;
        String note = "";
        if (crossingIndex >= 0 && wire != null) {
            wireToHandover = (seen.get(crossingIndex).epochMicros() - wire.epochMicros()) / 1000.0;
        }
        if (tool.equals("tollguard")) {
            List<InstrumentedAgent.BanCall> calls = roundBans.getOrDefault(n, List.of());
            if (calls.size() != 1 || crossingIndex < 0) {
                note = "ban calls=" + calls.size() + " crossing=" + crossingIndex;
            }
            if (!calls.isEmpty() && crossingIndex >= 0) {
                InstrumentedAgent.BanCall c = calls.get(0);
                long t0 = seen.get(crossingIndex).nanos();
                internal = (c.returnNanos() - t0) / 1e6;
                before = (c.enterNanos() - t0) / 1e6;
                firewall = (c.returnNanos() - c.enterNanos()) / 1e6;
                if (c.error() != null) {
                    note = "ban failed: " + c.error();
                }
            }
        }
        if (wire == null) {
            note = (note + " crossing frame not found in the capture").strip();
        }
        return new Round(n, tool, address, internal, before, firewall, external, asteriskToWire, wireToHandover, past,
                arrivedBeforeBan, gap, note);
    }

    private int report(List<Round> results, List<String> tools, String load) throws IOException {
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("rounds.csv")))) {
            csv.println("round,tool,address,internal_ms,before_firewall_ms,firewall_ms,external_ms,asterisk_to_wire_ms,wire_to_handover_ms,past_threshold,arrived_before_ban,attack_gap_ms,note");
            for (Round r : results) {
                csv.printf(Locale.ROOT, "%d,%s,%s,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%.2f,%s%n", r.n(), r.tool(), r.address(),
                        r.internalMs(), r.beforeFirewallMs(), r.firewallMs(), r.externalMs(), r.asteriskToWireMs(),
                        r.wireToHandoverMs(), r.pastThreshold(), r.arrivedBeforeBan(), r.attackGapMs(), r.note());
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("load: ").append(load).append("\n\n");
        md.append("| tool | measure | n | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|---|\n");
        Map<String, Double> p99 = new LinkedHashMap<>();
        for (String tool : tools) {
            List<Round> mine = results.stream().filter(r -> r.tool().equals(tool)).toList();
            if (tool.equals("tollguard")) {
                md.append("| tollguard | internal: AMI hand-over → Firewall.ban returned (ms) | ")
                        .append(stats(mine, Round::internalMs).row("%.2f")).append(" |\n");
                md.append("| tollguard | … of which before Firewall.ban (ms) | ")
                        .append(stats(mine, Round::beforeFirewallMs).row("%.2f")).append(" |\n");
                md.append("| tollguard | … of which Firewall.ban (ms) | ")
                        .append(stats(mine, Round::firewallMs).row("%.2f")).append(" |\n");
            }
            Stats ext = stats(mine, Round::externalMs);
            p99.put(tool, ext.percentile(99));
            md.append("| ").append(tool).append(" | external: AMI frame on the wire → entry in the kernel set (ms) | ")
                    .append(ext.row("%.2f")).append(" |\n");
            md.append("| ").append(tool).append(" | requests Asterisk processed past the threshold | ")
                    .append(stats(mine, r -> (double) r.pastThreshold()).row("%.0f")).append(" |\n");
            md.append("| ").append(tool).append(" | requests that reached the PBX between the crossing frame and the ban | ")
                    .append(stats(mine, r -> (double) r.arrivedBeforeBan()).row("%.0f")).append(" |\n");
        }
        md.append("\n| both | Asterisk's event Timestamp → AMI frame on the wire (ms) | ")
                .append(stats(results, Round::asteriskToWireMs).row("%.2f")).append(" |\n");
        md.append("| both | AMI frame on the wire → agent's hand-over to the engine (ms) | ")
                .append(stats(results, Round::wireToHandoverMs).row("%.2f")).append(" |\n");
        md.append("| both | svcrack: time between failed attempts (ms) | ")
                .append(stats(results, Round::attackGapMs).row("%.2f")).append(" |\n");
        for (String tool : tools) {
            List<Round> mine = results.stream().filter(r -> r.tool().equals(tool)).toList();
            long within1 = mine.stream().filter(r -> r.pastThreshold() >= 0 && r.pastThreshold() <= 1).count();
            long within2 = mine.stream().filter(r -> r.pastThreshold() >= 0 && r.pastThreshold() <= 2).count();
            md.append(String.format(Locale.ROOT, "\n%s: %d of %d rounds with at most 1 request past the threshold, %d with at most 2; mean %.2f",
                    tool, within1, mine.size(), within2, stats(mine, r -> (double) r.pastThreshold()).mean()));
            long inBefore1 = mine.stream().filter(r -> r.arrivedBeforeBan() >= 0 && r.arrivedBeforeBan() <= 1).count();
            md.append(String.format(Locale.ROOT, "; %d of %d with at most 1 request reaching the PBX between the crossing frame and the ban",
                    inBefore1, mine.size()));
        }
        if (p99.containsKey("tollguard") && p99.containsKey("fail2ban")) {
            md.append(String.format(Locale.ROOT, "\nexternal p99: fail2ban / tollguard = %.1fx", p99.get("fail2ban") / p99.get("tollguard")));
        }
        long problems = results.stream().filter(r -> !r.note().isEmpty()).count();
        md.append("\nrounds with notes: ").append(problems).append(" (see rounds.csv)\n");
        Files.writeString(out.resolve("summary.md"), md.toString());
        System.out.println(md);
        System.out.println("per round: " + out.resolve("rounds.csv"));
        return 0;
    }

    private static Stats stats(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
        List<Double> values = new ArrayList<>();
        for (Round r : rounds) {
            double v = f.applyAsDouble(r);
            if (!Double.isNaN(v) && v >= 0) {
                values.add(v);
            }
        }
        return new Stats(values);
    }

    private TollguardConfig config(Path dir, String backend, List<String> allowlist) {
        String yaml = """
                store: {path: "%s"}
                api: {port: %d, token-file: "%s"}
                asterisk: {host: %s, secret: testbed-ami-secret, reconnect-max: 2s}
                ban:
                  windows:
                    - {name: fast, failures: %d, window: 60s}
                    - {name: slow, failures: 30, window: 6h}
                  enumeration: {accounts: 0}
                  challenge-grace: 3s
                  bantime: 1h
                  bantime-max: 1d
                  allowlist: [%s]
                firewall: {backend: %s%s}
                calls:
                  pre-dial: {port: %d}
                """.formatted(dir.resolve("tollguard.db"), Bench.freePort(), dir.resolve("api.token"), AMI_HOST, THRESHOLD,
                String.join(", ", allowlist.stream().map(a -> '"' + a + '"').toList()), backend.toLowerCase(Locale.ROOT),
                inPbxNetns ? "" : ", netns: " + PBX_NETNS, Bench.freePort());
        try {
            return ConfigLoader.parse("bench config", yaml);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void ensureTestbedUp() {
        if (inPbxNetns) {
            return; // testbed/asterisk works from the host namespace: bench/run-ban-latency checked it before entering
        }
        Bench.Result status = Bench.runAllowingFailure(60, root.resolve("testbed/asterisk").toString(), "status");
        if (status.exit() != 0) {
            System.out.println("testbed is not up: starting it");
            Bench.run(600, root.resolve("testbed/asterisk").toString(), "up");
        }
    }

    /** Bans left by an interrupted earlier run would make the first rounds meaningless. */
    private void cleanUpLeftovers() {
        for (String a : TOLLGUARD_ATTACKERS) {
            Bench.runAllowingFailure(10, "ip", "netns", "exec", PBX_NETNS, "ipset", "del", "-exist", "tollguard-ban4", a);
        }
        for (String a : FAIL2BAN_ATTACKERS) {
            Bench.runAllowingFailure(10, "ip", "netns", "exec", PBX_NETNS, "ipset", "del", "-exist", Fail2ban.SET, a);
        }
    }

    /** The local ports of our AMI connections (this process's). */
    private List<Integer> amiClientPorts() {
        String pid = "pid=" + ProcessHandle.current().pid() + ",";
        String ss = Bench.run("ss", "-Htnp", "state", "established", "dst", AMI_HOST + ":5038");
        List<Integer> ports = new ArrayList<>();
        for (String line : ss.split("\n")) {
            if (line.contains(pid)) {
                String[] cols = line.trim().split("\\s+");
                String local = cols[2];
                ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1)));
            }
        }
        if (ports.isEmpty()) {
            throw new IllegalStateException("cannot find our AMI connection in:\n" + ss);
        }
        return ports;
    }
}
