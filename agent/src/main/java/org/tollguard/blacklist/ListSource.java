package org.tollguard.blacklist;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.apache.hc.core5.http.ClassicHttpResponse;

/** Where a community list comes from: the tollguard hub, APIBAN, or a plain list over HTTP(S). */
interface ListSource {

    /**
     * Fetches what changed since {@code since}, putting every network read through {@code intake}.
     *
     * @throws ListException if the answer cannot be used (refused, not a list, truncated, a protocol error)
     * @throws IOException   if the server cannot be reached or the connection breaks
     */
    Result fetch(Validators since, Intake intake, SyncProgress progress, Deadline deadline)
            throws IOException, ListException;

    /** What identifies the list we have: the server's ETag and where incremental changes continue. */
    record Validators(String etag, String cursor) {
        static final Validators NONE = new Validators(null, null);
    }

    sealed interface Result permits NotModified, Full, Changes {}

    /** The list did not change; {@code validators}, if not null, name the same list anew (a refreshed head). */
    record NotModified(Validators validators) implements Result {
        NotModified() {
            this(null);
        }
    }

    /** The whole list. */
    record Full(NetList list, Validators validators) implements Result {}

    /** Changes to apply to the list we have, in order. */
    record Changes(List<NetList.Change> changes, Validators validators) implements Result {}

    /** The time a whole sync may still take. */
    final class Deadline {
        private final long end;
        private final Duration total;

        Deadline(Duration total) {
            this.total = total;
            this.end = System.nanoTime() + total.toNanos();
        }

        Duration remaining() {
            return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
        }

        Duration total() {
            return total;
        }
    }

    /** The body as a counted stream, with its length when the server said it. */
    static InputStream body(ClassicHttpResponse response, SyncProgress progress) throws IOException, ListException {
        if (response.getEntity() == null) {
            throw new ListException("the answer has no body");
        }
        progress.responseArrived();
        long length = response.getEntity().getContentLength();
        progress.totalBytes(length);
        progress.phase("downloading");
        return progress.counting(response.getEntity().getContent());
    }

    /** The first bit of an error answer's body, for the message. */
    static String snippet(ClassicHttpResponse response) {
        try {
            if (response.getEntity() == null) {
                return "";
            }
            byte[] b = response.getEntity().getContent().readNBytes(200);
            String s = new String(b, java.nio.charset.StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
            return s.isEmpty() ? "" : ": " + s;
        } catch (IOException e) {
            return "";
        }
    }
}
