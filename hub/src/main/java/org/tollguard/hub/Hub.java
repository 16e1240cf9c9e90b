package org.tollguard.hub;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.hub.abuse.AbuseContacts;
import org.tollguard.hub.abuse.AbuseMailer;
import org.tollguard.hub.abuse.AbuseOutbox;
import org.tollguard.hub.abuse.AbuseReporter;
import org.tollguard.hub.abuse.OptedInEvidence;
import org.tollguard.hub.abuse.Rdap;
import org.tollguard.hub.config.AbuseReportsConfig;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.hub.http.HubHttpServer;
import org.tollguard.hub.intake.ReportIntake;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.hub.listing.NewListings;
import org.tollguard.hub.portal.Fleet;
import org.tollguard.hub.portal.Portal;
import org.tollguard.hub.maintenance.Retention;
import org.tollguard.hub.publish.DirectoryMirror;
import org.tollguard.hub.publish.ListFiles;
import org.tollguard.hub.publish.Publisher;
import org.tollguard.hub.web.ReviewWeb;
import org.tollguard.protocol.ListSigner;

/**
 * One running hub instance: the HTTP API, the publication loop and the retention job, all on the shared
 * PostgreSQL. Instances hold nothing that another could not take over after a crash.
 */
public final class Hub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Database db;
    private final HubHttpServer http;
    private final ScheduledExecutorService background;

    private Hub(Database db, HubHttpServer http, ScheduledExecutorService background) {
        this.db = db;
        this.http = http;
        this.background = background;
    }

    public static Hub start(HubConfig config, Clock clock) throws Exception {
        HubKeys keys = HubKeys.load(config.signing());
        Database db = Database.open(config.database());
        try {
            String list = config.publication().list();
            Enrollment enrollment = new Enrollment(db, config.intake().burst());
            AbuseReportsConfig abuse = config.abuseReports();
            Approvals approvals = new Approvals(db, list, abuse.enabled() ? new AbuseOutbox(clock) : NewListings.NONE);
            ReportIntake intake = new ReportIntake(config.intake(), config.autoApprove(), db, approvals, clock);
            ListFiles files = new ListFiles(db);
            Publisher publisher = new Publisher(config.publication(), db, new ListSigner(keys.secretKey()), clock);
            DirectoryMirror mirror = config.publication().directory() == null ? null
                    : new DirectoryMirror(config.publication().directory(), list, files);
            Retention retention = new Retention(db, config.intake().retention(), list, clock);

            ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hub-background");
                t.setDaemon(true);
                return t;
            });
            long interval = config.publication().interval().toMillis();
            background.scheduleWithFixedDelay(() -> {
                try {
                    publisher.publishIfDue();
                    if (mirror != null) {
                        mirror.sync();
                    }
                } catch (Exception e) {
                    log.error("publication failed; retrying in {} ms", interval, e);
                }
            }, 0, interval, TimeUnit.MILLISECONDS);
            background.scheduleWithFixedDelay(() -> {
                try {
                    int deleted = retention.run();
                    if (deleted > 0) {
                        log.info("retention: {} reports older than {} deleted", deleted, config.intake().retention());
                    }
                } catch (Exception e) {
                    log.error("retention failed", e);
                }
            }, 1, 10, TimeUnit.MINUTES);
            Portal portal = Portal.create(db, new ListSigner(keys.secretKey()), enrollment, clock);
            background.scheduleWithFixedDelay(() -> {
                try {
                    int down = portal.fleet().markDown();
                    if (down > 0) {
                        log.warn("{} agents not heard from for {}: shown as down", down, Fleet.DOWN_AFTER);
                    }
                } catch (Exception e) {
                    log.error("fleet check failed", e);
                }
            }, 10, 10, TimeUnit.SECONDS);
            ReviewWeb review = new ReviewWeb(db, approvals, list, config.review(), clock).withPortal(portal);
            long reviewInterval = config.review().jobsInterval().toMillis();
            background.scheduleWithFixedDelay(review.jobs(), reviewInterval, reviewInterval, TimeUnit.MILLISECONDS);
            if (abuse.enabled()) {
                AbuseReporter reporter = new AbuseReporter(db, abuse, new OptedInEvidence(db, config.review().window(),
                        clock), new AbuseContacts(db, new Rdap(abuse.rdap(), abuse.timeout()), abuse.cacheFor(), clock),
                        new AbuseMailer(abuse.smtp(), abuse.timeout()), clock);
                long every = abuse.interval().toMillis();
                background.scheduleWithFixedDelay(reporter, every, every, TimeUnit.MILLISECONDS);
            }
            HubHttpServer http = HubHttpServer.start(config, enrollment, intake, files, keys.publicKeyLines(), clock,
                    portal.fleet(), portal.policies(), review::register);
            return new Hub(db, http, background);
        } catch (Exception | Error e) {
            db.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        background.shutdownNow();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}
