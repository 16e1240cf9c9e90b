package org.tollguard.blacklist;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A scan wave bans many addresses within a second: wait this long so they go in one request. */
    private static final Duration LINGER = Duration.ofMillis(500);

    /** What the reports say about the PBX. */
    public record PbxInfo(String kind, String version) {}

    private final BlacklistConfig.Reporting config;
    private final ReportOutboxRepository outbox;
    private final DecisionRepository decisions;
    private final Supplier<PbxInfo> pbx;
    private final Clock clock;
    private final ListHttp http;
    private final URI endpoint;
    private final ScheduledExecutorService sender;
    private final Object schedule = new Object();
    private ScheduledFuture<?> next;
    private long nextAt = Long.MAX_VALUE;
    private int failures;
    private volatile boolean closed;

    public ReportOutbox(BlacklistConfig.Reporting config, ReportOutboxRepository outbox, DecisionRepository decisions,
                        Supplier<PbxInfo> pbx, Clock clock) {
        this.config = config;
        this.outbox = outbox;
        this.decisions = decisions;
        this.pbx = pbx;
        this.clock = clock;
        this.http = config.enabled() ? new ListHttp() : null;
        this.endpoint = config.enabled() ? URI.create(trimSlash(config.url()) + "/v1/reports") : null;
        this.sender = config.enabled() ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "report-outbox");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Catches up with bans decided while the agent could not write their reports (it stopped between storing the
     * ban and its report), then sends what is pending. The first start only sets the cursor: bans from before
     * reporting existed are not reported.
     */
    public void start() {
        long newest = decisions.recent(1).stream().mapToLong(Decision::id).max().orElse(0);
        OptionalLong cursor = outbox.cursor();
        if (cursor.isEmpty() || !config.enabled()) {
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
        if (config.enabled()) {
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
        if (!config.enabled()) {
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
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", reportId);
        r.put("address", d.target().text());
        r.put("first-seen", ev.get("first-seen"));
        r.put("last-seen", ev.get("last-seen"));
        r.put("banned-at", d.created().toString());
        r.put("ban-expires", d.expires() == null ? null : d.expires().toString());
        r.put("reason", d.reason());
        r.put("counts", ev.getOrDefault("counts", Map.of()));
        Object accounts = ev.getOrDefault("accounts", List.of());
        int accountCount = accounts instanceof List<?> l ? l.size() : 0;
        if (config.includeAccountNames()) {
            r.put("accounts", accounts);
        }
        r.put("account-count", accountCount);
        Object ua = ev.get("user-agent");
        r.put("user-agents", ua == null ? List.of() : List.of(ua));
        r.put("service", ev.get("service"));
        r.put("transport", ev.get("transport"));
        PbxInfo p = pbx.get();
        Map<String, Object> pbxMap = new LinkedHashMap<>();
        pbxMap.put("kind", p.kind());
        pbxMap.put("version", p.version());
        r.put("pbx", pbxMap);
        r.put("agent-version", Version.get());
        try {
            return JSON.writeValueAsString(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("report not serialisable: " + e.getMessage(), e);
        }
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
        byte[] body;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
                g.writeStartObject();
                g.writeNumberField("protocol", HubSource.PROTOCOL);
                g.writeArrayFieldStart("reports");
                for (ReportOutboxRepository.Report r : batch) {
                    g.writeRawValue(r.payload());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            body = bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (config.token() != null) {
            headers.put("Authorization", "Bearer " + config.token().value());
        }
        Map<String, Long> byReportId = new HashMap<>();
        batch.forEach(r -> byReportId.put(r.reportId(), r.id()));
        try {
            return http.postJson(endpoint, headers, body, config.timeout(), response -> {
                int status = response.getCode();
                if (status >= 200 && status < 300) {
                    Map<Long, String> rejected = new LinkedHashMap<>();
                    JsonNode answer = readJson(response);
                    for (JsonNode rej : answer.path("rejected")) {
                        Long id = byReportId.get(rej.path("id").asText());
                        if (id != null) {
                            rejected.put(id, "hub rejected it: " + rej.path("reason").asText("no reason given"));
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

    private static JsonNode readJson(org.apache.hc.core5.http.ClassicHttpResponse response) throws IOException {
        if (response.getEntity() == null) {
            return JSON.createObjectNode();
        }
        try (InputStream in = response.getEntity().getContent()) {
            JsonNode n = JSON.readTree(in);
            return n == null ? JSON.createObjectNode() : n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return JSON.createObjectNode(); // a 2xx acknowledges the batch whatever its body says
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
