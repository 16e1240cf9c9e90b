package org.tollguard.freeswitch.esl;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One socket to FreeSWITCH. FreeSWITCH handles the commands of one connection strictly in order and answers each
 * with exactly one {@code command/reply} or {@code api/response} frame, so replies are matched to a FIFO of futures;
 * BACKGROUND_JOB events are matched by the Job-UUID this client chose. Closing fails every open future.
 */
final class EslConnection {
    private final Socket socket;
    private final EslFrameReader reader;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Queue<CompletableFuture<EslMessage>> replies = new ConcurrentLinkedQueue<>();
    private final Map<String, CompletableFuture<EslEvent>> jobs = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile String closeReason;
    private volatile long lastReceived = System.nanoTime();
    private volatile long lastPing = System.nanoTime();

    EslConnection(Socket socket, int maxFrameBytes) throws IOException {
        this.socket = socket;
        this.reader = new EslFrameReader(new BufferedInputStream(socket.getInputStream(), 64 * 1024), maxFrameBytes);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    /** The next frame, or null at a clean end of stream. Reader thread only. */
    EslMessage read() throws IOException {
        EslMessage m = reader.read();
        lastReceived = System.nanoTime();
        return m;
    }

    /** Writes a command whose reply is read outside the FIFO (auth). */
    void writeDirect(String command) throws IOException {
        writeLock.lock();
        try {
            out.write((command + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes a command (first line plus optional header lines) and returns the future of its reply frame. */
    CompletableFuture<EslMessage> send(String command) {
        CompletableFuture<EslMessage> reply = new CompletableFuture<>();
        writeLock.lock();
        try {
            if (closed) {
                reply.completeExceptionally(lost());
                return reply;
            }
            replies.add(reply);
            if (closed) { // raced with close(): it may have drained the queue before our add
                reply.completeExceptionally(lost());
                return reply;
            }
            out.write((command + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
        } finally {
            writeLock.unlock();
        }
        return reply;
    }

    /** Sends {@code api version} unless a ping went out less than {@code intervalNanos} ago or a write is stuck. */
    void ping(long intervalNanos) {
        long now = System.nanoTime();
        if (now - lastPing < intervalNanos || !writeLock.tryLock()) {
            return;
        }
        try {
            lastPing = now;
            send("api version");
        } finally {
            writeLock.unlock();
        }
    }

    long idleNanos() {
        return System.nanoTime() - lastReceived;
    }

    /** Hands a command/reply or api/response frame to the oldest waiting command. */
    boolean completeReply(EslMessage m) {
        CompletableFuture<EslMessage> f = replies.poll();
        if (f == null) {
            return false;
        }
        f.complete(m);
        return true;
    }

    CompletableFuture<EslEvent> registerJob(String jobUuid) {
        CompletableFuture<EslEvent> f = new CompletableFuture<>();
        jobs.put(jobUuid, f);
        if (closed) {
            jobs.remove(jobUuid);
            f.completeExceptionally(lost());
        }
        return f;
    }

    void forgetJob(String jobUuid) {
        jobs.remove(jobUuid);
    }

    /** Completes the bgapi future waiting for this BACKGROUND_JOB, if there is one. */
    boolean completeJob(EslEvent e) {
        String uuid = e.header("Job-UUID");
        CompletableFuture<EslEvent> f = uuid == null ? null : jobs.remove(uuid);
        if (f == null) {
            return false;
        }
        f.complete(e);
        return true;
    }

    boolean isClosed() {
        return closed;
    }

    /** Why this connection was closed by this side (null if it was not, e.g. FreeSWITCH closed it). */
    String closeReason() {
        return closeReason;
    }

    /** Closes the socket (unblocking the reader and any writer) and fails every open future. Idempotent. */
    synchronized void close(String reason) {
        if (closed) {
            return;
        }
        closeReason = reason;
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        EslException lost = lost();
        CompletableFuture<EslMessage> f;
        while ((f = replies.poll()) != null) {
            f.completeExceptionally(lost);
        }
        jobs.values().forEach(j -> j.completeExceptionally(lost));
        jobs.clear();
    }

    private EslException lost() {
        return new EslException("connection to FreeSWITCH lost before the reply: " + closeReason);
    }
}
