package org.tollguard.decision;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the ledger's changes to the journal (the store) on its own thread, in order, so that no one deciding
 * waits on the disk. A write that fails (full disk) is logged and counted; the decision stays in force.
 */
final class JournalWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);

    private final DecisionJournal journal;
    private final List<DecisionListener> journaledListeners;
    private final ThreadPoolExecutor thread;
    private final AtomicLong failures = new AtomicLong();

    JournalWriter(DecisionJournal journal, List<DecisionListener> journaledListeners) {
        this.journal = journal;
        this.journaledListeners = journaledListeners;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(200_000), r -> {
            Thread t = new Thread(r, "decision-journal");
            t.setDaemon(true);
            return t;
        });
    }

    void append(Decision d) {
        submit(() -> {
            journal.append(d);
            for (DecisionListener l : journaledListeners) {
                try {
                    l.onDecision(d);
                } catch (RuntimeException e) {
                    log.warn("journaled-decision listener failed listener={} error=\"{}\"", l.getClass().getSimpleName(),
                            e.getMessage());
                }
            }
        }, d, "stored");
    }

    void lifted(Decision d) {
        submit(() -> journal.lifted(d), d, "lift stored");
    }

    long failures() {
        return failures.get();
    }

    /** Waits until everything handed over so far is written. */
    void flush() {
        try {
            CompletableFuture.runAsync(() -> {}, thread).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("decision journal flush did not finish error=\"{}\"", e.toString());
        }
    }

    private void submit(Runnable write, Decision d, String what) {
        try {
            thread.execute(() -> {
                try {
                    write.run();
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    log.error("decision not {} id={} kind={} target={} error=\"{}\"", what, d.id(), d.kind().id(),
                            d.target().text(), e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            failures.incrementAndGet();
            log.error("decision not {} id={} kind={} target={} error=\"journal queue full or closed\"", what, d.id(),
                    d.kind().id(), d.target().text());
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                log.error("decision journal did not finish writing in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
