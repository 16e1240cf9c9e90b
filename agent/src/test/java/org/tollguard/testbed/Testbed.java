package org.tollguard.testbed;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Asterisk testbed ({@code testbed/asterisk}): Asterisk 22 in netns {@code tg-pbx}, phones and
 * attackers in netns {@code tg-net}, AMI reachable from here over the management link.
 */
public final class Testbed {
    public static final String PBX_NETNS = "tg-pbx";
    public static final String NET_NETNS = "tg-net";
    public static final String AMI_HOST = "198.18.0.2";
    public static final String AMI_SECRET = "testbed-ami-secret";
    public static final String PBX_V4 = "198.51.100.1";
    public static final String PBX_V6 = "2001:db8::1";
    /** The SIP provider (trunk) in the internet namespace: its UAS answers the PBX's outbound calls on :5060. */
    public static final String PROVIDER = "198.51.100.50";
    /** The second PBX, B ({@code testbed/asterisk --pbx b up}): same chroot, its own namespace, addresses and AMI. */
    public static final String PBX_B_NETNS = "tg-pbx2";
    public static final String AMI_HOST_B = "198.18.0.6";
    public static final String PBX_B_V4 = "198.51.100.2";
    public static final String PBX_B_V6 = "2001:db8::2";

    private static boolean up;
    private static boolean upB;
    /** Why the testbed did not come up: every later test fails at once with it instead of trying again. */
    private static IllegalStateException failed;
    /** The testbed lock, shared with shell users ({@code flock LOCK cmd}); kept for the JVM's life. */
    public static final String LOCK = "/run/tollguard-testbed-tests.lock";
    /** Holds {@link #LOCK} with flock(2) for as long as this JVM lives (its stdin closes when we die). */
    private static Process turn;

    private Testbed() {}

    public static Path root() {
        return Path.of(System.getProperty("tollguard.root", "..")).toAbsolutePath().normalize();
    }

    /** Brings the testbed up once per JVM (builds the chroot the first time, ~1 minute). */
    public static synchronized void up() {
        assumeTrue("root".equals(System.getProperty("user.name")), "the testbed needs root");
        if (failed != null) {
            throw failed;
        }
        if (!up) {
            takeTurn();
            Result r = run(600, root().resolve("testbed/asterisk").toString(), "up");
            if (r.exit() != 0) {
                failed = new IllegalStateException("testbed up failed:\n" + r.output());
                throw failed;
            }
            up = true;
        }
    }

    /** Brings PBX A and the second PBX B up once per JVM. */
    public static synchronized void upBoth() {
        up();
        if (!upB) {
            Result r = run(600, root().resolve("testbed/asterisk").toString(), "--pbx", "b", "up");
            if (r.exit() != 0) {
                failed = new IllegalStateException("testbed --pbx b up failed:\n" + r.output());
                throw failed;
            }
            upB = true;
        }
    }

    /**
     * Test runs from several checkouts, benchmarks and manual use take turns on the one testbed. Java's own file
     * locks are POSIX locks, which do not exclude flock(1); so hold the lock through flock itself.
     */
    private static void takeTurn() {
        try {
            turn = new ProcessBuilder("flock", "-x", LOCK, "sh", "-c", "echo locked; exec cat")
                    .redirectErrorStream(true).start();
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(turn.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            if (!"locked".equals(first)) {
                throw new IllegalStateException("cannot take the testbed lock " + LOCK + ": " + first);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot take the testbed lock " + LOCK, e);
        }
    }

    /** Runs a command inside the internet namespace (phones, attackers). */
    public static Result net(int timeoutSeconds, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", NET_NETNS));
        full.addAll(List.of(command));
        return run(timeoutSeconds, full.toArray(String[]::new));
    }

    /** Runs a command inside the PBX namespace (its firewall). */
    public static Result pbx(int timeoutSeconds, String... command) {
        return inNetns(PBX_NETNS, timeoutSeconds, command);
    }

    /** Runs a command inside PBX B's namespace. */
    public static Result pbxB(int timeoutSeconds, String... command) {
        return inNetns(PBX_B_NETNS, timeoutSeconds, command);
    }

    private static Result inNetns(String netns, int timeoutSeconds, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        full.addAll(List.of(command));
        return run(timeoutSeconds, full.toArray(String[]::new));
    }

    public static Result cli(String asteriskCommand) {
        return run(30, root().resolve("testbed/asterisk").toString(), "cli", asteriskCommand);
    }

    /** A REGISTER with digest auth from {@code from}; true if the PBX accepted it. */
    public static boolean register(String from, String pbx, String user, String password) {
        return sipp(from, pbx, "register.xml", user, password, 1, false).exit() == 0;
    }

    /** {@code count} REGISTERs with a wrong password, each a real failed login. */
    public static Result wrongPassword(String from, String pbx, String user, int count, boolean tcp) {
        return sipp(from, pbx, "register-wrong.xml", user, "wrong-" + user, count, tcp);
    }

    private static Result sipp(String from, String pbx, String scenario, String user, String password, int calls,
                               boolean tcp) {
        String target = pbx.contains(":") ? "[" + pbx + "]:5060" : pbx + ":5060";
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", root().resolve("testbed/sipp/" + scenario).toString(),
                "-i", from, "-s", user, "-au", user, "-ap", password, "-m", String.valueOf(calls), "-l", "1",
                "-timeout", "15s", "-recv_timeout", "3000", "-nostdin"));
        if (tcp) {
            cmd.addAll(List.of("-t", "t1"));
        }
        cmd.add(target);
        return net(30, cmd.toArray(String[]::new));
    }

