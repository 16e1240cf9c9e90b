import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tollguard.config.FreeSwitchConfig;
import org.tollguard.yamlconfig.Secret;
import org.tollguard.freeswitch.FreeSwitchAdapter;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.PbxEvent;

/**
 * FreeSWITCH event throughput: a replaying Event Socket server (auth, event/log/api replies as mod_event_socket
 * 1.10.12 sends them) streams the real captures (../shared/freeswitch) to the agent's
 * FreeSwitchAdapter, which parses every frame (EslClient) and maps it to PBX-neutral events handed to a bounded
 * queue drained by another thread, as the engines do.
 *
 * <p>Usage: {@code java -Xmx64m -cp tollguard.jar FreeSwitchThroughput.java RATE SECONDS} (RATE events/s, 0 = as fast
 * as the socket goes). The mix, per cycle of 16 frames: a svcrack attempt (pre_register, its challenge and failure
 * log lines, register_failure), a phone's registration (challenge line, pre_register, register_attempt,
 * register), a failed INVITE (register_attempt, register_failure INVITE), an ESL ACL log line, and a whole SIP
 * call (CHANNEL_CREATE, CHANNEL_ANSWER, CHANNEL_HANGUP_COMPLETE, 5-10 KB each, a fresh Unique-ID per cycle).
 * Source addresses vary over 256 cycles. At the end a marker frame is sent; the run's time ends when the adapter
 * delivers it, so every frame sent was parsed and dispatched.
 *
 * <p>{@code MIX} (third argument) {@code scan}: a scan wave instead, as FreeSWITCH with {@code log-auth-failures}
 * reports svcrack: per attempt pre_register, the {@code SIP auth challenge} and {@code SIP auth failure} log lines,
 * register_failure (4 frames, 2.9 KB), each attempt from the next of 24,336 addresses (198.18.100-255.100-255), so
 * the adapter's per-address ledgers stay at their caps.
 */
public class FreeSwitchThroughput {
    static final Path CAPTURES = Path.of("../shared/freeswitch");
    static final int CYCLES = 256;
    static final String MARKER_ADDRESS = "203.0.113.254";

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        boolean scan = args.length > 2 && args[2].equals("scan");
        Cycles cycles = scan ? ScanWave.build() : Mixed.build();
        int framesPerCycle = cycles.frames();
        long bytesPerCycle = cycles.bytes();

        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        AtomicLong delivered = new AtomicLong();
        AtomicLong authEvents = new AtomicLong();
        BlockingQueue<PbxEvent> queue = new ArrayBlockingQueue<>(65_536);
        AtomicLong dropped = new AtomicLong();
        Thread consumer = new Thread(() -> {
            try {
                while (true) {
                    PbxEvent e = queue.take();
                    if (e instanceof AuthEvent a) {
                        authEvents.incrementAndGet();
                        if (a.service().equals("ESL") && a.address().getHostAddress().equals(MARKER_ADDRESS)) {
                            markerLatch.countDown();
                        }
                    }
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "engine");
        consumer.setDaemon(true);
        consumer.start();

        FreeSwitchConfig config = new FreeSwitchConfig(true, "127.0.0.1", server.getLocalPort(), new Secret("bench"),
                null, null, null, null, null);
        FreeSwitchAdapter adapter = new FreeSwitchAdapter(config, Clock.systemUTC(), e -> {
            delivered.incrementAndGet();
            if (!queue.offer(e)) {
                dropped.incrementAndGet();
            }
        }, List.of());
        adapter.start();
        Socket s = server.accept();
        s.setTcpNoDelay(false);
        s.setSendBufferSize(1 << 20);
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        handshake(in, out);
        Thread replies = new Thread(() -> replyLoop(in, out), "server-replies");
        replies.setDaemon(true);
        replies.start();
        Thread.sleep(500); // subscription, log level, version, channel list done

        // warm-up: 2 s at the target rate (or 20k/s when unpaced), not measured
        stream(out, cycles, framesPerCycle, rate == 0 ? 20_000 : rate, 2);
        if (!sendMarker(out).await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the warm-up marker never arrived");
        }
        long gcBefore = gcMillis();
        long readerCpuBefore = readerCpuNanos();
        long deliveredBefore = delivered.get();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }

        long start = System.nanoTime();
        long frames = stream(out, cycles, framesPerCycle, rate, seconds);
        long sentAt = System.nanoTime();
        CountDownLatch done = sendMarker(out);
        frames++;
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the marker never arrived");
        }
        long end = System.nanoTime();
        double secs = (end - start) / 1e9;
        long gcAfter = gcMillis();
        long readerCpu = readerCpuNanos() - readerCpuBefore;

        System.gc();
        Thread.sleep(200);
        long heapAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf("mix             %s%n", scan ? "scan wave (svcrack attempts from 24,336 addresses)"
                : "mixed (svcrack, registrations, a failed INVITE, an ESL ACL line, a whole call)");
        System.out.printf("mode            %s%n", rate == 0 ? "unpaced (as fast as the socket goes)" : "paced at " + rate + " events/s");
        System.out.printf("frames          %d in %.2f s (%d per cycle, %d bytes per cycle)%n", frames, secs,
                framesPerCycle, bytesPerCycle);
        System.out.printf("throughput      %.0f events/s parsed and dispatched (%.1f MB/s)%n", frames / secs,
                frames / (double) framesPerCycle * bytesPerCycle / secs / 1e6);
        System.out.printf("reader thread   %.2f us CPU per event (%.0f%% of one core), i.e. %.0f events/s per core%n",
                readerCpu / 1e3 / frames, 100.0 * readerCpu / (end - start), frames / (readerCpu / 1e9));
        System.out.printf("lag at the end  %.1f ms (last frame sent -> marker delivered)%n", (end - sentAt) / 1e6);
        System.out.printf("pbx events      %d delivered (%d auth), %d dropped by the bounded queue%n",
                delivered.get() - deliveredBefore, authEvents.get(), dropped.get());
        System.out.printf("heap            max %d MB, peak of pools %d MB, after GC %d MB, GC time %d ms%n",
                maxHeap >> 20, peak >> 20, heapAfterGc >> 20, gcAfter - gcBefore);
        System.out.printf("live calls      %d (every captured call hung up)%n", adapter.liveCallCount());
        adapter.close();
        s.close();
        server.close();
        System.exit(0);
    }

