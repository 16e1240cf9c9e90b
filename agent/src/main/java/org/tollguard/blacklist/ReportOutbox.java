package org.tollguard.blacklist;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.Version;
import org.tollguard.config.BlacklistConfig;
import org.tollguard.config.HubConfig;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.Pbx;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.Report;
import org.tollguard.protocol.ReportAck;
import org.tollguard.protocol.ReportBatch;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.DecisionListener;
import org.tollguard.decision.Origin;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.ReportOutboxRepository;
import org.tollguard.store.StoreException;

/**
 * Reports every local ban to the hub. A report is written to the outbox in the store the moment the ban is
 * decided, and sent from there in batches on a thread of its own; it is marked sent only once the hub has
 * acknowledged it, so a report survives restarts and hub outages, and is never sent again after an
 * acknowledgement. Each report carries an id of its own: a batch resent because the acknowledgement was lost
 * (the agent killed mid-request) is recognised by the hub and counted once.
 *
 * <p>While the hub is unreachable or answers 5xx (or 408/429), sending waits {@code retry-initial}, doubling up to
 * {@code retry-max}, with random jitter, and honours Retry-After. Any other 4xx answer drops the batch's reports
 * with the answer as reason (logged, kept in the store).
 *
 * <p>Only bans this agent decided ({@link Origin#LOCAL}) are reported: not community list entries, not an
 * operator's manual bans. With reporting off, the outbox only moves its cursor, so that turning reporting on later
 * does not report the bans made while it was off.
 */
