package org.tollguard.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A stand-in for Asterisk's manager interface that replays security events at a fixed rate.
 *
 * <p>It speaks the AMI text protocol as asterisk-java needs it: the banner, {@code Challenge} (MD5),
 * {@code Login} (checks the key, honours {@code Events:}), {@code CoreSettings} (the version probe),
 * {@code Ping} and {@code Logoff}; any other action gets an error. Once a client is logged in for security events
 * ({@code Events:} on, or a list with {@code security}; asterisk-java's session for calls gets only
 * {@code FullyBooted}) and the controller says {@code go} on standard input, it streams the {@link Workload}'s security events, formatted like the frames
 * Asterisk 22 sent on the testbed (see {@link Workload}), paced every millisecond to the requested rate.
 *
 * <p>It reports on standard output, one line each: {@code READY port=P}, {@code LOGIN}, {@code SENT t_ms=T
 * sent=N behind=B} ten times a second, {@code DONE sent=N seconds=S max_behind=B}. {@code behind} is how many events
 * it should have sent by now but could not, because the client did not read them fast enough: a client that keeps
 * up keeps it near zero. {@code STREAMING start_epoch_ms=T} marks the start of the stream.
 *
 * <pre>
 * java -cp ... org.tollguard.bench.AmiReplayServer --rate 20000 --seconds 60 [--banned-per-second 0]
 *      [--pool 500000] [--port 0] [--secret s] [--banner "Asterisk Call Manager/11.0.0"]
 * </pre>
 */
public final class AmiReplayServer {
    private final Options options;
    private final PrintStream report;
    private final CountDownLatch go = new CountDownLatch(1);
    private final AtomicLong sent = new AtomicLong();