    static volatile CountDownLatch markerLatch = new CountDownLatch(1);

    /** The frames streamed, cycle after cycle. */
    interface Cycles {
        /** Cycle {@code i}'s bytes; valid until the next call. */
        byte[] cycle(long i);

        int frames();

        long bytes();
    }

    /** The mixed cycles, built once. */
    record Mixed(List<byte[]> all, int frames) implements Cycles {
        static Mixed build() throws IOException {
            List<byte[]> all = new ArrayList<>();
            int frames = 0;
            for (int i = 0; i < CYCLES; i++) {
                List<byte[]> f = FreeSwitchThroughput.cycle(i);
                frames = f.size();
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                f.forEach(b::writeBytes);
                all.add(b.toByteArray());
            }
            return new Mixed(all, frames);
        }

        @Override
        public byte[] cycle(long i) {
            return all.get((int) (i % all.size()));
        }

        @Override
        public long bytes() {
            return all.stream().mapToLong(c -> c.length).sum() / all.size();
        }
    }

    /** One svcrack attempt, its address patched in place (always 14 characters) for each cycle. */
    record ScanWave(byte[] template, List<Integer> at) implements Cycles {
        static final String FIRST = "198.18.100.100";

        static ScanWave build() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(with("raw-register/001-CUSTOM-sofia_pre_register.txt", "network-ip", FIRST));
            b.writeBytes(log("sofia_reg.c", 1842, "SIP auth challenge (REGISTER) on sofia profile 'internal' for [1000@198.51.100.1] from ip " + FIRST));
            b.writeBytes(log("sofia_reg.c", 1787, "SIP auth failure (REGISTER) on sofia profile 'internal' for [1000@198.51.100.1] from ip " + FIRST));
            b.writeBytes(with("raw-register/002-CUSTOM-sofia_register_failure.txt", "network-ip", FIRST));
            byte[] template = b.toByteArray();
            List<Integer> at = new ArrayList<>();
            String text = new String(template, StandardCharsets.ISO_8859_1);
            for (int k = text.indexOf(FIRST); k >= 0; k = text.indexOf(FIRST, k + 1)) {
                at.add(k + "198.18.".length());
            }
            return new ScanWave(template, at);
        }