    /** A call from phone {@code user} at {@code from} to {@code number}, kept up {@code holdMillis}; waits for its end. */
    public static Result call(String from, String user, String number, long holdMillis) {
        return net(60, callCommand(from, user, number, holdMillis, 0));
    }

    /** The same, in the background (several at once need distinct local SIP ports). */
    public static Process startCall(String from, String user, String number, long holdMillis, int localPort) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NET_NETNS));
        cmd.addAll(List.of(callCommand(from, user, number, holdMillis, localPort)));
        try {
            return new ProcessBuilder(cmd).directory(Files.createTempDirectory("tg-call").toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] callCommand(String from, String user, String number, long holdMillis, int localPort) {
        String password = "pw-" + user + "-secret";
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", root().resolve("testbed/sipp/call.xml").toString(),
                "-i", from, "-s", number, "-key", "caller", user, "-au", user, "-ap", password,
                "-set", "hold_ms", String.valueOf(holdMillis), "-m", "1", "-timeout", "60s", "-nostdin"));
        if (localPort > 0) {
            cmd.addAll(List.of("-p", String.valueOf(localPort)));
        }
        cmd.add(from.contains(":") ? "[" + PBX_V6 + "]:5060" : PBX_V4 + ":5060");
        return cmd.toArray(String[]::new);
    }

    /**
     * An inbound call from the provider to DID {@code number} (no digest auth: the PBX knows the trunk by its
     * address), kept up {@code holdMillis}; waits for its end. The PBX answers DIDs itself and holds them.
     */
    public static Result inboundCall(String number, long holdMillis) {
        return net(60, "sipp", "-sf", root().resolve("testbed/sipp/call-in.xml").toString(), "-i", PROVIDER,
                "-p", String.valueOf(5100 + (int) (Math.random() * 800)), "-s", number, "-key", "caller", "0612345678",
                "-set", "hold_ms", String.valueOf(holdMillis), "-m", "1", "-timeout", "60s", "-nostdin",
                PBX_V4 + ":5060");
    }

    /** sipvicious svcrack from {@code from} (through the wrapper that honours -b). */
    public static Result svcrack(String from, String pbx, String user, String range) {
        List<String> cmd = new ArrayList<>(List.of(root().resolve("testbed/svcrack").toString()));
        if (pbx.contains(":")) {
            cmd.add("-6");
        }
        cmd.addAll(List.of("-b", from, "-u", user, "-r", range, pbx));
        return net(120, cmd.toArray(String[]::new));
    }

    /** One SIP OPTIONS from {@code from}; true if the PBX answered at all. */
    public static boolean answers(String from, String pbx, boolean tcp) {
        List<String> cmd = new ArrayList<>(List.of(root().resolve("testbed/sip-probe").toString(), "--from", from,
                "--to", pbx, "--timeout", "1.5"));
        if (tcp) {
            cmd.add("--tcp");
        }
        return net(10, cmd.toArray(String[]::new)).exit() == 0;
    }

    /** Runs a command, waits at most {@code timeoutSeconds}, returns exit code and combined output. */
    public static Result run(int timeoutSeconds, String... command) {
        try {
            Path out = Files.createTempFile("tg-cmd", ".out");
            Path dir = Files.createTempDirectory("tg-cmd"); // sipp writes its logs to the working directory
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return new Result(done ? p.exitValue() : -1, text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A finished command. */
    public record Result(int exit, String output) {}
}
