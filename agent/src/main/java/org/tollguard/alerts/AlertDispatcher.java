package org.tollguard.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects alerts into one digest per channel and sends each digest when its interval is over and the
 * channel's hourly cap allows. Callers only enqueue (a full queue drops and counts, never waits). The digests
 * live on the dispatcher's own thread; each channel sends on a thread of its own, so a dead mail server neither
 * holds up the webhooks nor the engines. A message that fails is retried with back-off; if every attempt
 * fails, its alerts are carried into the channel's next message, so the counts survive an outage.
 */
final class AlertDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);
    static final int QUEUE_CAPACITY = 65_536;
    /**
     * How long stopping may take at most: the systemd unit allows 30s for the whole agent. Messages in flight
     * get a third of it to finish, then pending digests are sent once within the rest.
     */
    static final Duration CLOSE_BUDGET = Duration.ofSeconds(15);
    private static final int BATCH = 4096;

    private final List<Lane> lanes;
    private final Clock clock;
    private final String agent;
    private final int details;
    private final int topTargets;
    private final AlertsConfig.Retry retry;
    private final ArrayBlockingQueue<Alert> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;

    /** One channel with its settings, its digest and its sending thread. */
    static final class Lane {
        final Channel channel;
        final Severity minSeverity;
        final long intervalMillis;
        final RateLimit rate;
        final ExecutorService sender;
        Digest digest;
        volatile boolean busy;
        final AtomicLong messagesSent = new AtomicLong();
        final AtomicLong alertsSent = new AtomicLong();
        final AtomicLong failedAttempts = new AtomicLong();
        volatile Instant lastSent;
        volatile Instant lastFailure;
        volatile String lastError;
        volatile long pending;

        Lane(Channel channel, Severity minSeverity, Duration interval, int maxPerHour) {
            this.channel = channel;
            this.minSeverity = minSeverity;
            this.intervalMillis = interval.toMillis();
            this.rate = new RateLimit(maxPerHour);
            this.sender = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "alerts-" + channel.type() + "-" + channel.name());
                t.setDaemon(true);
                return t;
            });
        }

        ChannelStatus status() {
            return new ChannelStatus(channel.type(), channel.name(), minSeverity, messagesSent.get(), alertsSent.get(),
                    failedAttempts.get(), pending, lastSent, lastFailure, lastError);
        }
    }

    private record Outcome(Lane lane, DigestMessage message, int attempts, boolean delivered) {}

    AlertDispatcher(List<Lane> lanes, Clock clock, String agent, int details, int topTargets, AlertsConfig.Retry retry) {
        this.lanes = List.copyOf(lanes);
        this.clock = clock;
        this.agent = agent;
        this.details = details;
        this.topTargets = topTargets;
        this.retry = retry;
        this.thread = new Thread(this::run, "alerts");
        thread.setDaemon(true);
        thread.start();
    }

    /** Never blocks: a full queue (or a closed dispatcher) drops the alert and counts it. */
    boolean submit(Alert alert) {
        if (!closing && queue.offer(alert)) {
            return true;
        }
        if (dropped.incrementAndGet() % 10_000 == 1) {
            log.warn("alert queue full, alerts dropped dropped={}", dropped.get());
        }
        return false;
    }

    long dropped() {
        return dropped.get();
    }

    /** Alerts taken into digests so far. */
    long accepted() {
        return accepted.get();
    }

    List<ChannelStatus> status() {
        return lanes.stream().map(Lane::status).toList();
    }

    // ---------------------------------------------------------------- dispatcher thread

    private void run() {
        List<Alert> batch = new ArrayList<>(BATCH);
        long droppedSeen = 0;
        try {
            while (!closing || !queue.isEmpty()) {
                Alert first = queue.poll(waitMillis(clock.millis()), TimeUnit.MILLISECONDS);
                if (first != null) {
                    accept(first);
                    batch.clear();
                    queue.drainTo(batch, BATCH);
                    batch.forEach(this::accept);
                }
                droppedSeen = carryDropped(droppedSeen);
                settleOutcomes();
                sendDue(clock.millis(), false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        carryDropped(droppedSeen);
        flush();
    }

    private void accept(Alert a) {
        accepted.incrementAndGet();
        long now = clock.millis();
        for (Lane lane : lanes) {
            if (a.severity().atLeast(lane.minSeverity)) {
                if (lane.digest == null) {
                    lane.digest = new Digest(now, details);
                }
                lane.digest.add(a);
                lane.pending = lane.digest.total();
            }
        }
    }

    private long carryDropped(long seen) {
        long now = dropped.get();
        if (now > seen) {
            for (Lane lane : lanes) {
                if (lane.digest == null) {
                    lane.digest = new Digest(clock.millis(), details);
                }
                lane.digest.addDropped(now - seen);
            }
        }
        return now;
    }

    /** How long to wait for the next alert before some digest is due (short while a sender is busy). */
    private long waitMillis(long now) {
        long wait = 1000;
        for (Lane lane : lanes) {
            if (lane.busy) {
                wait = Math.min(wait, 50);
            } else if (lane.digest != null) {
                long due = Math.max(lane.digest.openedMillis + lane.intervalMillis, lane.rate.nextSlot(now));
                wait = Math.min(wait, Math.max(1, due - now));
            }
        }
        return wait;
    }

    private void sendDue(long now, boolean force) {
        for (Lane lane : lanes) {
            Digest d = lane.digest;
            if (d == null || d.isEmpty() || lane.busy) {
                continue;
            }
            if (!force && (now < d.openedMillis + lane.intervalMillis || !lane.rate.tryAcquire(now))) {
                continue;
            }
            DigestMessage message = d.close(agent, topTargets, clock.instant());
            lane.digest = null;
            lane.pending = 0;
            lane.busy = true;
            boolean once = force;
            try {
                lane.sender.execute(() -> outcomes.add(deliver(lane, message, once)));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                lane.busy = false;
                log.error("alert message not sent channel={} alerts={} error=\"sender stopped\"", lane.channel.name(),
                        message.total());
            }
        }
    }

    private void settleOutcomes() {
        Outcome o;
        while ((o = outcomes.poll()) != null) {
            Lane lane = o.lane();
            if (!o.delivered()) {
                if (lane.digest == null) {
                    lane.digest = new Digest(clock.millis(), details);
                }
                lane.digest.absorb(o.message());
                lane.pending = lane.digest.total();
                log.error("alert message not delivered after {} attempt{} channel={} alerts={}: carried into the next"
                        + " message", o.attempts(), o.attempts() == 1 ? "" : "s", lane.channel.name(), o.message().total());
            }
            lane.busy = false;
        }
    }

    /** On close: wait for the messages in flight, then send every pending digest once, interval and cap aside. */
    private void flush() {
        long deadline = System.nanoTime() + CLOSE_BUDGET.dividedBy(3).toNanos();
        while (lanes.stream().anyMatch(l -> l.busy) && System.nanoTime() < deadline) {
            settleOutcomes();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        settleOutcomes();
        sendDue(clock.millis(), true);
    }

    // ---------------------------------------------------------------- sender threads

    /** Tries {@code message} up to the configured number of times (once when {@code once}). */
    private Outcome deliver(Lane lane, DigestMessage message, boolean once) {
        Duration backoff = retry.backoff();
        int attempts = once ? 1 : retry.attempts();
        for (int attempt = 1; ; attempt++) {
            try {
                lane.channel.send(message);
                lane.messagesSent.incrementAndGet();
                lane.alertsSent.addAndGet(message.total());
                lane.lastSent = clock.instant();
                log.info("alert message sent channel={} type={} alerts={} kinds=\"{}\" attempt={}", lane.channel.name(),
                        lane.channel.type(), message.total(), message.headline(), attempt);
                return new Outcome(lane, message, attempt, true);
            } catch (Exception e) {
                lane.failedAttempts.incrementAndGet();
                lane.lastFailure = clock.instant();
                lane.lastError = describe(e);
                boolean last = attempt >= attempts || closing;
                log.warn("alert message failed channel={} type={} attempt={} error=\"{}\"{}", lane.channel.name(),
                        lane.channel.type(), attempt, lane.lastError,
                        last ? "" : " retry-in=" + org.tollguard.yamlconfig.Durations.format(backoff));
                if (last) {
                    return new Outcome(lane, message, attempt, false);
                }
            }
            if (!sleep(backoff)) {
                return new Outcome(lane, message, attempt, false);
            }
            backoff = backoff.multipliedBy(2).compareTo(retry.backoffMax()) > 0 ? retry.backoffMax() : backoff.multipliedBy(2);
        }
    }

    /** The exception's message, and its root cause's if that says more ("Could not convert socket to TLS: PKIX..."). */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += ": " + root.getMessage();
        }
        return message.length() > 300 ? message.substring(0, 297) + "..." : message;
    }

    /** Sleeps unless closing begins; false if it did. */
    private boolean sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (!closing) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 50));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Sends what is pending (once each), then stops; takes at most {@link #CLOSE_BUDGET}. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        long deadline = System.nanoTime() + CLOSE_BUDGET.toNanos();
        try {
            thread.join(CLOSE_BUDGET.dividedBy(2).toMillis());
            for (Lane lane : lanes) {
                lane.sender.shutdown();
            }
            for (Lane lane : lanes) {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!lane.sender.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    lane.sender.shutdownNow();
                    log.warn("alert channel did not finish before shutdown channel={} pending={}", lane.channel.name(),
                            lane.pending);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Lane lane : lanes) {
            try {
                lane.channel.close();
            } catch (RuntimeException e) {
                log.warn("alert channel close failed channel={} error=\"{}\"", lane.channel.name(), e.toString());
            }
        }
    }
}