        @Override
        public byte[] cycle(long i) {
            int n = (int) (i % (156 * 156));
            byte[] c3 = String.valueOf(100 + n / 156).getBytes(StandardCharsets.US_ASCII);
            byte[] c4 = String.valueOf(100 + n % 156).getBytes(StandardCharsets.US_ASCII);
            for (int k : at) {
                System.arraycopy(c3, 0, template, k, 3);
                System.arraycopy(c4, 0, template, k + 4, 3);
            }
            return template;
        }

        @Override
        public int frames() {
            return 4;
        }

        @Override
        public long bytes() {
            return template.length;
        }
    }

    /** Streams whole cycles at {@code rate} frames/s (0: unpaced) for {@code seconds}; returns frames sent. */
    static long stream(OutputStream out, Cycles cycles, int framesPerCycle, int rate, int seconds)
            throws IOException {
        long start = System.nanoTime();
        long endAt = start + TimeUnit.SECONDS.toNanos(seconds);
        long frames = 0;
        long i = 0;
        while (System.nanoTime() < endAt) {
            if (rate > 0) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                if (frames + framesPerCycle > due) {
                    long aheadNanos = (frames + framesPerCycle - due) * 1_000_000_000L / rate;
                    if (aheadNanos > 1_000_000) {
                        sleepNanos(aheadNanos);
                    }
                    continue;
                }
            }
            synchronized (out) {
                out.write(cycles.cycle(i++));
            }
            frames += framesPerCycle;
        }
        synchronized (out) {
            out.flush();
        }
        return frames;
    }

    /** An ESL ACL line from MARKER_ADDRESS: delivered as an AuthEvent once everything before it was. */
    static CountDownLatch sendMarker(OutputStream out) throws IOException {
        CountDownLatch latch = new CountDownLatch(1);
        markerLatch = latch;
        synchronized (out) {
            out.write(log("mod_event_socket.c", 2674, "IP " + MARKER_ADDRESS + " Rejected by acl \"loopback.auto\""));
            out.flush();
        }
        return latch;
    }

    static void sleepNanos(long n) {
        try {
            Thread.sleep(n / 1_000_000, (int) (n % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** auth/request, then accept any password. */
    static void handshake(InputStream in, OutputStream out) throws IOException {
        out.write("Content-Type: auth/request\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String auth = readCommand(in);
        if (!auth.startsWith("auth ")) {
            throw new IOException("expected auth, got " + auth);
        }
        reply(out, "+OK accepted");
    }

    /** Answers the adapter's commands as mod_event_socket does. */
    static void replyLoop(InputStream in, OutputStream out) {
        try {
            String cmd;
            while ((cmd = readCommand(in)) != null) {
                synchronized (out) {
                    if (cmd.startsWith("event ")) {
                        reply(out, "+OK event listener enabled plain");
                    } else if (cmd.startsWith("log ")) {
                        reply(out, "+OK log level " + cmd.substring(4) + " [4]");
                    } else if (cmd.equals("api version")) {
                        api(out, "FreeSWITCH Version 1.10.12-release~64bit (-release 64bit)\n");
                    } else if (cmd.startsWith("api show channels")) {
                        api(out, "{\"row_count\": 0}\n");
                    } else {
                        reply(out, "-ERR command not found");
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    static void reply(OutputStream out, String text) throws IOException {
        out.write(("Content-Type: command/reply\nReply-Text: " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static void api(OutputStream out, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("Content-Type: api/response\nContent-Length: " + b.length + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.write(b);
        out.flush();
    }

    static String readCommand(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int nl = 0;
        int c;
        while ((c = in.read()) >= 0) {
            if (b.size() == 0 && c == '\n') {
                continue;
            }
            if (c == '\n' && ++nl == 2) {
                return b.toString(StandardCharsets.UTF_8).split("\n")[0];
            }
            if (c != '\n') {
                nl = 0;
            }
            b.write(c);
        }
        return null;
    }

    /** One cycle of the mix, cycle {@code i}: its own addresses and call id. */
    static List<byte[]> cycle(int i) throws IOException {
        String attacker = "203.0.113." + (i % 250 + 1);
        String phone = "198.51.100." + (i % 250 + 1);
        String uuid = String.format("3eaf38ab-bf5f-4c15-9750-%012x", i);
        List<byte[]> f = new ArrayList<>();
        f.add(with("raw-register/001-CUSTOM-sofia_pre_register.txt", "network-ip", attacker));
        f.add(log("sofia_reg.c", 1842, "SIP auth challenge (REGISTER) on sofia profile 'internal' for [1000@198.51.100.1] from ip " + attacker));
        f.add(log("sofia_reg.c", 1787, "SIP auth failure (REGISTER) on sofia profile 'internal' for [1000@198.51.100.1] from ip " + attacker));
        f.add(with("raw-register/002-CUSTOM-sofia_register_failure.txt", "network-ip", attacker));
        f.add(log("sofia_reg.c", 1842, "SIP auth challenge (REGISTER) on sofia profile 'internal' for [1000@198.51.100.1] from ip " + phone));
        f.add(with("raw-register-sipp/001-CUSTOM-sofia_pre_register.txt", "network-ip", phone));
        f.add(with("raw-register-sipp/002-CUSTOM-sofia_register_attempt.txt", "network-ip", phone));
        f.add(with("raw-register-sipp/003-CUSTOM-sofia_register.txt", "network-ip", phone));
        f.add(with("raw-invite-authfail-ALL/003-CUSTOM-sofia_register_attempt.txt", "network-ip", attacker));
        f.add(with("raw-invite-authfail-ALL/004-CUSTOM-sofia_register_failure.txt", "network-ip", attacker));
        f.add(log("mod_event_socket.c", 2674, "IP " + attacker + " Rejected by acl \"loopback.auto\""));
        f.add(log("sofia_reg.c", 1842, "SIP auth challenge (INVITE) on sofia profile 'internal' for [0031900123456@198.51.100.1] from ip " + phone));
        f.add(with(with(read("raw-call-sip/001-CHANNEL_CREATE.txt"), "Unique-ID", uuid), "variable_sip_network_ip", phone));
        f.add(with(read("raw-call-sip/002-CHANNEL_ANSWER.txt"), "Unique-ID", uuid));
        f.add(with(read("raw-call-sip/003-CHANNEL_HANGUP_COMPLETE.txt"), "Unique-ID", uuid));
        f.add(log("sofia_reg.c", 1842, "SIP auth challenge (REGISTER) on sofia profile 'internal' for [1001@198.51.100.1] from ip " + phone));
        return f;
    }

    static byte[] read(String capture) throws IOException {
        return Files.readAllBytes(CAPTURES.resolve(capture));
    }

    static byte[] with(String capture, String name, String value) throws IOException {
        return with(read(capture), name, value);
    }

    /** The event with header {@code name} set to {@code value} (already URL-safe here), Content-Length fixed. */
    static byte[] with(byte[] frame, String name, String value) {
        String s = new String(frame, StandardCharsets.UTF_8);
        String body = s.substring(s.indexOf("\n\n") + 2);
        StringBuilder out = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            out.append(line.startsWith(name + ": ") ? name + ": " + value.replace(":", "%3A") : line).append('\n');
        }
        byte[] b = out.substring(0, out.length() - 1).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("Content-Length: " + b.length + "\nContent-Type: text/event-plain\n\n").getBytes(StandardCharsets.UTF_8));
        o.writeBytes(b);
        return o.toByteArray();
    }

    /** A log/data frame as mod_event_socket writes it. */
    static byte[] log(String file, int line, String message) {
        String text = "2026-11-22 18:05:00.000000 98.00% [WARNING] " + file + ":" + line + " " + message + "\n";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        String head = "Content-Type: log/data\nContent-Length: " + b.length + "\nLog-Level: 4\nText-Channel: 0\n"
                + "Log-File: " + file + "\nLog-Func: f\nLog-Line: " + line + "\nUser-Data: \n\n";
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        o.writeBytes(b);
        return o.toByteArray();
    }

    /** CPU time of the Event Socket reader thread (parsing, mapping, dispatching). */
    static long readerCpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("esl-127.0.0.1")) {
                return threads.getThreadCpuTime(t.getId());
            }
        }
        throw new IllegalStateException("no Event Socket reader thread");
    }

    static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, g.getCollectionTime());
        }
        return t;
    }
}
