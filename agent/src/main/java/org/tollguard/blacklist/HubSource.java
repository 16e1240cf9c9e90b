package org.tollguard.blacklist;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.tollguard.config.HubConfig;
import org.tollguard.protocol.Change;
import org.tollguard.protocol.Head;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ListFile;
import org.tollguard.protocol.ListRejectedException;
import org.tollguard.protocol.ListVerifier;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.TrustedComment;

/**
 * The tollguard hub's signed list (docs/hub-protocol.md): the small signed head is polled with a conditional
 * request; a new generation is taken through the changes files the head names, or a snapshot when the chain from
 * the generation we hold is not complete. Every file must be signed by a pinned key, be the list we enrolled
 * for, not be older than the generation already taken (persisted, so also across restarts) and not be expired;
 * the content-addressed files must also hash to their names. Anything else is a {@link ListException}: the last
 * good list stays. A snapshot goes through a temporary file, so 400,000 entries never sit in memory as text.
 */
final class HubSource implements ListSource {
    private static final int HEAD_ATTEMPTS = 3;
    private static final int MAX_HEAD_BYTES = 4 << 20;
    private static final int MAX_SIGNATURE_BYTES = 64 << 10;
    private static final int MAX_CHANGES_BYTES = 64 << 20;
    private static final JsonFactory JSON = new JsonFactory();

    private final ListHttp http;
    private final HubConfig hub;
    private final LongSupplier takenGeneration;
    private final Clock clock;
    private final Duration headRetryPause;

    HubSource(ListHttp http, HubConfig hub, LongSupplier takenGeneration, Clock clock, Duration headRetryPause) {
        this.http = http;
        this.hub = hub;
        this.takenGeneration = takenGeneration;
        this.clock = clock;
        this.headRetryPause = headRetryPause;
    }

    /** What one sync works with: who we are, what we trust, where the list lives. */
    private record Context(Map<String, String> headers, ListVerifier verifier, String list, String directory,
                           Deadline deadline, SyncProgress progress) {}

    @Override
    public Result fetch(Validators since, Intake intake, SyncProgress progress, Deadline deadline)
            throws IOException, ListException {
        Enrollment enrollment = Enrollment.load(hub);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + enrollment.credential());
        Context cx = new Context(headers, new ListVerifier(enrollment.trustedKeys(hub), clock), enrollment.list(),
                hub.url() + HubPaths.listDirectory(enrollment.list()), deadline, progress);
        long held = since.cursor() == null ? 0 : parseGeneration(since.cursor());
        long minimum = Math.max(held, takenGeneration.getAsLong());

