package org.tollguard.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.hub.config.AutoApproveConfig;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.config.IntakeConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.hub.publish.Digests;
import org.tollguard.hub.publish.Publisher;
import org.tollguard.hub.support.HubClient;
import org.tollguard.hub.support.PostgresCluster;
import org.tollguard.hub.support.PostgresExtension;
import org.tollguard.hub.support.TestHubs;
import org.tollguard.protocol.Change;
import org.tollguard.protocol.Changes;
import org.tollguard.protocol.Head;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ListFile;
import org.tollguard.protocol.ListSigner;
import org.tollguard.protocol.ListVerifier;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.Snapshot;
import org.tollguard.protocol.TrustedComment;
import org.tollguard.protocol.minisign.MinisignPublicKey;
import org.tollguard.protocol.minisign.MinisignSecretKey;

/** Approval → signed generation → files an agent (and Debian's minisign) accepts; generations never go back. */
class PublicationIT {
    @RegisterExtension
    final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    Path dir;

    private static final String LIST = HubPaths.listDirectory("community");

    @Test
    void anApprovalIsPublishedAsSignedFilesThatAgentsAndMinisignAccept() throws Exception {
        MinisignSecretKey key = TestHubs.writeKey(dir);
        Path mirror = dir.resolve("public");
        HubConfig config = TestHubs.config(postgres.database(), dir, PostgresCluster.freePort(),
                IntakeConfig.defaults(), AutoApproveConfig.defaults(), TestHubs.publication(mirror));
        ListVerifier verifier = new ListVerifier(List.of(MinisignPublicKey.read(dir.resolve("hub.pub"))),
                Clock.systemUTC());
        try (Hub hub = Hub.start(config, Clock.systemUTC()); Database db = Database.open(config.database())) {
            HubClient client = new HubClient(hub.port());
            Head first = awaitHead(client, verifier, 1);
            assertEquals(0, first.snapshot().count());

            long approvedAt = System.nanoTime();
            new Approvals(db, "community").approve("203.0.113.7", "operator:alice", "sip-bruteforce", null);
            new Approvals(db, "community").approve("198.51.100.0/24", "operator:alice", "toll-fraud", null);
            // the publication loop may take the two approvals into one generation or two: an agent applies the
            // changes files after its generation in order, as here
            List<Change> applied = new ArrayList<>();
            Head head = first;
            Head.FileRef ref = null;
            byte[] body = null;
            while (applied.size() < 2) {
                head = awaitHead(client, verifier, head.generation() + 1);
                for (Head.FileRef r : head.changes()) {
                    if (r.generation() <= Math.max(first.generation(), ref == null ? 0 : ref.generation())) {
                        continue;
                    }
                    ref = r;
                    body = fetch(client, ref.path(), true);
                    assertEquals(ref.sha256(), Digests.sha256(body));
                    assertTrue(ref.path().contains(ref.sha256()));
                    verifier.verify(body, HubClient.text(client.get(LIST + ref.path() + ".minisig")),
                            ListFile.CHANGES, "community", ref.generation());
                    Changes changes = ProtocolJson.mapper().readValue(body, Changes.class);
                    assertEquals(ref.generation() - 1, changes.since());
                    applied.addAll(changes.changes());
                }
            }
            long publishedMs = Duration.ofNanos(System.nanoTime() - approvedAt).toMillis();
            assertTrue(publishedMs < 5000, "approval to signed generation took " + publishedMs + " ms");
            assertEquals(List.of(new Change(Change.Op.ADD, "203.0.113.7", "sip-bruteforce", null),
                    new Change(Change.Op.ADD, "198.51.100.0/24", "toll-fraud", null)), applied);

            // immutable files say so; the head answers 304 to a poll with its ETag
            HttpResponse<byte[]> file = client.get(LIST + ref.path());
            assertTrue(file.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
            HttpResponse<byte[]> headResponse = client.get(HubPaths.head("community"));
            String etag = headResponse.headers().firstValue("ETag").orElseThrow();
            assertEquals(304, client.get(HubPaths.head("community"), "If-None-Match", etag).statusCode());

            // the signature of every file checks with Debian's minisign too
            Path checked = dir.resolve("checked");
            Files.createDirectories(checked);
            Files.write(checked.resolve("changes.json"), body);
            Files.write(checked.resolve("changes.json.minisig"), client.get(LIST + ref.path() + ".minisig").body());
            Files.write(checked.resolve("head.json"), headResponse.body());
            Files.write(checked.resolve("head.json.minisig"), client.get(HubPaths.head("community") + ".minisig").body());
            for (String name : List.of("changes.json", "head.json")) {
                Process p = new ProcessBuilder("minisign", "-V", "-p", dir.resolve("hub.pub").toString(), "-m",
                        checked.resolve(name).toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.waitFor(), name + ": " + out);
                assertTrue(out.contains("list:community"), out);
            }

            // a new snapshot holds the whole list (forced here by publishing with a zero snapshot interval)
            Publisher snapshotNow = new Publisher(new org.tollguard.hub.config.PublicationConfig("community",
                    Duration.ofSeconds(1), Duration.ofDays(1), Duration.ofMillis(1), Duration.ofDays(7), null, false),
                    db, new ListSigner(key), Clock.systemUTC());
            new Approvals(db, "community").approve("2001:db8:bad::/48", "operator:bob", "sip-scan", null);
            long generation = snapshotNow.publishIfDue().orElseThrow();
            Head latest = awaitHead(client, verifier, generation);
            assertEquals(generation, latest.snapshot().generation());
            byte[] snapshotBody = fetch(client, latest.snapshot().path(), false);
            verifier.verify(snapshotBody, HubClient.text(client.get(LIST + latest.snapshot().path() + ".minisig")),
                    ListFile.SNAPSHOT, "community", generation);
            Snapshot snapshot = ProtocolJson.mapper().readValue(snapshotBody, Snapshot.class);
            assertEquals(3, snapshot.count());
            assertEquals(java.util.Set.of("198.51.100.0/24", "203.0.113.7", "2001:db8:bad::/48"),
                    snapshot.entries().stream().map(e -> e.network()).collect(java.util.stream.Collectors.toSet()));

            // the mirror directory holds the same files for a static server
            Path mirrored = mirror.resolve("v1/lists/community");
            awaitFile(mirrored.resolve(latest.snapshot().path()));
            assertTrue(Files.exists(mirrored.resolve(latest.snapshot().path() + ".gz")));
            assertTrue(Files.exists(mirrored.resolve(latest.snapshot().path() + ".minisig")));
            Process p = new ProcessBuilder("minisign", "-V", "-p", dir.resolve("hub.pub").toString(), "-m",
                    mirrored.resolve(latest.snapshot().path()).toString()).redirectErrorStream(true).start();
            assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void twoInstancesPublishingAtOnceNeverPublishAGenerationTwiceOrGoBack() throws Exception {
        MinisignSecretKey key = TestHubs.writeKey(dir);
        HubConfig config = TestHubs.config(postgres.database(), dir, PostgresCluster.freePort());
        int rounds = 25;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<Long>>> instances = new ArrayList<>();
        for (int instance = 0; instance < 2; instance++) {
            int id = instance;
            instances.add(pool.submit(() -> {
                // each "instance" has its own connection pool, as two processes would
                try (Database db = Database.open(config.database())) {
                    Publisher publisher = new Publisher(config.publication(), db, new ListSigner(key), Clock.systemUTC());
                    Approvals approvals = new Approvals(db, "community");
                    List<Long> published = new ArrayList<>();
                    for (int i = 0; i < rounds; i++) {
                        approvals.approve("203.0." + (100 + id) + "." + (i + 1), "operator:test", null, null);
                        publisher.publishIfDue().ifPresent(published::add);
                    }
                    return published;
                }
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : instances) {
            List<Long> mine = f.get();
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(mine.get(i) > mine.get(i - 1), "an instance saw its generation go back: " + mine);
            }
            all.addAll(mine);
        }
        pool.shutdown();
        all.sort(null);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i), "generations published: " + all);
        }
        try (Connection c = DriverManager.getConnection(config.database().url(), "postgres", "");
             Statement s = c.createStatement()) {
            ResultSet r = s.executeQuery("select count(*), count(distinct network), count(generation) from list_change");
            r.next();
            assertEquals(2 * rounds, r.getInt(1));
            assertEquals(2 * rounds, r.getInt(2));
            assertEquals(2 * rounds, r.getInt(3), "every approval is in exactly one generation");
            r = s.executeQuery("select generation from list_state");
            r.next();
            assertEquals(all.size(), r.getLong(1));
        }
    }

    private static Head awaitHead(HubClient client, ListVerifier verifier, long generation) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpResponse<byte[]> head = client.get(HubPaths.head("community"));
            if (head.statusCode() == 200) {
                HttpResponse<byte[]> signature = client.get(HubPaths.head("community") + ".minisig");
                try {
                    Head verified = verifier.verifyHead(head.body(), HubClient.text(signature), "community", generation);
                    TrustedComment.parse(HubClient.text(signature).lines().toList().get(2).substring(17));
                    return verified;
                } catch (org.tollguard.protocol.ListRejectedException e) {
                    // older than wanted, or published between the two requests
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
            assertFalse(System.nanoTime() > deadline, "no head of generation " + generation + ": " + head.statusCode());
            Thread.sleep(50);
        }
    }

    private static byte[] fetch(HubClient client, String path, boolean gzip) throws Exception {
        HttpResponse<byte[]> response = gzip ? client.get(LIST + path, "Accept-Encoding", "gzip") : client.get(LIST + path);
        assertEquals(200, response.statusCode());
        if (gzip) {
            assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(""));
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
                return in.readAllBytes();
            }
        }
        return response.body();
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(file)) {
            assertFalse(System.nanoTime() > deadline, file + " was not written");
            Thread.sleep(50);
        }
    }
}
