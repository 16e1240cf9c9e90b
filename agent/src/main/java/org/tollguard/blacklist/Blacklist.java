package org.tollguard.blacklist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.ban.NeverBan;
import org.tollguard.config.BlacklistConfig;
import org.tollguard.config.HubConfig;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.DecisionSink;
import org.tollguard.decision.Origin;
import org.tollguard.decision.Target;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.FirewallException;
import org.tollguard.store.ListSnapshotRepository;
import org.tollguard.store.Store;
import org.tollguard.store.SyncStateRepository;

/**
 * The community blacklist: keeps each configured source's list in its own firewall sets. At start-up the last
 * good list of every source is applied from the store before any network request; then each source syncs once and
 * on its cron schedule (Quartz). A sync either applies a whole checked list, or changes, or nothing: a list that
 * cannot be read whole, or that shrinks too much, leaves the last good one in force and raises an alert.
 *
 * <p>Community entries are not decisions (400,000 rows would be silly): each import is recorded in the store
 * ({@code list_import}) with its size and dropped counts.
 */
public final class Blacklist implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Logger log = LoggerFactory.getLogger(Blacklist.class);
    private static final String GROUP = "blacklist";
    private static final JobKey EXPIRY_JOB = JobKey.jobKey("expiry", GROUP);

    private final BlacklistConfig config;
    private final HubConfig hub;
    private final int maxEntries;
    private final Firewall firewall;
    private final NeverBan neverBan;
    private final DecisionSink decisions;
    private final Clock clock;
    private final ListSnapshotRepository snapshots;
    private final SyncStateRepository states;
    private final ListHttp http;
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final List<java.util.function.Consumer<SyncResult>> syncListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private Scheduler scheduler;

    /** One configured source and what is in force for it. */
    private static final class Source {
        final BlacklistConfig.Source config;
        final ListSource fetcher;
        final ReentrantLock lock = new ReentrantLock();
        final AtomicLong runsStarted = new AtomicLong();
        final AtomicLong runsFinished = new AtomicLong();
        volatile NetList list = NetList.empty();
        volatile ListSource.Validators validators = ListSource.Validators.NONE;
        volatile SyncProgress running;
        volatile boolean applied;
        volatile long lastResponseToKernel;
        /** The operator who accepted that the next sync may shrink the list more than max-shrink, or null. */
        final AtomicReference<String> shrinkAcceptedBy = new AtomicReference<>();

        Source(BlacklistConfig.Source config, ListSource fetcher) {
            this.config = config;
            this.fetcher = fetcher;
        }
    }

    public Blacklist(BlacklistConfig config, HubConfig hub, int maxEntries, Firewall firewall, NeverBan neverBan,
                     Store store, DecisionSink decisions, Clock clock) {
        this(config, hub, maxEntries, firewall, neverBan, store, decisions, clock, new ListHttp(hub.caFile()),
                Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    Blacklist(BlacklistConfig config, HubConfig hub, int maxEntries, Firewall firewall, NeverBan neverBan, Store store,
              DecisionSink decisions, Clock clock, ListHttp http, Duration apibanPause, Duration apibanRateLimitWait,
              Duration headRetryPause) {
        this.config = config;
        this.hub = hub;
        this.maxEntries = maxEntries;
        this.firewall = firewall;
        this.neverBan = neverBan;
        this.decisions = decisions;
        this.clock = clock;
        this.snapshots = new ListSnapshotRepository(store);
        this.states = new SyncStateRepository(store);
        this.http = http;
        for (BlacklistConfig.Source s : config.sources()) {
            ListSource fetcher = switch (s.type()) {
                case HUB -> new HubSource(http, hub, () -> states.takenGeneration(s.name()), clock, headRetryPause);
                case APIBAN -> new ApibanSource(http, s.url(), s.token(), apibanPause, apibanRateLimitWait);
                case PLAIN -> new PlainListSource(http, s.url());
            };
            sources.put(s.name(), new Source(s, fetcher));
        }
    }

    private ListSanity sanity() {
        return new ListSanity(config.sanity(), neverBan.ownAddresses(), neverBan.allowlist());
    }

    /** What the stored lists were filtered with; another value means they must be fetched whole again. */
    private String fingerprint() {
        String text = config.sanity() + "|" + neverBan.allowlist() + "|" + maxEntries;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Puts the last good list of every enabled source into the firewall (checked again: the allowlist or the
     * host's addresses may have changed), and removes the lists of sources no longer configured or enabled. No
     * network request is made: a reboot without internet keeps the protection.
     */
    public void applyStored() {
        try {
            for (String name : firewall.listNames()) {
                Source s = sources.get(name);
                if (s == null || !s.config.enabled()) {
                    firewall.removeList(name);
                    log.info("list removed list={} reason=\"{}\"", name, s == null ? "no such source" : "source disabled");
                }
            }
        } catch (FirewallException e) {
            log.error("cannot clean up old lists error=\"{}\"", e.getMessage());
        }
        String fingerprint = fingerprint();
        ListSanity sanity = sanity();
        for (Source s : sources.values()) {
            if (!s.config.enabled()) {
                continue;
            }
            long start = System.nanoTime();
            var stored = snapshots.load(s.config.name());
            if (stored.isEmpty()) {
                log.info("no stored list list={} (first sync will load it)", s.config.name());
                continue;
            }
            try {
                NetList list = NetList.fromBytes(stored.get().entries());
                ListSanity.Drops drops = new ListSanity.Drops();
                NetList kept = sanity.filter(list.withoutExpired(clock.instant().getEpochSecond()), drops);
                firewall.replaceList(s.config.name(), kept.asCidrs());
                s.list = kept;
                s.applied = true;
                s.validators = fingerprint.equals(stored.get().fingerprint())
                        ? new ListSource.Validators(stored.get().etag(), stored.get().cursor())
                        : ListSource.Validators.NONE;
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                states.recordSize(s.config.name(), kept.size());
                states.recordImport(new SyncStateRepository.Import(s.config.name(), clock.instant(), "stored",
                        kept.size(), kept.size(), 0, drops.counts(), elapsed));
                log.info("stored list applied list={} size={} stored={} dropped={} elapsed_ms={}", s.config.name(),
                        kept.size(), stored.get().stored(), drops, elapsed);
            } catch (IOException | FirewallException | RuntimeException e) {
                log.error("stored list not applied list={} error=\"{}\"", s.config.name(), e.getMessage());
                alert(s.config.name(), Origin.COMMUNITY, "stored list not applied at start-up: " + e.getMessage(), Map.of());
            }
        }
    }

    /** Starts the schedules: every enabled source syncs now and then on its cron expression. */
    public void start() throws SchedulerException {
        if (sources.values().stream().noneMatch(s -> s.config.enabled())) {
            log.info("blacklist off: no enabled sources");
            return;
        }
        Properties p = new Properties();
        // Quartz shares a scheduler by name within a JVM: each Blacklist (two agents in one test JVM) needs its own
        p.setProperty("org.quartz.scheduler.instanceName", "tollguard-blacklist-" + INSTANCES.incrementAndGet());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(Math.max(2, Math.min(10, sources.size() + 1))));
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        scheduler = new StdSchedulerFactory(p).getScheduler();
        scheduler.setJobFactory((bundle, s) -> bundle.getJobDetail().getKey().equals(EXPIRY_JOB)
                ? new ExpiryJob(this) : new SyncJob(this));
        for (Source s : sources.values()) {
            if (!s.config.enabled()) {
                continue;
            }
            String name = s.config.name();
            JobKey key = JobKey.jobKey(name, GROUP);
            scheduler.addJob(JobBuilder.newJob(SyncJob.class).withIdentity(key).storeDurably().build(), false);
            if (s.config.type() == BlacklistConfig.SourceType.HUB) {
                // fast pick-up: the signed head is small and asked for conditionally, so it is polled often
                scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(name + "-cron", GROUP).forJob(key)
                        .usingJobData("jitter", true)
                        .startAt(java.util.Date.from(clock.instant().plus(hub.pollInterval())))
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule().repeatForever()
                                .withIntervalInMilliseconds(hub.pollInterval().toMillis())
                                .withMisfireHandlingInstructionNextWithRemainingCount())
                        .build());
            } else {
                scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(name + "-cron", GROUP).forJob(key)
                        .usingJobData("jitter", true)
                        .withSchedule(CronScheduleBuilder.cronSchedule(s.config.schedule())
                                .withMisfireHandlingInstructionFireAndProceed())
                        .build());
            }
            scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(name + "-start", GROUP).forJob(key)
                    .usingJobData("jitter", false).startNow().build());
        }
        scheduler.addJob(JobBuilder.newJob(ExpiryJob.class).withIdentity(EXPIRY_JOB).storeDurably().build(), false);
        scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity("expiry", GROUP).forJob(EXPIRY_JOB)
                .startAt(java.util.Date.from(clock.instant().plusSeconds(60)))
                .withSchedule(SimpleScheduleBuilder.repeatMinutelyForever()).build());
        scheduler.start();
        log.info("blacklist started sources={}", sources.values().stream()
                .map(s -> s.config.name() + (s.config.enabled() ? "(" + s.config.schedule() + ")" : "(disabled)")).toList());
    }

    /** A scheduled sync: waits up to the source's jitter first. */
    @DisallowConcurrentExecution
    public static final class SyncJob implements Job {
        private final Blacklist blacklist;

        SyncJob(Blacklist blacklist) {
            this.blacklist = blacklist;
        }

        @Override
        public void execute(JobExecutionContext context) {
            String name = context.getJobDetail().getKey().getName();
            boolean jitter = context.getMergedJobDataMap().getBoolean("jitter");
            blacklist.runScheduled(name, jitter);
        }
    }

    /** Takes expired entries out of the lists in force, once a minute. */
    @DisallowConcurrentExecution
    public static final class ExpiryJob implements Job {
        private final Blacklist blacklist;

        ExpiryJob(Blacklist blacklist) {
            this.blacklist = blacklist;
        }

        @Override
        public void execute(JobExecutionContext context) {
            blacklist.expire();
        }
    }

    private void runScheduled(String name, boolean jitter) {
        Source s = sources.get(name);
        if (s == null) {
            return;
        }
        Duration spread = s.config.type() == BlacklistConfig.SourceType.HUB
                ? hub.pollInterval().dividedBy(6) : s.config.jitter(); // a poll: a few seconds at most
        if (jitter && !spread.isZero()) {
            long wait = ThreadLocalRandom.current().nextLong(spread.toMillis() + 1);
            try {
                if (closing.await(wait, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (closing.getCount() == 0) {
            return;
        }
        sync(name);
    }

    /** How one sync ended. */
    public record SyncResult(String source, String outcome, String kind, int size, int added, int removed,
                             Map<String, Integer> dropped, String error, long elapsedMillis) {
        public static final String APPLIED = "applied";
        public static final String NOT_MODIFIED = "not-modified";
        public static final String REJECTED = "rejected";
        public static final String FAILED = "failed";
    }

    /** Told how each sync ended (metrics, alerts); called on the sync's thread. */
    public void onSynced(java.util.function.Consumer<SyncResult> listener) {
        syncListeners.add(listener);
    }

    /** The configured source names. */
    public java.util.Set<String> sourceNames() {
        return java.util.Collections.unmodifiableSet(sources.keySet());
    }

    /** Syncs {@code name} now, in this thread; waits for a sync of it already running. */
    public SyncResult sync(String name) {
        Source s = enabledSource(name);
        s.lock.lock();
        SyncProgress progress = new SyncProgress();
        s.running = progress;
        s.runsStarted.incrementAndGet();
        long start = System.nanoTime();
        Instant now = clock.instant();
        try {
            SyncResult result = syncLocked(s, progress, now, start);
            for (java.util.function.Consumer<SyncResult> l : syncListeners) {
                l.accept(result);
            }
            return result;
        } finally {
            s.running = null;
            s.runsFinished.incrementAndGet();
            s.lock.unlock();
        }
    }

    private SyncResult syncLocked(Source s, SyncProgress progress, Instant now, long start) {
        String name = s.config.name();
        String shrinkAcceptedBy = s.shrinkAcceptedBy.getAndSet(null); // once: this run, whatever it brings
        ListSanity sanity = sanity();
        Intake intake = new Intake(sanity, maxEntries, now.getEpochSecond());
        ListSource.Validators since = s.applied ? s.validators : ListSource.Validators.NONE;
        try {
            ListSource.Result result = s.fetcher.fetch(since, intake, progress,
                    new ListSource.Deadline(s.config.timeout()));
            progress.phase("checking");
            long fetchMillis = millisSince(start);
            Map<String, Integer> dropped = intake.drops().counts();
            if (result instanceof ListSource.NotModified same) {
                if (same.validators() != null) {
                    s.validators = same.validators();
                }
                states.recordSuccess(name, now, s.list.size(), dropped);
                log.debug("list not modified list={} size={}", name, s.list.size());
                return new SyncResult(name, SyncResult.NOT_MODIFIED, null, s.list.size(), 0, 0, dropped, null,
                        millisSince(start));
            }
            NetList next;
            String kind;
            ListSource.Validators validators;
            if (result instanceof ListSource.Full full) {
                next = full.list();
                kind = "full";
                validators = full.validators();
            } else {
                ListSource.Changes changes = (ListSource.Changes) result;
                next = s.list.apply(changes.changes()).withoutExpired(now.getEpochSecond());
                kind = "changes";
                validators = changes.validators();
            }
            int before = s.list.size();
            String refusal = sanity.shrinkRefusal(before, next.size());
            if (refusal != null && shrinkAcceptedBy == null) {
                throw new ListException(refusal + "; if the source really shrank, accept it once: tollguard sync "
                        + name + " --accept-shrink");
            }
            NetList.Diff diff = NetList.diff(s.list, next);
            progress.phase("applying");
            long applyStart = System.nanoTime();
            if (kind.equals("changes") && s.applied) {
                try {
                    firewall.updateList(name, diff.added().asCidrs(), diff.removed().asCidrs());
                } catch (FirewallException e) {
                    log.warn("list update failed, loading it whole list={} error=\"{}\"", name, e.getMessage());
                    firewall.replaceList(name, next.asCidrs());
                }
            } else {
                firewall.replaceList(name, next.asCidrs());
            }
            long applyMillis = millisSince(applyStart);
            long responseToKernel = progress.responseAt() == 0 ? 0 : System.nanoTime() - progress.responseAt();
            s.lastResponseToKernel = responseToKernel;
            s.list = next;
            s.validators = validators;
            s.applied = true;
            progress.phase("storing");
            long storeStart = System.nanoTime();
            snapshots.save(new ListSnapshotRepository.Snapshot(name, next.toBytes(), next.size(), validators.etag(),
                    validators.cursor(), fingerprint(), now));
            if (s.config.type() == BlacklistConfig.SourceType.HUB) {
                states.recordGeneration(name, Long.parseLong(validators.cursor()), now);
            }
            long storeMillis = millisSince(storeStart);
            long elapsed = millisSince(start);
            states.recordSuccess(name, now, next.size(), dropped);
            states.recordImport(new SyncStateRepository.Import(name, now, kind, next.size(), diff.added().size(),
                    diff.removed().size(), dropped, elapsed));
            log.info("list applied list={} kind={} size={} added={} removed={} dropped={} fetch_ms={} apply_ms={}"
                    + " store_ms={} response_to_kernel_ms={} elapsed_ms={}", name, kind, next.size(),
                    diff.added().size(), diff.removed().size(), intake.drops(), fetchMillis, applyMillis, storeMillis,
                    responseToKernel / 1_000_000, elapsed);
            if (intake.drops().total() > 0) {
                log.info("list entries dropped list={} examples={}", name, intake.drops().examples());
            }
            if (refusal != null) {
                log.warn("list shrink accepted by operator list={} by=\"{}\" from={} to={}", name, shrinkAcceptedBy,
                        before, next.size());
                alert(name, Origin.OPERATOR, "list " + name + " shrank from " + before + " to " + next.size()
                        + " entries: accepted once by " + shrinkAcceptedBy,
                        Map.of("by", shrinkAcceptedBy, "from", before, "to", next.size()));
            }
            return new SyncResult(name, SyncResult.APPLIED, kind, next.size(), diff.added().size(),
                    diff.removed().size(), dropped, null, elapsed);
        } catch (ListException | IOException | FirewallException | RuntimeException e) {
            boolean rejected = e instanceof ListException;
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            states.recordFailure(name, now, message);
            log.warn("list {} list={} kept={} error=\"{}\"", rejected ? "rejected" : "sync failed", name,
                    s.list.size(), message);
            // the caller reports the failed result once (AgentEvents.syncFailed: one alert, one count)
            return new SyncResult(name, rejected ? SyncResult.REJECTED : SyncResult.FAILED, null, s.list.size(), 0, 0,
                    intake.drops().counts(), message, millisSince(start));
        }
    }

    /** Takes expired entries out of every list in force. */
    void expire() {
        long now = clock.instant().getEpochSecond();
        for (Source s : sources.values()) {
            long next = s.list.nextExpiry();
            if (!s.applied || next == 0 || next > now || !s.lock.tryLock()) {
                continue;
            }
            try {
                long start = System.nanoTime();
                NetList kept = s.list.withoutExpired(now);
                NetList.Diff diff = NetList.diff(s.list, kept);
                firewall.updateList(s.config.name(), List.of(), diff.removed().asCidrs());
                s.list = kept;
                snapshots.save(new ListSnapshotRepository.Snapshot(s.config.name(), kept.toBytes(), kept.size(),
                        s.validators.etag(), s.validators.cursor(), fingerprint(), clock.instant()));
                states.recordSize(s.config.name(), kept.size());
                states.recordImport(new SyncStateRepository.Import(s.config.name(), clock.instant(), "expired",
                        kept.size(), 0, diff.removed().size(), Map.of(), millisSince(start)));
                log.info("list entries expired list={} removed={} size={}", s.config.name(), diff.removed().size(),
                        kept.size());
            } catch (FirewallException | RuntimeException e) {
                log.warn("list expiry failed list={} error=\"{}\"", s.config.name(), e.getMessage());
            } finally {
                s.lock.unlock();
            }
        }
    }

    private void alert(String source, Origin origin, String reason, Map<String, Object> evidence) {
        try {
            decisions.take(Decision.of(DecisionKind.ALERT, new Target.ListSource(source), reason, evidence, origin,
                    clock.instant(), null));
        } catch (RuntimeException e) {
            log.error("alert not recorded source={} error=\"{}\"", source, e.getMessage());
        }
    }

    /**
     * Lets the next sync of {@code name} apply a list that shrank by more than {@code max-shrink}: once, because the
     * operator {@code by} says the source really shrank. A shrink applied so is logged and recorded (an alert
     * decision naming who accepted it); the run after that is checked again, and so is a next run that fails.
     */
    public void acceptShrinkOnce(String name, String by) {
        enabledSource(name).shrinkAcceptedBy.set(by);
    }

    private Source enabledSource(String name) {
        Source s = sources.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no list source named '" + name + "' (configured: " + sources.keySet() + ")");
        }
        if (!s.config.enabled()) {
            throw new IllegalArgumentException("list source '" + name + "' is disabled");
        }
        return s;
    }

    /**
     * Asks for a sync of {@code name} (all enabled sources if null) on the scheduler's threads; returns, per source,
     * the run number to wait for in {@link SourceStatus#runsFinished()}.
     */
    public Map<String, Long> requestSync(String name) throws SchedulerException {
        List<Source> chosen = new ArrayList<>();
        if (name == null) {
            sources.values().stream().filter(s -> s.config.enabled()).forEach(chosen::add);
        } else {
            chosen.add(enabledSource(name));
        }
        Map<String, Long> awaited = new LinkedHashMap<>();
        if (scheduler == null) {
            return awaited;
        }
        for (Source s : chosen) {
            awaited.put(s.config.name(), s.runsStarted.get() + 1);
            scheduler.triggerJob(JobKey.jobKey(s.config.name(), GROUP), new JobDataMap(Map.of("jitter", false)));
        }
        return awaited;
    }

    /** A source as {@code tollguard lists} shows it. */
    public record SourceStatus(String name, String type, String url, boolean enabled, String schedule, int size,
                               Instant lastAttempt, Instant lastSuccess, String lastError, Instant lastErrorAt,
                               int consecutiveFailures, Instant nextRun, Map<String, Integer> dropped,
                               SyncProgress.View running, long runsStarted, long runsFinished) {}

    public List<SourceStatus> status() {
        List<SourceStatus> out = new ArrayList<>();
        for (Source s : sources.values()) {
            var state = states.load(s.config.name()).orElse(null);
            Instant nextRun = null;
            if (scheduler != null && s.config.enabled()) {
                try {
                    Trigger t = scheduler.getTrigger(TriggerKey.triggerKey(s.config.name() + "-cron", GROUP));
                    nextRun = t == null || t.getNextFireTime() == null ? null : t.getNextFireTime().toInstant();
                } catch (SchedulerException e) {
                    // shown as unknown
                }
            }
            SyncProgress running = s.running;
            out.add(new SourceStatus(s.config.name(), s.config.type().name().toLowerCase(), url(s),
                    s.config.enabled(), s.config.type() == BlacklistConfig.SourceType.HUB
                            ? "every " + org.tollguard.yamlconfig.Durations.format(hub.pollInterval()) : s.config.schedule(), s.list.size(),
                    state == null ? null : state.lastAttempt(), state == null ? null : state.lastSuccess(),
                    state == null ? null : state.lastError(), state == null ? null : state.lastErrorAt(),
                    state == null ? 0 : state.consecutiveFailures(), nextRun,
                    state == null ? Map.of() : state.dropped(), running == null ? null : running.view(),
                    s.runsStarted.get(), s.runsFinished.get()));
        }
        return out;
    }

    /** Nanoseconds from the first response of the last applied sync to its list in the kernel (benchmarks). */
    long lastResponseToKernelNanos() {
        return sources.values().stream().mapToLong(s -> s.lastResponseToKernel).max().orElse(0);
    }

    /** The list in force for a source (tests, benchmarks). */
    public NetList list(String name) {
        Source s = sources.get(name);
        return s == null ? NetList.empty() : s.list;
    }

    private String url(Source s) {
        return s.config.type() == BlacklistConfig.SourceType.HUB ? hub.url() : s.config.url();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        closing.countDown();
        try {
            http.close(); // first: a sync in flight fails at once instead of running to its timeout
        } catch (IOException e) {
            log.debug("http client close failed error=\"{}\"", e.getMessage());
        }
        if (scheduler != null) {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                log.warn("blacklist scheduler did not stop cleanly error=\"{}\"", e.getMessage());
            }
        }
        log.info("blacklist stopped");
    }
}