        SignedHead signed = head(cx, held > 0 ? since.etag() : null, minimum);
        if (signed == null) {
            return new NotModified();
        }
        Head head = signed.head;
        Validators next = new Validators(signed.etag, Long.toString(head.generation()));
        if (head.generation() == held) {
            return new NotModified(next); // only the head's expiry moved on
        }
        List<Head.FileRef> chain = held > 0 ? chain(head, held) : null;
        if (chain != null) {
            return new Changes(changes(cx, chain, intake), next);
        }
        Head.FileRef snapshot = head.snapshot();
        List<Head.FileRef> after = chain(head, snapshot.generation());
        if (after == null) {
            throw new ListException("the hub's head (generation " + head.generation() + ") names no complete chain of"
                    + " changes from its snapshot (generation " + snapshot.generation() + ")");
        }
        NetList base = snapshot(cx, snapshot, intake);
        return new Full(base.apply(changes(cx, after, intake)).withoutExpired(clock.instant().getEpochSecond()), next);
    }

    private static long parseGeneration(String cursor) {
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            return 0; // a cursor of the old protocol: start from a snapshot
        }
    }

    private record SignedHead(Head head, String etag) {}

    /** The verified head, or null if unchanged since {@code etag}. */
    private SignedHead head(Context cx, String etag, long minimum) throws IOException, ListException {
        URI uri = URI.create(cx.directory + HubPaths.HEAD);
        ListRejectedException last = null;
        for (int attempt = 1; attempt <= HEAD_ATTEMPTS; attempt++) {
            Map<String, String> headers = new LinkedHashMap<>(cx.headers);
            if (etag != null) {
                headers.put("If-None-Match", etag);
            }
            Body body = http.get(uri, headers, cx.deadline.remaining(), response -> {
                if (response.getCode() == 304) {
                    return null;
                }
                checkStatus(response, uri);
                return new Body(read(response, MAX_HEAD_BYTES, uri), ListHttp.header(response, "ETag"));
            });
            if (body == null) {
                return null;
            }
            String signature = signature(cx, uri);
            try {
                return new SignedHead(cx.verifier.verifyHead(body.bytes, signature, cx.list, minimum), body.etag);
            } catch (ListRejectedException e) {
                // a head published between our two requests does not match the older signature: ask again
                last = e;
                pause();
            }
        }
        throw new ListException("the hub's head was refused: " + last.getMessage(), last);
    }

    private record Body(byte[] bytes, String etag) {}

    private void pause() throws ListException {
        try {
            Thread.sleep(headRetryPause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ListException("interrupted");
        }
    }

    /** The changes files leading from generation {@code from} to the head's, in order; null if there is a gap. */
    static List<Head.FileRef> chain(Head head, long from) {
        List<Head.FileRef> out = new ArrayList<>();
        long at = from;
        while (at < head.generation()) {
            Head.FileRef step = null;
            for (Head.FileRef ref : head.changes() == null ? List.<Head.FileRef>of() : head.changes()) {
                if (ref.since() == at && ref.generation() > at) {
                    step = ref;
                    break;
                }
            }
            if (step == null) {
                return null;
            }
            out.add(step);
            at = step.generation();
        }
        return at == head.generation() ? out : null;
    }

    private List<NetList.Change> changes(Context cx, List<Head.FileRef> chain, Intake intake)
            throws IOException, ListException {
        List<NetList.Change> out = new ArrayList<>();
        NetParser net = new NetParser();
        for (Head.FileRef ref : chain) {
            URI uri = fileUri(cx, ref);
            byte[] bytes = http.get(uri, cx.headers, cx.deadline.remaining(), response -> {
                checkStatus(response, uri);
                return read(response, MAX_CHANGES_BYTES, uri);
            });
            checkSha256(ref, sha256(bytes));
            String signature = signature(cx, uri);
            verify(ref, ListFile.CHANGES, uri, () -> cx.verifier.verify(bytes, signature, ListFile.CHANGES, cx.list,
                    ref.generation()));
            org.tollguard.protocol.Changes changes; // not ListSource.Changes
            try {
                changes = ProtocolJson.mapper().readValue(bytes, org.tollguard.protocol.Changes.class);
            } catch (IOException e) {
                throw new ListException("changes file " + ref.path() + " is not a changes document: " + e.getMessage());
            }
            if (changes.protocol() != ProtocolJson.VERSION || !cx.list.equals(changes.list())
                    || changes.since() != ref.since() || changes.generation() != ref.generation()) {
                throw new ListException("changes file " + ref.path() + " says list " + changes.list() + " generations "
                        + changes.since() + "-" + changes.generation() + ", the head names " + ref.since() + "-"
                        + ref.generation());
            }
            for (Change c : changes.changes() == null ? List.<Change>of() : changes.changes()) {
                String network = c.network();
                if (network == null || c.op() == null || !net.parse(network, 0, network.length())) {
                    intake.malformed(c.op() + " " + network);
                } else if (c.op() == Change.Op.REMOVE) {
                    out.add(new NetList.Change(false, net.toNet(), 0, c.reason()));
                } else {
                    long expires = c.expires() == null ? 0 : c.expires().getEpochSecond();
                    Net n = intake.check(net, expires);
                    if (n != null) {
                        out.add(new NetList.Change(true, n, expires, c.reason()));
                    }
                }
            }
        }
        return out;
    }

    /** Downloads the snapshot to a temporary file, checks hash and signature, then reads it into the intake. */
    private NetList snapshot(Context cx, Head.FileRef ref, Intake intake) throws IOException, ListException {
        URI uri = fileUri(cx, ref);
        Path file = Files.createTempFile("tollguard-snapshot", ".json");
        try {
            String sha = http.get(uri, cx.headers, cx.deadline.remaining(), response -> {
                checkStatus(response, uri);
                MessageDigest digest = sha256();
                try (InputStream in = ListSource.body(response, cx.progress);
                     OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
                    in.transferTo(out);
                }
                return HexFormat.of().formatHex(digest.digest());
            });
            checkSha256(ref, sha);
            String signature = signature(cx, uri);
            verify(ref, ListFile.SNAPSHOT, uri, () -> {
                try (InputStream body = Files.newInputStream(file)) {
                    return cx.verifier.verify(body, signature, ListFile.SNAPSHOT, cx.list, 0);
                }
            });
            cx.progress.phase("checking");
            try (InputStream body = Files.newInputStream(file)) {
                parseSnapshot(body, cx.list, ref.generation(), intake, cx.progress);
            }
            return intake.build();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @FunctionalInterface
    private interface Check {
        TrustedComment verify() throws ListRejectedException, IOException;
    }

    private static void verify(Head.FileRef ref, ListFile kind, URI uri, Check check)
            throws IOException, ListException {
        TrustedComment comment;
        try {
            comment = check.verify();
        } catch (ListRejectedException e) {
            throw new ListException(kind.label() + " " + uri + " refused: " + e.getMessage(), e);
        }
        if (comment.generation() != ref.generation()) {
            throw new ListException(kind.label() + " " + uri + " is signed as generation " + comment.generation()
                    + ", the head names generation " + ref.generation());
        }
    }

    private String signature(Context cx, URI file) throws IOException, ListException {
        URI uri = URI.create(file + HubPaths.SIGNATURE_SUFFIX);
        byte[] bytes = http.get(uri, cx.headers, cx.deadline.remaining(), response -> {
            if (response.getCode() == 404) {
                throw new ListException("no signature at " + uri + ": an unsigned list is not taken");
            }
            checkStatus(response, uri);
            return read(response, MAX_SIGNATURE_BYTES, uri);
        });
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static URI fileUri(Context cx, Head.FileRef ref) throws ListException {
        String path = ref.path();
        if (path == null || !path.matches("(snapshots|changes)/[0-9a-f]{64}\\.json")) {
            throw new ListException("the hub's head names a file outside its list: '" + path + "'");
        }
        return URI.create(cx.directory + path);
    }

    private static void checkSha256(Head.FileRef ref, String actual) throws ListException {
        if (!actual.equalsIgnoreCase(ref.sha256())) {
            throw new ListException(ref.path() + " does not hash to the SHA-256 the head names (got " + actual + ")");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static byte[] read(ClassicHttpResponse response, int max, URI uri) throws IOException, ListException {
        if (response.getEntity() == null) {
            throw new ListException("no body from " + uri);
        }
        try (InputStream in = response.getEntity().getContent()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new ListException(uri + " is larger than " + max + " bytes");
            }
            return bytes;
        }
    }

    private static void checkStatus(ClassicHttpResponse response, URI uri) throws ListException {
        int status = response.getCode();
        if (status == 401 || status == 403) {
            throw new ListException("the hub refused our credential (HTTP " + status + ")" + ListSource.snippet(response)
                    + "; enroll again if it was revoked");
        }
        if (status != 200) {
            throw new ListException("HTTP " + status + " from " + uri + ListSource.snippet(response));
        }
    }

    /**
     * Reads a snapshot's entries into the intake as a stream. The body must be one whole JSON object of this list
     * and generation whose {@code count} matches its entries.
     */
    private static void parseSnapshot(InputStream body, String list, long generation, Intake intake,
                                      SyncProgress progress) throws IOException, ListException {
        long count = -1;
        int elements = 0;
        String bodyList = null;
        long bodyGeneration = -1;
        NetParser net = new NetParser();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ListException("the hub's snapshot is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "protocol" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || p.getIntValue() != ProtocolJson.VERSION) {
                            throw new ListException("the hub speaks protocol " + p.getText() + ", we speak "
                                    + ProtocolJson.VERSION);
                        }
                    }
                    case "list" -> bodyList = p.getValueAsString();
                    case "generation" -> bodyGeneration = p.getValueAsLong(-1);
                    case "count" -> count = p.getValueAsLong(-1);
                    case "entries" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new ListException("'entries' is not an array");
                        }
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (p.currentToken() == null) {
                                throw new ListException("the hub's snapshot ends in the middle");
                            }
                            elements++;
                            entry(p, net, intake);
                            if ((elements & 0x3fff) == 0) {
                                progress.entries(elements);
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new ListException("the hub's snapshot is not one whole JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new ListException("the hub's snapshot is not valid JSON: " + e.getOriginalMessage(), e);
        }
        progress.entries(elements);
        if (!list.equals(bodyList) || bodyGeneration != generation) {
            throw new ListException("the snapshot says list " + bodyList + " generation " + bodyGeneration
                    + ", its signature and the head say list " + list + " generation " + generation);
        }
        if (count != elements) {
            throw new ListException("the hub's snapshot is incomplete: it announces " + count + " entries and holds "
                    + elements);
        }
    }

    private static void entry(JsonParser p, NetParser net, Intake intake) throws IOException, ListException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            intake.malformed(p.getText());
            return;
        }
        String network = null;
        String reason = null;
        String expires = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "network" -> network = p.getValueAsString();
                case "reason" -> reason = p.getValueAsString();
                case "expires" -> expires = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        long expiresAt = 0;
        if (expires != null) {
            try {
                expiresAt = Instant.parse(expires).getEpochSecond();
            } catch (DateTimeParseException e) {
                intake.malformed(network + " expires " + expires);
                return;
            }
        }
        if (network == null || !net.parse(network, 0, network.length())) {
            intake.malformed(String.valueOf(network));
            return;
        }
        intake.add(net, expiresAt, reason);
    }
}