    AmiReplayServer(Options options, PrintStream report) {
        this.options = options;
        this.report = report;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        AmiReplayServer server = new AmiReplayServer(options, System.out);
        Thread control = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.strip().equals("go")) {
                        server.go.countDown();
                    }
                }
            } catch (IOException ignored) {
                // controller gone
            }
            System.exit(0); // the controller closed our stdin: stop
        }, "control");
        control.setDaemon(true);
        control.start();
        server.serve();
    }

    void serve() throws Exception {
        try (ServerSocket listener = new ServerSocket(options.port, 4, InetAddress.getByName(options.listen))) {
            report.println("READY port=" + listener.getLocalPort());
            report.flush();
            while (true) {
                Socket client = listener.accept();
                Thread t = new Thread(() -> session(client), "ami-session");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private void session(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSendBufferSize(256 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            write(out, options.banner + "\r\n");
            String challenge = null;
            boolean loggedIn = false;
            Map<String, String> action;
            while ((action = readAction(in)) != null) {
                String name = action.getOrDefault("action", "").toLowerCase(Locale.ROOT);
                String id = action.get("actionid");
                switch (name) {
                    case "challenge" -> {
                        challenge = Long.toString(100_000_000 + ThreadLocalRandom.current().nextLong(900_000_000));
                        respond(out, id, "Success", "Challenge: " + challenge);
                    }
                    case "login" -> {
                        if (keyMatches(action, challenge)) {
                            loggedIn = true;
                            respond(out, id, "Success", "Message: Authentication accepted");
                            write(out, "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 12\r\nLastReload: 12\r\n"
                                    + "Status: Fully Booted\r\n\r\n");
                            boolean security = wantsSecurity(action.get("events"));
                            report.println("LOGIN events=" + action.getOrDefault("events", "on") + " stream=" + security);
                            report.flush();
                            if (security) {
                                startStreaming(socket, out);
                            }
                        } else {
                            respond(out, id, "Error", "Message: Authentication failed");
                        }
                    }
                    case "coresettings" -> respond(out, id, "Success", "AMIversion: 11.0.0\r\n"
                            + "AsteriskVersion: 22.10.1+dfsg+~cs6.17.60671434-1\r\nSystemName: tg-pbx\r\n"
                            + "CoreMaxCalls: 0\r\nCoreMaxLoadAvg: 0.000000\r\nCoreRunUser: asterisk\r\n"
                            + "CoreRunGroup: asterisk\r\nCoreMaxFilehandles: 0\r\nCoreRealTimeEnabled: No\r\n"
                            + "CoreCDRenabled: Yes\r\nCoreHTTPenabled: Yes\r\nSoundsSearchCustomDir: No");
                    case "ping" -> respond(out, id, "Success", "Ping: Pong\r\nTimestamp: "
                            + String.format(Locale.ROOT, "%.6f", System.currentTimeMillis() / 1000.0));
                    case "logoff" -> {
                        respond(out, id, "Goodbye", "Message: Thanks for all the fish.");
                        return;
                    }
                    default -> respond(out, id, "Error", "Message: " + (loggedIn ? "Invalid/unknown command" : "Permission denied"));
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /** Asterisk sends security events to a session whose {@code Events:} is on, or lists security (or all). */
    static boolean wantsSecurity(String events) {
        if (events == null) {
            return true;
        }
        String e = events.strip().toLowerCase(Locale.ROOT);
        if (e.equals("on") || e.equals("yes") || e.equals("true")) {
            return true;
        }
        for (String c : e.split(",")) {
            if (c.strip().equals("security") || c.strip().equals("all")) {
                return true;
            }
        }
        return false;
    }

    private boolean keyMatches(Map<String, String> login, String challenge) {
        if (!options.username.equals(login.get("username"))) {
            return false;
        }
        if ("md5".equalsIgnoreCase(login.get("authtype")) && challenge != null) {
            return md5(challenge + options.secret).equalsIgnoreCase(login.getOrDefault("key", ""));
        }
        return options.secret.equals(login.get("secret"));
    }

    private void startStreaming(Socket socket, OutputStream out) {
        Thread t = new Thread(() -> {
            try {
                go.await();
                stream(out);
            } catch (IOException | InterruptedException e) {
                report.println("STREAM-ENDED error=\"" + e + "\"");
                report.flush();
            }
        }, "ami-stream");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Writes the workload's events at {@code rate} per second for {@code seconds}, catching up when behind. A
     * reporter thread prints what was written ten times a second, even while a write blocks.
     */
    private void stream(OutputStream out) throws IOException {
        Workload workload = new Workload(options.pool, options.bannedPerSecond, options.rate);
        byte[] buffer = new byte[1 << 20];
        long total = (long) options.rate * options.seconds;
        long start = System.nanoTime();
        report.println("STREAMING start_epoch_ms=" + System.currentTimeMillis());
        report.flush();
        AtomicLong maxBehind = new AtomicLong();
        Thread reporter = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long elapsed = System.nanoTime() - start;
                long due = Math.min(total, (long) (options.rate * (elapsed / 1e9)));
                long behind = due - sent.get();
                maxBehind.accumulateAndGet(behind, Math::max);
                report.println("SENT t_ms=" + elapsed / 1_000_000 + " sent=" + sent.get() + " behind=" + behind);
                report.flush();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "reporter");
        reporter.setDaemon(true);
        reporter.start();
        long n = 0;
        try {
            while (n < total) {
                long due = Math.min(total, (long) (options.rate * ((System.nanoTime() - start) / 1e9)));
                int len = 0;
                while (n < due && len < buffer.length - 4096) {
                    len = workload.next(buffer, len, System.currentTimeMillis());
                    n++;
                }
                if (len > 0) {
                    synchronized (out) {
                        out.write(buffer, 0, len);
                        out.flush();
                    }
                    sent.set(n);
                }
                if (n >= due) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
        } finally {
            reporter.interrupt();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report.println(String.format(Locale.ROOT, "DONE sent=%d seconds=%.3f max_behind=%d ipv4=%d ipv6=%d brute_sources=%d",
                n, seconds, maxBehind.get(), workload.ipv4Events(), workload.ipv6Events(), workload.bruteSources()));
        report.flush();
    }

    private static void respond(OutputStream out, String actionId, String response, String body) throws IOException {
        StringBuilder sb = new StringBuilder("Response: ").append(response).append("\r\n");
        if (actionId != null) {
            sb.append("ActionID: ").append(actionId).append("\r\n");
        }
        sb.append(body).append("\r\n\r\n");
        write(out, sb.toString());
    }

    private static void write(OutputStream out, String text) throws IOException {
        synchronized (out) {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    /** One action: its headers with lower-case keys; null at end of stream. */
    private static Map<String, String> readAction(BufferedReader in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (!headers.isEmpty()) {
                    return headers;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return null;
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Command-line options. */
    record Options(String listen, int port, String username, String secret, String banner, int rate, int seconds,
                   int bannedPerSecond, int pool) {
        static Options parse(String[] args) {
            Map<String, String> o = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("usage: --name value ... (at '" + args[i] + "')");
                }
                o.put(args[i].substring(2), args[++i]);
            }
            Options options = new Options(o.getOrDefault("listen", "127.0.0.1"),
                    Integer.parseInt(o.getOrDefault("port", "0")),
                    o.getOrDefault("username", "tollguard"), o.getOrDefault("secret", "bench-secret"),
                    o.getOrDefault("banner", "Asterisk Call Manager/11.0.0"),
                    Integer.parseInt(o.getOrDefault("rate", "20000")),
                    Integer.parseInt(o.getOrDefault("seconds", "60")),
                    Integer.parseInt(o.getOrDefault("banned-per-second", "0")),
                    Integer.parseInt(o.getOrDefault("pool", "500000")));
            return options;
        }
    }
}
