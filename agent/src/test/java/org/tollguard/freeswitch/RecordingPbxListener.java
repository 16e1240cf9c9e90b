package org.tollguard.freeswitch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tollguard.pbx.PbxEvent;
import org.tollguard.pbx.PbxEventListener;

/** Records what an adapter delivers, with the thread it ran on; the await methods fail after a timeout. */
final class RecordingPbxListener implements PbxEventListener {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final BlockingQueue<PbxEvent> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();

    @Override
    public void onEvent(PbxEvent event) {
        events.add(event);
        threads.add(Thread.currentThread());
    }

    PbxEvent next() throws InterruptedException {
        PbxEvent e = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + TIMEOUT);
        }
        return e;
    }

    <T extends PbxEvent> T next(Class<T> type) throws InterruptedException {
        PbxEvent e = next();
        if (!type.isInstance(e)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + e);
        }
        return type.cast(e);
    }

    /** Skips events of other types until one of {@code type} arrives. */
    <T extends PbxEvent> T nextOf(Class<T> type) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            PbxEvent e = events.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within " + TIMEOUT);
    }

    /** Asserts nothing arrives within {@code quiet}. */
    void assertQuiet(Duration quiet) throws InterruptedException {
        PbxEvent e = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        if (e != null) {
            throw new AssertionError("expected no event, got " + e);
        }
    }

    List<PbxEvent> drain() {
        List<PbxEvent> list = new ArrayList<>();
        events.drainTo(list);
        return list;
    }
}
