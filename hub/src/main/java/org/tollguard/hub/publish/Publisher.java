package org.tollguard.hub.publish;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.hub.config.PublicationConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.protocol.Change;
import org.tollguard.protocol.Changes;
import org.tollguard.protocol.Head;
import org.tollguard.protocol.ListFile;
import org.tollguard.protocol.ListSigner;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.TrustedComment;

/**
 * Turns approved changes into the next generation of the list: a signed changes file, a signed snapshot when one
 * is due, and a new signed head. The list's {@code list_state} row is locked for the whole transaction, so of two
 * instances publishing at once one waits, then finds nothing left to do: a generation is never published twice
 * and never goes back.
 */
public final class Publisher {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);
    private static final ObjectMapper JSON = ProtocolJson.mapper();
    /** A listed network as agents read it: a host address without its /32 or /128. */
    private static final String NETWORK_TEXT = "case when masklen(network) = case when family(network) = 4 then 32 "
            + "else 128 end then host(network) else network::text end";

    private final PublicationConfig config;
    private final Database db;
    private final ListSigner signer;
    private final Clock clock;

    public Publisher(PublicationConfig config, Database db, ListSigner signer, Clock clock) {
        this.config = config;
        this.db = db;
        this.signer = signer;
        this.clock = clock;
    }

    /** Publishes the next generation if something was approved or the head needs renewing; returns it. */
    public Optional<Long> publishIfDue() throws SQLException {
        return db.transaction(c -> {
            Instant now = clock.instant();
            State state = lock(c);
            List<PendingChange> pending = pending(c);
            Optional<Snapshot> snapshot = lastSnapshot(c);
            boolean headDue = state.headCreated == null
                    || !now.isBefore(state.headCreated.plus(config.headRefresh()));
            if (pending.isEmpty() && !headDue && snapshot.isPresent()) {
                return Optional.empty();
            }
            long generation = state.generation + 1;
            long started = System.nanoTime();
            Instant fileExpiry = now.plus(config.keep()).plus(config.headExpiry());
            writeChanges(c, generation, pending, now, fileExpiry);
            if (snapshot.isEmpty() || !now.isBefore(snapshot.get().created.plus(config.snapshotEvery()))) {
                writeSnapshot(c, generation, now, fileExpiry);
            }
            writeHead(c, generation, now);
            log.info("list {} generation {} published: {} changes in {} ms", config.list(), generation,
                    pending.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
            return Optional.of(generation);
        });
    }

    private record State(long generation, Instant headCreated) {}

    private record PendingChange(long seq, Change change) {}

    private record Snapshot(long generation, Instant created) {}

    private State lock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "insert into list_state (list) values (?) on conflict (list) do nothing")) {
            s.setString(1, config.list());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "select generation, head_created from list_state where list = ? for update")) {
            s.setString(1, config.list());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                Timestamp head = r.getTimestamp(2);
                return new State(r.getLong(1), head == null ? null : head.toInstant());
            }
        }
    }

    private List<PendingChange> pending(Connection c) throws SQLException {
        List<PendingChange> changes = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select seq, op, " + NETWORK_TEXT + ", reason, expires_at "
                + "from list_change where list = ? and generation is null order by seq")) {
            s.setString(1, config.list());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Timestamp expires = r.getTimestamp(5);
                    changes.add(new PendingChange(r.getLong(1), new Change(
                            "add".equals(r.getString(2)) ? Change.Op.ADD : Change.Op.REMOVE, r.getString(3),
                            r.getString(4), expires == null ? null : expires.toInstant())));
                }
            }
        }
        return changes;
    }

    private Optional<Snapshot> lastSnapshot(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select generation, created_at from published_file "
                + "where list = ? and kind = 'snapshot' order by generation desc limit 1")) {
            s.setString(1, config.list());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Snapshot(r.getLong(1), r.getTimestamp(2).toInstant()))
                        : Optional.empty();
            }
        }
    }

    private void writeChanges(Connection c, long generation, List<PendingChange> pending, Instant now,
                              Instant expires) throws SQLException {
        List<Change> changes = pending.stream().map(PendingChange::change).toList();
        byte[] body = json(new Changes(ProtocolJson.VERSION, config.list(), generation - 1, generation, now, expires,
                changes));
        store(c, ListFile.CHANGES, "changes/", body, generation - 1, generation, changes.size(), now, expires);
        try (PreparedStatement s = c.prepareStatement("update list_change set generation = ? where seq = ?")) {
            for (PendingChange p : pending) {
                s.setLong(1, generation);
                s.setLong(2, p.seq);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** The whole list, streamed from the database into JSON; entries already expired are left out. */
    private void writeSnapshot(Connection c, long generation, Instant now, Instant expires) throws SQLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        int count = 0;
        try (PreparedStatement s = c.prepareStatement("select " + NETWORK_TEXT + ", reason, expires_at, "
                + "count(*) over () from listed where list = ? and (expires_at is null or expires_at > ?) "
                + "order by listed.network")) {
            s.setFetchSize(10_000);
            s.setString(1, config.list());
            s.setTimestamp(2, Timestamp.from(now));
            try (ResultSet r = s.executeQuery(); JsonGenerator g = JSON.getFactory().createGenerator(out)) {
                boolean first = true;
                while (r.next()) {
                    if (first) {
                        count = r.getInt(4);
                        snapshotHeader(g, generation, now, expires, count);
                        first = false;
                    }
                    g.writeStartObject();
                    g.writeStringField("network", r.getString(1));
                    if (r.getString(2) != null) {
                        g.writeStringField("reason", r.getString(2));
                    }
                    Timestamp entryExpires = r.getTimestamp(3);
                    if (entryExpires != null) {
                        g.writeStringField("expires", entryExpires.toInstant().toString());
                    }
                    g.writeEndObject();
                }
                if (first) {
                    snapshotHeader(g, generation, now, expires, 0);
                }
                g.writeEndArray();
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        byte[] body = out.toByteArray();
        store(c, ListFile.SNAPSHOT, "snapshots/", body, 0, generation, count, now, expires);
        try (PreparedStatement s = c.prepareStatement(
                "delete from published_file where list = ? and kind = 'snapshot' and generation < ? and created_at < ?")) {
            s.setString(1, config.list());
            s.setLong(2, generation);
            s.setTimestamp(3, Timestamp.from(now.minus(config.keep())));
            s.executeUpdate();
        }
    }

    private void snapshotHeader(JsonGenerator g, long generation, Instant now, Instant expires, int count)
            throws IOException {
        g.writeStartObject();
        g.writeNumberField("protocol", ProtocolJson.VERSION);
        g.writeStringField("list", config.list());
        g.writeNumberField("generation", generation);
        g.writeStringField("created", now.toString());
        g.writeStringField("expires", expires.toString());
        g.writeNumberField("count", count);
        g.writeArrayFieldStart("entries");
    }

    private void store(Connection c, ListFile kind, String directory, byte[] body, long since, long generation,
                       int entries, Instant now, Instant expires) throws SQLException {
        String sha = Digests.sha256(body);
        String signature = signer.sign(body, new TrustedComment(kind, config.list(), generation, now, expires));
        try (PreparedStatement s = c.prepareStatement("insert into published_file (list, path, kind, sha256, since, "
                + "generation, entries, created_at, body_gzip, signature) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, config.list());
            s.setString(2, directory + sha + ".json");
            s.setString(3, kind.label());
            s.setString(4, sha);
            s.setLong(5, since);
            s.setLong(6, generation);
            s.setInt(7, entries);
            s.setTimestamp(8, Timestamp.from(now));
            s.setBytes(9, Digests.gzip(body));
            s.setString(10, signature);
            s.executeUpdate();
        }
    }

    private void writeHead(Connection c, long generation, Instant now) throws SQLException {
        Head.FileRef snapshot = null;
        List<Head.FileRef> changes = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select path, sha256, since, generation, entries, kind "
                + "from published_file where list = ? and (kind = 'snapshot' and generation = (select max(generation) "
                + "from published_file where list = ? and kind = 'snapshot') or kind = 'changes' and (created_at > ? "
                + "or generation > (select max(generation) from published_file where list = ? and kind = 'snapshot'))) "
                + "order by generation")) {
            s.setString(1, config.list());
            s.setString(2, config.list());
            s.setTimestamp(3, Timestamp.from(now.minus(config.keep())));
            s.setString(4, config.list());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Head.FileRef ref = new Head.FileRef(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4),
                            r.getInt(5));
                    if ("snapshot".equals(r.getString(6))) {
                        snapshot = ref;
                    } else {
                        changes.add(ref);
                    }
                }
            }
        }
        Instant expires = now.plus(config.headExpiry());
        byte[] body = json(new Head(ProtocolJson.VERSION, config.list(), generation, now, expires, snapshot, changes));
        String signature = signer.sign(body, new TrustedComment(ListFile.HEAD, config.list(), generation, now, expires));
        try (PreparedStatement s = c.prepareStatement("update list_state set generation = ?, head_body = ?, "
                + "head_signature = ?, head_created = ? where list = ?")) {
            s.setLong(1, generation);
            s.setBytes(2, body);
            s.setString(3, signature);
            s.setTimestamp(4, Timestamp.from(now));
            s.setString(5, config.list());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("delete from published_file where list = ? and kind = 'changes' "
                + "and created_at <= ? and generation <= (select max(generation) from published_file where list = ? "
                + "and kind = 'snapshot')")) {
            s.setString(1, config.list());
            s.setTimestamp(2, Timestamp.from(now.minus(config.keep())));
            s.setString(3, config.list());
            s.executeUpdate();
        }
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
