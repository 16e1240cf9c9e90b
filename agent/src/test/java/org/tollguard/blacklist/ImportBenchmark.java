package org.tollguard.blacklist;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tollguard.ban.NeverBan;
import org.tollguard.config.BlacklistConfig;
import org.tollguard.config.FirewallConfig;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.Firewalls;
import org.tollguard.store.Store;

/**
 * The community list import benchmark (bench/blacklist/run.sh runs it, as root, in a network namespace of its
 * own): a 400,000-address list imported by the agent, side by side with a raw {@code ipset restore} of the same
 * entries, the agent's heap, and a 100-address incremental update from response to kernel.
 *
 * <p>Usage: {@code ImportBenchmark NETNS BACKEND RUNS}.
 */
public final class ImportBenchmark {
    static final int SIZE = 400_000;

    public static void main(String[] args) throws Exception {
        String netns = args[0];
        FirewallConfig.Backend backend = FirewallConfig.Backend.valueOf(args[1].toUpperCase());
        int runs = Integer.parseInt(args[2]);
        Path work = Files.createTempDirectory("tgbl-bench");

        // the bench's own data is made once and kept only compressed, so the heap figures are the agent's.
        // The raw script adds the entries in the order the agent sends them (sorted): the same work.
        Path rawScript = work.resolve("raw.txt");
        byte[] firstGz;
        {
            List<String> first = addresses(1, SIZE);
            NetList sorted = NetList.of(first.stream().map(org.tollguard.net.Cidr::parse).toList());
            StringBuilder script = new StringBuilder("create tgbl-raw hash:net family inet hashsize 262144 maxelem 1048576\n");
            for (int i = 0; i < sorted.size(); i++) {
                script.append("add tgbl-raw ").append(sorted.text(i)).append('\n');
            }
            Files.writeString(rawScript, script);
            firstGz = gzip(String.join("\n", first) + "\n");
        }
        byte[] secondGz = gzip(String.join("\n", addresses(2, SIZE)) + "\n");
        System.gc();
        long baseline = usedHeap();
        try (TestHub hub = new TestHub(); Store store = Store.open(work.resolve("tollguard.db"))) {
            byte[][] body = {firstGz};
            hub.route("/list.txt", x -> TestHub.send(x, 200, "text/plain", body[0], Map.of("Content-Encoding", "gzip")));
            Firewall firewall = Firewalls.create(new FirewallConfig(backend, netns, List.of(), null));
            firewall.setUp();
            BlacklistConfig config = new BlacklistConfig(List.of(
                    new BlacklistConfig.Source("bench", BlacklistConfig.SourceType.PLAIN, hub.url("/list.txt"), null,
                            null, Duration.ZERO, Duration.ofMinutes(5), null)), null, null);
            List<Long> replaceOnly = new ArrayList<>();
            List<Long> fullSync = new ArrayList<>();
            try (Blacklist blacklist = new Blacklist(config, org.tollguard.config.HubConfig.defaults(), 1_048_576, firewall, new NeverBan(List.of()), store,
                    d -> d, Clock.systemUTC(), new ListHttp(), Duration.ZERO, Duration.ZERO, Duration.ZERO)) {
                List<Long> raw = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    if (backend == FirewallConfig.Backend.IPSET) {
                        raw.add(rawRestore(netns, rawScript)); // interleaved: both see the same machine load
                    }
                    body[0] = run % 2 == 0 ? secondGz : firstGz;
                    Blacklist.SyncResult r = blacklist.sync("bench");
                    if (!r.outcome().equals(Blacklist.SyncResult.APPLIED)) {
                        throw new IllegalStateException(r.toString());
                    }
                    fullSync.add(r.elapsedMillis() * 1_000_000);
                    NetList list = blacklist.list("bench");
                    long start = System.nanoTime();
                    firewall.replaceList("bench", list.asCidrs());
                    replaceOnly.add(System.nanoTime() - start);
                }
                long kernelSize = firewall.listSize("bench");
                System.gc();
                long retained = usedHeap() - baseline;

                // incremental: a hub answering 100 changes; timed from the response's arrival to the kernel
                List<Long> incremental = incremental(firewall, store, work, runs);

                long heapPeak = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                        heapPeak += pool.getPeakUsage().getUsed();
                    }
                }
                long maxHeap = Runtime.getRuntime().maxMemory();
                System.out.println();
                System.out.printf("backend                      %s%n", backend.name().toLowerCase());
                System.out.printf("entries                      %,d (kernel holds %,d)%n", SIZE, kernelSize);
                if (!raw.isEmpty()) {
                    System.out.printf("raw ipset restore            best %5d ms  median %5d ms%n", best(raw), median(raw));
                }
                System.out.printf("agent replaceList            best %5d ms  median %5d ms  (atomic replace: ipset temp set + swap, nft one transaction)%n",
                        best(replaceOnly), median(replaceOnly));
                System.out.printf("agent full sync              best %5d ms  median %5d ms  (HTTP+gzip, parse, checks, kernel, store)%n",
                        best(fullSync), median(fullSync));
                if (!raw.isEmpty()) {
                    System.out.printf("ratio replaceList / raw      %.2f (median)%n", (double) median(replaceOnly) / median(raw));
                    System.out.printf("ratio full sync / raw        %.2f (median)%n", (double) median(fullSync) / median(raw));
                }
                System.out.printf("incremental 100 addresses    best %5d ms  median %5d ms  (response arrived to kernel done)%n",
                        best(incremental), median(incremental));
                System.out.printf("heap peak / max              %d MB / %d MB (peak includes garbage not yet collected)%n",
                        heapPeak >> 20, maxHeap >> 20);
                System.out.printf("heap retained by the list    %d MB (after GC, 400k list in force, bench data excluded)%n",
                        retained >> 20);
            } finally {
                firewall.tearDown();
            }
        }
    }

    /** Syncs a hub source whose signed snapshot is the 400k list, then 100-address changes; returns the change times. */
    private static List<Long> incremental(Firewall firewall, Store store, Path work, int runs) throws Exception {
        List<Long> times = new ArrayList<>();
        try (TestHub hub = new TestHub()) {
            SignedListHub lists = new SignedListHub(hub);
            List<String> all = addresses(3, SIZE);
            List<String> base = new ArrayList<>(all.subList(0, 5000)); // the ones the changes remove
            lists.snapshot(all);
            Path credential = work.resolve("hub-enrollment.json");
            new Enrollment(hub.url(""), "1", "bench", "bench-credential", SignedListHub.LIST,
                    List.of(lists.publicKey()), java.time.Instant.now()).write(credential);
            org.tollguard.config.HubConfig hubConfig = new org.tollguard.config.HubConfig(hub.url(""), credential, null,
                    null, null);
            BlacklistConfig config = new BlacklistConfig(List.of(new BlacklistConfig.Source("benchhub",
                    BlacklistConfig.SourceType.HUB, null, null, null, Duration.ZERO, Duration.ofMinutes(5), null)),
                    null, null);
            try (Blacklist blacklist = new Blacklist(config, hubConfig, 1_048_576, firewall, new NeverBan(List.of()),
                    store, d -> d, Clock.systemUTC(), new ListHttp(), Duration.ZERO, Duration.ZERO, Duration.ZERO)) {
                Blacklist.SyncResult full = blacklist.sync("benchhub");
                if (!"full".equals(full.kind())) {
                    throw new IllegalStateException(full.toString());
                }
                for (int run = 0; run < Math.max(5, runs * 2); run++) {
                    lists.changes(addresses(1000 + run, 50), base.subList(run * 50, run * 50 + 50));
                    Blacklist.SyncResult r = blacklist.sync("benchhub");
                    if (!"changes".equals(r.kind()) || r.added() + r.removed() < 95) { // a random addition may already be listed
                        throw new IllegalStateException(r.toString());
                    }
                    times.add(blacklist.lastResponseToKernelNanos());
                }
            }
        }
        return times;
    }

    static long rawRestore(String netns, Path script) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder("ip", "netns", "exec", netns, "ipset", "restore")
                .redirectInput(script.toFile()).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("raw ipset restore failed");
        }
        long elapsed = System.nanoTime() - start;
        new ProcessBuilder("ip", "netns", "exec", netns, "ipset", "destroy", "tgbl-raw").start().waitFor();
        return elapsed;
    }

    static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static byte[] gzip(String text) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    static List<String> addresses(long seed, int n) {
        Random random = new Random(seed);
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        while (out.size() < n) {
            int a = 1 + random.nextInt(222);
            if (a == 10 || a == 127 || a == 100 || a == 169 || a == 172 || a == 192) {
                continue;
            }
            out.add(a + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256));
        }
        return new ArrayList<>(out);
    }

    static long best(List<Long> nanos) {
        return nanos.stream().mapToLong(Long::longValue).min().orElse(0) / 1_000_000;
    }

    static long median(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return sorted.get(sorted.size() / 2) / 1_000_000;
    }
}
