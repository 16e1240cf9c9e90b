package org.tollguard.engine;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread an engine's state lives on (DESIGN.md, "Threads"): work is queued to it from any thread without
 * ever blocking the caller, periodic work is posted to the same queue, and a failing step is logged, not fatal.
 * A full queue drops the work and counts it.
 */
public final class EngineThread implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineThread.class);

    private final String name;
    private final ThreadPoolExecutor thread;
    private final ScheduledExecutorService ticker;
    private final AtomicLong dropped = new AtomicLong();

    public EngineThread(String name, int queueCapacity) {
        this.name = name;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                r -> daemon(r, name));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-tick"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Queues {@code work} for the engine thread; never blocks. Returns false if it was dropped. */
    public boolean submit(Runnable work) {
        try {
            thread.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.error("{} step failed error=\"{}\"", name, e.toString(), e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            if (dropped.incrementAndGet() % 10_000 == 1) {
                log.warn("{} queue full or closed, work dropped dropped={}", name, dropped.get());
            }
            return false;
        }
    }

    /**
     * Posts {@code work} to the engine thread every {@code period}. A run is not queued again while the previous
     * one still waits, so a busy engine does not pile up ticks.
     */
    public void every(Duration period, Runnable work) {
        AtomicBoolean queued = new AtomicBoolean();
        long ms = period.toMillis();
        ticker.scheduleAtFixedRate(() -> {
            if (queued.compareAndSet(false, true) && !submit(() -> {
                queued.set(false);
                work.run();
            })) {
                queued.set(false);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code work} every {@code period} on the timer thread itself (for work that touches no engine state). */
    public void onTimer(Duration period, Runnable work) {
        long ms = period.toMillis();
        ticker.scheduleWithFixedDelay(work, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code work} on the engine thread and waits for its result (at most {@code max}). */
    public <T> T call(Supplier<T> work, Duration max) throws TimeoutException {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!submit(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        })) {
            throw new TimeoutException(name + " queue full");
        }
        try {
            return result.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Waits until everything queued so far has been handled. */
    public void drain() {
        try {
            call(() -> null, Duration.ofSeconds(30));
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " did not drain within 30 s");
        }
    }

    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
