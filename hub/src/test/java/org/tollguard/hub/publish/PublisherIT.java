package org.tollguard.hub.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tollguard.hub.config.PublicationConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.hub.support.PostgresExtension;
import org.tollguard.hub.support.TestHubs;
import org.tollguard.protocol.Head;
import org.tollguard.protocol.ListSigner;
import org.tollguard.protocol.ListVerifier;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.Snapshot;
import org.tollguard.protocol.minisign.MinisignSecretKey;

/** Publication over days, on a clock the test moves: head renewal, snapshots, what the head keeps, expiry. */
class PublisherIT {
    @RegisterExtension
    final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    Path dir;

    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-05-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theHeadIsRenewedBeforeItExpiresAndOldChangesGiveWayToSnapshots() throws Exception {
        MinisignSecretKey key = TestHubs.writeKey(dir);
        MovingClock clock = new MovingClock();
        // head expires after 8h (renewed every 2h), snapshot every 6h, changes kept 1 day
        PublicationConfig config = new PublicationConfig("community", Duration.ofSeconds(5), Duration.ofHours(8),
                Duration.ofHours(6), Duration.ofDays(1), null, false);
        try (Database db = Database.open(postgres.database())) {
            Publisher publisher = new Publisher(config, db, new ListSigner(key), clock);
            ListFiles files = new ListFiles(db);
            Approvals approvals = new Approvals(db, "community");

            assertEquals(Optional.of(1L), publisher.publishIfDue(), "the first generation, empty");
            assertEquals(Optional.empty(), publisher.publishIfDue(), "nothing new, head fresh");
            clock.now = clock.now.plus(Duration.ofMinutes(119));
            assertEquals(Optional.empty(), publisher.publishIfDue());
            clock.now = clock.now.plus(Duration.ofMinutes(1));
            assertEquals(Optional.of(2L), publisher.publishIfDue(), "a quarter of head-expiry: renewed");

            // an approval listed for 3 hours, another for good; a day and a half of renewals later
            approvals.approve("203.0.113.1", "operator:test", "short", clock.now.plus(Duration.ofHours(3)));
            approvals.approve("203.0.113.2", "operator:test", "long", null);
            long generation = publisher.publishIfDue().orElseThrow();
            for (int hour = 0; hour < 36; hour++) {
                clock.now = clock.now.plus(Duration.ofHours(1));
                publisher.publishIfDue();
            }
            Head head = new ListVerifier(List.of(key.publicKey()), clock).verifyHead(files.head("community")
                    .orElseThrow().body(), files.head("community").orElseThrow().signature(), "community", generation);
            assertTrue(head.snapshot().generation() > generation);
            // the snapshot leaves the expired entry out
            PublishedFile snapshotFile = files.file("community", head.snapshot().path()).orElseThrow();
            Snapshot snapshot = ProtocolJson.mapper().readValue(snapshotFile.body(), Snapshot.class);
            assertEquals(List.of("203.0.113.2"), snapshot.entries().stream().map(e -> e.network()).toList());
            // changes older than a day and before the snapshot are gone; the head's chain after the snapshot is whole
            for (Head.FileRef ref : head.changes()) {
                assertTrue(files.file("community", ref.path()).isPresent(), ref.path());
            }
            long after = head.changes().stream().filter(r -> r.generation() > head.snapshot().generation()).count();
            assertEquals(head.generation() - head.snapshot().generation(), after);
            assertTrue(files.paths("community").stream().noneMatch(p -> p.startsWith("changes/")
                    && head.changes().stream().noneMatch(r -> r.path().equals(p))), "only the head's changes are kept");
        }
    }
}
