package org.tollguard.blacklist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tollguard.protocol.Change;
import org.tollguard.protocol.Changes;
import org.tollguard.protocol.Head;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ListEntry;
import org.tollguard.protocol.ListFile;
import org.tollguard.protocol.ListSigner;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.Snapshot;
import org.tollguard.protocol.TrustedComment;
import org.tollguard.protocol.minisign.MinisignSecretKey;

/**
 * Publishes a signed list on a {@link TestHub} the way docs/hub-protocol.md says (signed head, content-addressed
 * snapshot and changes files, each with its {@code .minisig}), with the protocol module's own signer, so that a
 * test can also serve what a hostile hub would: a head of an older generation, an expired one, one signed by
 * another key, a tampered body, no signature.
 */
final class SignedListHub {
    static final String LIST = "community";

    final TestHub hub;
    final MinisignSecretKey key = MinisignSecretKey.generate();
    private final ListSigner signer = new ListSigner(key);
    private final String directory = HubPaths.listDirectory(LIST);
    private long generation;
    private Head.FileRef snapshot;
    private final List<Head.FileRef> changes = new ArrayList<>();
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    /** The head as published, with its signature, by generation. */
    final Map<Long, Signed> heads = new LinkedHashMap<>();

    record Signed(byte[] body, String signature) {}

    private record Entry(String reason, Instant expires) {}

    SignedListHub(TestHub hub) {
        this.hub = hub;
    }

    String publicKey() {
        return key.publicKey().base64();
    }

    long generation() {
        return generation;
    }

    /** A new generation with a snapshot of {@code networks} (the whole list). */
    SignedListHub snapshot(List<String> networks) throws IOException {
        entries.clear();
        networks.forEach(n -> entries.put(n, new Entry("sip-bruteforce", null)));
        generation++;
        Instant now = Instant.now();
        List<ListEntry> list = entries.entrySet().stream()
                .map(e -> new ListEntry(e.getKey(), e.getValue().reason(), e.getValue().expires())).toList();
        byte[] body = json(new Snapshot(ProtocolJson.VERSION, LIST, generation, now, now.plus(Duration.ofDays(8)),
                list.size(), list));
        snapshot = file("snapshots", body, ListFile.SNAPSHOT, 0, generation, list.size());
        changes.clear();
        publishHead(now, now.plus(Duration.ofDays(1)));
        return this;
    }

    /** A new generation: {@code add}s and {@code remove}s as one changes file. */
    SignedListHub changes(List<String> add, List<String> remove) throws IOException {
        List<Change> list = new ArrayList<>();
        add.forEach(n -> list.add(new Change(Change.Op.ADD, n, "sip-bruteforce", null)));
        remove.forEach(n -> list.add(new Change(Change.Op.REMOVE, n, "delisted", null)));
        long since = generation++;
        Instant now = Instant.now();
        byte[] body = json(new Changes(ProtocolJson.VERSION, LIST, since, generation, now, now.plus(Duration.ofDays(8)),
                list));
        changes.add(file("changes", body, ListFile.CHANGES, since, generation, list.size()));
        publishHead(now, now.plus(Duration.ofDays(1)));
        return this;
    }

    /** Publishes the current generation's head anew with another validity (e.g. already expired). */
    void publishHead(Instant created, Instant expires) throws IOException {
        Head head = new Head(ProtocolJson.VERSION, LIST, generation, created, expires, snapshot, List.copyOf(changes));
        byte[] body = json(head);
        String signature = signer.sign(body, new TrustedComment(ListFile.HEAD, LIST, generation, created, expires));
        heads.put(generation, new Signed(body, signature));
        serveHead(body, signature);
    }

    /** Serves exactly this head and signature (a replay, a forgery, a tampered body). */
    void serveHead(byte[] body, String signature) {
        String etag = "\"" + sha256(body) + "\"";
        hub.route(directory + HubPaths.HEAD, x -> {
            if (etag.equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
                TestHub.send(x, 304, null, new byte[0], Map.of("ETag", etag));
            } else {
                TestHub.send(x, 200, "application/json", body, Map.of("ETag", etag));
            }
        });
        if (signature == null) {
            hub.route(directory + HubPaths.HEAD + HubPaths.SIGNATURE_SUFFIX,
                    x -> TestHub.send(x, 404, "text/plain", "no signature"));
        } else {
            hub.route(directory + HubPaths.HEAD + HubPaths.SIGNATURE_SUFFIX,
                    x -> TestHub.send(x, 200, "text/plain", signature));
        }
    }

    /** Serves a published file's own bytes again. */
    void restore(Head.FileRef ref) {
        byte[] body = files.get(ref.path());
        hub.route(directory + ref.path(), x -> TestHub.send(x, 200, "application/json", body, Map.of()));
    }

    /** Replaces a published file's bytes (its name and signature stay): what a broken cache or an attacker serves. */
    void tamper(Head.FileRef ref, byte[] body) {
        hub.route(directory + ref.path(), x -> TestHub.send(x, 200, "application/json", body, Map.of()));
    }

    Head.FileRef lastChanges() {
        return changes.get(changes.size() - 1);
    }

    Head.FileRef snapshotRef() {
        return snapshot;
    }

    private Head.FileRef file(String kind, byte[] body, ListFile file, long since, long gen, int count) {
        String sha = sha256(body);
        String path = kind + "/" + sha + ".json";
        files.put(path, body);
        Instant now = Instant.now();
        String signature = signer.sign(body, new TrustedComment(file, LIST, gen, now, now.plus(Duration.ofDays(8))));
        hub.route(directory + path, x -> TestHub.sendMaybeGzip(x, "application/json",
                new String(body, StandardCharsets.UTF_8), Map.of()));
        hub.route(directory + path + HubPaths.SIGNATURE_SUFFIX, x -> TestHub.send(x, 200, "text/plain", signature));
        return new Head.FileRef(path, sha, since, gen, count);
    }

    static byte[] json(Object value) throws IOException {
        return ProtocolJson.mapper().writeValueAsBytes(value);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
