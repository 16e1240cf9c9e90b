package org.tollguard.bench;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tollguard.config.FirewallConfig;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.Firewalls;

/**
 * How long {@link Firewall#ban} takes on each kernel backend, side by side in one run (issue 16: nftables through
 * its long-lived {@code nft -i} session within 1.5x of ipset's {@code ipset -} session). Each backend gets a
 * private network namespace with the agent's own set-up; the bans alternate between the backends, one every
 * 1/RATE s, so both see the same machine. Optionally {@code --busy N} processes spin on the CPU meanwhile (a
 * loaded machine), and {@code --preload N} bans are in each set before the timed ones.
 * Options: {@code --bans 2000 --rate 200 --warmup 200 --busy 0 --preload 0 --backends ipset,nftables}.
 */
public final class FirewallBanBench {
    private FirewallBanBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args);
        int bans = Integer.parseInt(options.getOrDefault("bans", "2000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "200"));
        int busy = Integer.parseInt(options.getOrDefault("busy", "0"));
        int preload = Integer.parseInt(options.getOrDefault("preload", "0"));
        List<String> backends = List.of(options.getOrDefault("backends", "ipset,nftables").split(","));

        Map<String, Firewall> firewalls = new LinkedHashMap<>();
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        List<Process> spinners = new ArrayList<>();
        try {
            for (String backend : backends) {
                String netns = Bench.createNetns("tgban");
                Firewall firewall = Firewalls.create(new FirewallConfig(
                        FirewallConfig.Backend.valueOf(backend.toUpperCase(Locale.ROOT)), netns, List.of(), null));
                firewall.setUp();
                firewalls.put(backend, firewall);
                millis.put(backend, new ArrayList<>());
                for (int i = 0; i < preload; i++) {
                    firewall.ban(address(1_000_000 + i), Duration.ofHours(1));
                }
            }
            for (int i = 0; i < busy; i++) {
                spinners.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            System.out.printf(Locale.ROOT, "firewall ban: backends=%s bans=%d per backend (after %d warm-up) rate=%d/s"
                    + " busy=%d preload=%d; load %s%n", backends, bans, warmup, rate, busy, preload, loadAverage());
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            int total = (warmup + bans) * backends.size();
            for (int i = 0; i < total; i++) {
                String backend = backends.get(i % backends.size());
                int n = i / backends.size();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                next += interval;
                long t0 = System.nanoTime();
                firewalls.get(backend).ban(address(n), Duration.ofMinutes(10));
                double ms = (System.nanoTime() - t0) / 1e6;
                if (n >= warmup) {
                    millis.get(backend).add(ms);
                }
                if (i > 0 && i % 1000 == 0) {
                    System.out.printf(Locale.ROOT, "  %d/%d bans, load %s%n", i, total, loadAverage());
                }
            }
            System.out.printf(Locale.ROOT, "load at the end: %s%n", loadAverage());
            System.out.println("| backend | n | p50 (ms) | p90 | p99 | max |");
            System.out.println("|---|---|---|---|---|---|");
            for (String backend : backends) {
                System.out.printf(Locale.ROOT, "| %s | %s |%n", backend, new Stats(millis.get(backend)).row("%.2f"));
            }
            if (millis.containsKey("ipset") && millis.containsKey("nftables")) {
                double ratio = new Stats(millis.get("nftables")).percentile(99)
                        / new Stats(millis.get("ipset")).percentile(99);
                System.out.printf(Locale.ROOT, "nftables p99 / ipset p99 = %.2f%n", ratio);
            }
        } finally {
            spinners.forEach(Process::destroyForcibly);
            for (Firewall firewall : firewalls.values()) {
                firewall.tearDown();
            }
        }
        System.exit(0);
    }

    /** The n-th address of 198.18.0.0/15 after .0.0 (benchmark space, RFC 2544). */
    private static InetAddress address(int n) throws Exception {
        int v = (198 << 24) | (18 << 16) | (n + 1);
        return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