public final class ReportOutbox implements DecisionListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReportOutbox.class);
    private static final ObjectMapper JSON = ProtocolJson.mapper();
    /** A scan wave bans many addresses within a second: wait this long so they go in one request. */
    private static final Duration LINGER = Duration.ofMillis(500);

    private final BlacklistConfig.Reporting config;
    private final HubConfig hub;
    private final boolean enabled;
    private final ReportOutboxRepository outbox;
    private final DecisionRepository decisions;
    private final Supplier<Pbx> pbx;
    private final Clock clock;
    private final ListHttp http;
    private final URI endpoint;
    private final ScheduledExecutorService sender;
    private final Object schedule = new Object();
    private ScheduledFuture<?> next;
    private long nextAt = Long.MAX_VALUE;
    private int failures;
    private volatile boolean closed;

    public ReportOutbox(BlacklistConfig.Reporting config, HubConfig hub, ReportOutboxRepository outbox,
                        DecisionRepository decisions, Supplier<Pbx> pbx, Clock clock) {
        this.config = config;
        this.hub = hub;
        this.enabled = Boolean.TRUE.equals(config.enabled());
        this.outbox = outbox;
        this.decisions = decisions;
        this.pbx = pbx;
        this.clock = clock;
        this.http = enabled ? new ListHttp(hub.caFile()) : null;
        this.endpoint = enabled ? URI.create(hub.url() + HubPaths.REPORTS) : null;
        this.sender = enabled ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "report-outbox");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Catches up with bans decided while the agent could not write their reports (it stopped between storing the
     * ban and its report), then sends what is pending. The first start only sets the cursor: bans from before
     * reporting existed are not reported.
     */
    public void start() {
        long newest = decisions.recent(1).stream().mapToLong(Decision::id).max().orElse(0);
        OptionalLong cursor = outbox.cursor();
        if (cursor.isEmpty() || !enabled) {
            outbox.advanceCursor(newest);
        } else {
            int caught = 0;
            for (Decision d : localBansAfter(cursor.getAsLong())) {
                if (enqueue(d)) {
                    caught++;
                }
            }
            if (caught > 0) {
                log.info("reports caught up count={}", caught);
            }
            outbox.advanceCursor(newest);
        }
        if (enabled) {
            log.info("reporting to hub url={} pending={} include_account_names={}", endpoint,
                    outbox.counts().get(ReportOutboxRepository.PENDING), config.includeAccountNames());
            wake(Duration.ZERO);
        } else {
            log.info("reporting off");
        }
    }

    private List<Decision> localBansAfter(long id) {
        List<Decision> out = new ArrayList<>();
        for (Decision d : decisions.recent(10_000)) {
            if (d.id() > id && d.kind() == DecisionKind.BAN_ADDRESS && d.origin() == Origin.LOCAL) {
                out.add(d);
            }
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    @Override
    public void onDecision(Decision decision) {
        if (decision.kind() != DecisionKind.BAN_ADDRESS || decision.origin() != Origin.LOCAL || decision.id() == 0) {
            return;
        }
        if (!enabled) {
            outbox.advanceCursor(decision.id());
            return;
        }
        try {
            if (enqueue(decision)) {
                wake(LINGER);
            }
        } catch (StoreException e) {
            log.error("report not stored address={} error=\"{}\" (it is caught up at the next start)",
                    decision.target().text(), e.getMessage());
        }
    }

    private boolean enqueue(Decision d) {
        String reportId = UUID.randomUUID().toString();
        return outbox.add(reportId, d.id(), d.target().text(), payload(reportId, d), clock.instant());
    }

    /** The report: the ban's evidence as the hub wants it. */
    String payload(String reportId, Decision d) {
        Map<String, Object> ev = d.evidence();
        List<String> accounts = strings(ev.get("accounts"));
        Object ua = ev.get("user-agent");
        Report report = new Report(reportId, d.target().text(), instant(ev.get("first-seen")), instant(ev.get("last-seen")),
                d.created(), d.expires(), d.reason(), counts(ev.get("counts")),
                config.includeAccountNames() ? accounts : null, accounts.size(),
                ua == null ? List.of() : List.of(ua.toString()), text(ev.get("service")), text(ev.get("transport")),
                pbx.get(), Version.get());
        try {
            return JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalArgumentException("report not serialisable: " + e.getMessage(), e);
        }
    }

    private static Instant instant(Object value) {
        try {
            return value == null ? null : Instant.parse(value.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private static Map<String, Integer> counts(Object value) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof Number n) {
                    out.put(String.valueOf(k), n.intValue());
                }
            });
        }
        return out;
    }

    /** Sends within {@code delay} unless a send is already due sooner (or a back-off holds it). */
    private void wake(Duration delay) {
        if (closed || sender == null) {
            return;
        }
        synchronized (schedule) {
            long at = System.nanoTime() + delay.toNanos();
            if (next != null && !next.isDone() && nextAt <= at) {
                return;
            }
            if (failures > 0 && next != null && !next.isDone()) {
                return; // backing off: the retry sends everything
            }
            if (next != null) {
                next.cancel(false);
            }
            nextAt = at;
            next = sender.schedule(this::flush, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Sends pending reports in batches until none is left or the hub fails. Runs on the sender thread only. */
    void flush() {
        while (!closed) {
            List<ReportOutboxRepository.Report> batch;
            try {
                batch = outbox.pending(config.batchSize());
            } catch (StoreException e) {
                log.error("cannot read the report outbox error=\"{}\"", e.getMessage());
                retryLater(null);
                return;
            }
            if (batch.isEmpty()) {
                return;
            }
            Outcome outcome = send(batch);
            if (outcome.retryAfter != null || outcome.failed) {
                outbox.countAttempt(batch.stream().map(ReportOutboxRepository.Report::id).toList());
                retryLater(outcome.retryAfter);
                return;
            }
            synchronized (schedule) {
                failures = 0;
            }
        }
    }

    private record Outcome(boolean failed, Duration retryAfter) {}

    private Outcome send(List<ReportOutboxRepository.Report> batch) {
        Enrollment enrollment;
        try {
            enrollment = Enrollment.load(hub);
        } catch (ListException e) {
            log.error("reports kept, cannot send them error=\"{}\" pending_batch={}", e.getMessage(), batch.size());
            return new Outcome(true, null);
        }
        List<Report> reports = new ArrayList<>();
        for (ReportOutboxRepository.Report r : batch) {
            try {
                reports.add(JSON.readValue(r.payload(), Report.class));
            } catch (IOException e) {
                throw new IllegalStateException("stored report " + r.reportId() + " is not a report: " + e.getMessage(), e);
            }
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(ReportBatch.of(reports));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Bearer " + enrollment.credential());
        Map<String, Long> byReportId = new HashMap<>();
        batch.forEach(r -> byReportId.put(r.reportId(), r.id()));
        try {
            return http.postJson(endpoint, headers, body, config.timeout(), response -> {
                int status = response.getCode();
                if (status >= 200 && status < 300) {
                    Map<Long, String> rejected = new LinkedHashMap<>();
                    for (ReportAck.Rejection rej : readAck(response)) {
                        Long id = byReportId.get(rej.id());
                        if (id != null) {
                            rejected.put(id, "hub rejected it: " + (rej.reason() == null ? "no reason given" : rej.reason()));
                        }
                    }
                    List<Long> sent = batch.stream().map(ReportOutboxRepository.Report::id)
                            .filter(id -> !rejected.containsKey(id)).toList();
                    outbox.markSent(sent, clock.instant());
                    if (!rejected.isEmpty()) {
                        outbox.markDropped(rejected);
                        log.warn("reports rejected by hub count={} examples={}", rejected.size(),
                                rejected.values().stream().limit(3).toList());
                    }
                    log.info("reports sent count={} rejected={}", sent.size(), rejected.size());
                    return new Outcome(false, null);
                }
                if (status >= 500 || status == 408 || status == 429) {
                    log.warn("hub unavailable, reports kept status={} pending_batch={}", status, batch.size());
                    return new Outcome(true, retryAfter(response));
                }
                String reason = "hub answered HTTP " + status + ListSource.snippet(response);
                Map<Long, String> dropped = new LinkedHashMap<>();
                batch.forEach(r -> dropped.put(r.id(), reason));
                outbox.markDropped(dropped);
                log.error("reports dropped count={} reason=\"{}\"", batch.size(), reason);
                return new Outcome(false, null);
            });
        } catch (IOException | ListException e) {
            log.warn("hub unreachable, reports kept error=\"{}\" pending_batch={}", e.getMessage(), batch.size());
            return new Outcome(true, null);
        }
    }

    /** The reports the hub rejected; a 2xx acknowledges the batch whatever else its body says. */
    private static List<ReportAck.Rejection> readAck(org.apache.hc.core5.http.ClassicHttpResponse response)
            throws IOException {
        if (response.getEntity() == null) {
            return List.of();
        }
        try (InputStream in = response.getEntity().getContent()) {
            com.fasterxml.jackson.databind.JsonNode rejected = JSON.readTree(in).path("rejected");
            return rejected.isArray() ? List.of(JSON.treeToValue(rejected, ReportAck.Rejection[].class)) : List.of();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | NullPointerException e) {
            return List.of();
        }
    }

    private static Duration retryAfter(org.apache.hc.core5.http.ClassicHttpResponse response) {
        String h = ListHttp.header(response, "Retry-After");
        return h != null && h.strip().matches("\\d{1,6}") ? Duration.ofSeconds(Long.parseLong(h.strip())) : null;
    }

    /** Exponential back-off with jitter: half the step fixed, half random; Retry-After wins if longer. */
    private void retryLater(Duration retryAfter) {
        Duration delay;
        synchronized (schedule) {
            failures++;
            long step = config.retryInitial().toMillis() << Math.min(20, failures - 1);
            step = Math.min(step, config.retryMax().toMillis());
            long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
            delay = Duration.ofMillis(jittered);
            if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
                delay = retryAfter.compareTo(config.retryMax()) > 0 ? config.retryMax() : retryAfter;
            }
            if (!closed) {
                nextAt = System.nanoTime() + delay.toNanos();
                next = sender.schedule(this::flush, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        log.info("reports retry_in_ms={} failures={}", delay.toMillis(), failures);
    }

    /** Counts by state: pending, sent, dropped. */
    public Map<String, Integer> counts() {
        return outbox.counts();
    }

    @Override
    public void close() {
        closed = true;
        if (http != null) {
            try {
                http.close(); // a request in flight fails now; its reports stay pending
            } catch (IOException e) {
                log.debug("http close failed error=\"{}\"", e.getMessage());
            }
        }
        if (sender != null) {
            sender.shutdownNow();
            try {
                sender.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
