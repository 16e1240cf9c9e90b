package org.tollguard.hub.support;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tollguard.hub.Hub;
import org.tollguard.hub.config.AutoApproveConfig;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.config.IntakeConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.hub.web.PasswordHasher;
import org.tollguard.hub.web.UserRole;
import org.tollguard.hub.web.Users;
import org.tollguard.protocol.Change;
import org.tollguard.protocol.Changes;
import org.tollguard.protocol.EnrollRequest;
import org.tollguard.protocol.EnrollResponse;
import org.tollguard.protocol.Head;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ListEntry;
import org.tollguard.protocol.ListFile;
import org.tollguard.protocol.ListRejectedException;
import org.tollguard.protocol.ListVerifier;
import org.tollguard.protocol.Pbx;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.Report;
import org.tollguard.protocol.ReportAck;
import org.tollguard.protocol.ReportBatch;
import org.tollguard.protocol.Snapshot;
import org.tollguard.protocol.minisign.MinisignPublicKey;

/**
 * A real hub (the review pages included) on the test JVM's PostgreSQL, with what review tests need: people who
 * log in, enrolled agents that report over HTTP, and the published list read back as an agent reads it, each file
 * verified against the hub's public key.
 */
public final class ReviewHub implements AutoCloseable {
    private static final String LIST = "community";

    private final Hub hub;
    private final HubConfig config;
    private final Database db;
    private final HubClient client;
    private final ListVerifier verifier;

    private ReviewHub(Hub hub, HubConfig config, Database db, ListVerifier verifier) {
        this.hub = hub;
        this.config = config;
        this.db = db;
        this.client = new HubClient(hub.port());
        this.verifier = verifier;
    }

    /** A hub whose own auto-approve rule stays out of the way (100 sites), so that people decide. */
    public static ReviewHub start(Path dir, Clock clock) throws Exception {
        TestHubs.writeKey(dir);
        HubConfig config = TestHubs.config(PostgresCluster.get().newDatabase(), dir, PostgresCluster.freePort(),
                new IntakeConfig(null, null, 1000.0, 5000, null),
                new AutoApproveConfig(false, 100, Duration.ofHours(1), Duration.ofDays(7)));
        Hub hub = Hub.start(config, clock);
        ListVerifier verifier = new ListVerifier(List.of(MinisignPublicKey.read(dir.resolve("hub.pub"))),
                Clock.systemUTC());
        return new ReviewHub(hub, config, Database.open(config.database()), verifier);
    }

    public String url() {
        return "http://127.0.0.1:" + hub.port();
    }

    public Database db() {
        return db;
    }

    public void addUser(String name, String password, UserRole role) {
        new Users(db.dataSource(), new PasswordHasher(4), Clock.systemUTC()).create(name, password, role);
    }

    /** Enrolls an agent for {@code site} of {@code operator} over HTTP; returns its credential. */
    public String enroll(String site, String operator) throws Exception {
        String token = new Enrollment(db, 1000).createToken(site, operator, "operator:test",
                Instant.now().plus(Duration.ofHours(1)));
        HttpResponse<byte[]> answer = client.postJson(HubPaths.ENROLL, null,
                new EnrollRequest(1, token, "pbx." + site, "0.1.0"));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("enroll " + site + ": " + HubClient.text(answer));
        }
        return HubClient.read(answer, EnrollResponse.class).credential();
    }

    /** One ban report, as an agent sends it, with {@code failures} of type {@code event}. */
    public void report(String credential, String address, String transport, String event, int failures)
            throws Exception {
        Instant now = Instant.now();
        Report report = new Report(UUID.randomUUID().toString(), address, now.minusSeconds(30), now, now,
                now.plus(Duration.ofHours(1)), "fast: " + failures + " failures within 1m", Map.of(event, failures),
                List.of("100", "admin"), 2, List.of("friendly-scanner"), "PJSIP", transport,
                new Pbx("asterisk", "22.5.0"), "0.1.0");
        HttpResponse<byte[]> answer = client.postJson(HubPaths.REPORTS, credential, ReportBatch.of(List.of(report)));
        ReportAck ack = answer.statusCode() == 200 ? HubClient.read(answer, ReportAck.class) : null;
        if (ack == null || ack.accepted() != 1) {
            throw new IllegalStateException("report " + address + ": " + answer.statusCode() + " "
                    + HubClient.text(answer));
        }
    }

    /**
     * The list as an agent holds it after taking the newest head: the snapshot plus every changes file after it,
     * each verified (signature, kind, list, generation, SHA-256).
     */
    public Map<String, ListEntry> publishedList() throws Exception {
        String dirPath = HubPaths.listDirectory(LIST);
        HttpResponse<byte[]> headBody = client.get(HubPaths.head(LIST));
        HttpResponse<byte[]> headSig = client.get(HubPaths.head(LIST) + HubPaths.SIGNATURE_SUFFIX);
        Head head = verifier.verifyHead(headBody.body(), HubClient.text(headSig), LIST, 0);
        Map<String, ListEntry> entries = new LinkedHashMap<>();
        Snapshot snapshot = ProtocolJson.mapper().readValue(verified(dirPath, head.snapshot(), ListFile.SNAPSHOT),
                Snapshot.class);
        snapshot.entries().forEach(e -> entries.put(e.network(), e));
        for (Head.FileRef ref : head.changes()) {
            if (ref.generation() <= snapshot.generation()) {
                continue;
            }
            Changes changes = ProtocolJson.mapper().readValue(verified(dirPath, ref, ListFile.CHANGES), Changes.class);
            for (Change c : changes.changes()) {
                if (c.op() == Change.Op.ADD) {
                    entries.put(c.network(), new ListEntry(c.network(), c.reason(), c.expires()));
                } else {
                    entries.remove(c.network());
                }
            }
        }
        return entries;
    }

    private byte[] verified(String dirPath, Head.FileRef ref, ListFile kind) throws Exception {
        byte[] body = client.get(dirPath + ref.path()).body();
        String signature = HubClient.text(client.get(dirPath + ref.path() + HubPaths.SIGNATURE_SUFFIX));
        verifier.verify(body, signature, kind, LIST, ref.generation());
        return body;
    }

    /** Waits (10 s at most) until the published list satisfies {@code check}; returns it. */
    public Map<String, ListEntry> awaitPublished(java.util.function.Predicate<Map<String, ListEntry>> check)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<String, ListEntry> last = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                last = publishedList();
                if (check.test(last)) {
                    return last;
                }
            } catch (ListRejectedException e) {
                // a generation was published between reading the head and its signature
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the published list never got there; last seen: " + last.keySet());
    }

    public HubConfig config() {
        return config;
    }

    @Override
    public void close() {
        db.close();
        hub.close();
    }
}
