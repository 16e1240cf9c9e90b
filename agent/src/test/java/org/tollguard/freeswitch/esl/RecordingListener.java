package org.tollguard.freeswitch.esl;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every callback; the await methods fail the test after a timeout. */
final class RecordingListener implements EslListener {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final BlockingQueue<EslEvent> events = new LinkedBlockingQueue<>();
    final BlockingQueue<EslLogLine> logs = new LinkedBlockingQueue<>();
    final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
    final BlockingQueue<String> authFailures = new LinkedBlockingQueue<>();
    final BlockingQueue<Thread> connects = new LinkedBlockingQueue<>();
    final AtomicInteger connectCount = new AtomicInteger();

    @Override
    public void onConnected() {
        connectCount.incrementAndGet();
        connects.add(Thread.currentThread());
    }

    @Override
    public void onEvent(EslEvent event) {
        events.add(event);
    }

    @Override
    public void onLog(EslLogLine line) {
        logs.add(line);
    }

    @Override
    public void onDisconnected(String reason) {
        disconnects.add(reason);
    }

    @Override
    public void onAuthFailed(String reply) {
        authFailures.add(reply);
    }

    Thread awaitConnected() throws InterruptedException {
        return await(connects, "onConnected");
    }

    EslEvent awaitEvent() throws InterruptedException {
        return await(events, "onEvent");
    }

    EslLogLine awaitLog() throws InterruptedException {
        return await(logs, "onLog");
    }

    String awaitDisconnected() throws InterruptedException {
        return await(disconnects, "onDisconnected");
    }

    String awaitAuthFailed() throws InterruptedException {
        return await(authFailures, "onAuthFailed");
    }

    private static <T> T await(BlockingQueue<T> q, String what) throws InterruptedException {
        T t = q.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (t == null) {
            throw new AssertionError("no " + what + " within " + TIMEOUT);
        }
        return t;
    }
}
