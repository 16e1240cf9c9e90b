package org.tollguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the kernel from outside the agent: one {@code ipset -} (interactive) process in the PBX namespace,
 * asked {@code test SET ADDRESS} in a loop (about 60 us per question, then a pause of {@code pauseMicros}), so
 * the moment an entry appears or goes is known to a fraction of a millisecond without starting a process per
 * look.
 */
final class KernelWatch implements AutoCloseable {
    private final Process process;
    private final OutputStream in;
    private final BufferedReader out;
    private final long pauseNanos;

    KernelWatch(String netns, long pauseMicros) throws IOException {
        process = new ProcessBuilder("ip", "netns", "exec", netns, "ipset", "-").redirectErrorStream(true).start();
        in = process.getOutputStream();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        pauseNanos = pauseMicros * 1000;
    }

    /** Is {@code address} in {@code set} now? (A missing set counts as no.) */
    synchronized boolean test(String set, String address) throws IOException {
        in.write(("test " + set + " " + address + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains(" is in set ")) {
                return true;
            }
            if (line.contains(" is NOT in set ") || line.contains("does not exist")) {
                return false;
            }
        }
        throw new IOException("ipset - ended");
    }

    /**
     * Polls until the entry's presence is {@code present}; returns the wall-clock time (epoch microseconds) of the
     * first answer that saw it so, or -1 after {@code timeoutMillis}.
     */
    long awaitState(String set, String address, boolean present, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            boolean now = test(set, address);
            long at = InstrumentedAgent.epochMicros();
            if (now == present) {
                return at;
            }
            LockSupport.parkNanos(pauseNanos);
        }
        return -1;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
