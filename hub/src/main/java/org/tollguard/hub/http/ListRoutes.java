package org.tollguard.hub.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.hub.publish.CurrentHead;
import org.tollguard.hub.publish.Digests;
import org.tollguard.hub.publish.ListFiles;
import org.tollguard.hub.publish.PublishedFile;

/**
 * The published list: {@code head.json} (re-read from PostgreSQL at most once a second, answered {@code 304}
 * when unchanged) and the immutable snapshot and changes files (cached in memory, since they never change).
 */
final class ListRoutes {
    private static final Pattern FILE = Pattern.compile("[0-9a-f]{64}\\.json(\\.minisig)?");
    private static final long HEAD_REFRESH_NANOS = 1_000_000_000L;
    private static final long CACHE_BYTES = 64L << 20;

    private final String list;
    private final ListFiles files;
    private final AgentAuth auth;
    private final boolean requireAuth;
    private volatile HeadEntry head;
    private final Map<String, PublishedFile> immutable = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    private record HeadEntry(Optional<CurrentHead> head, long readAt) {}

    ListRoutes(String list, ListFiles files, Enrollment enrollment, boolean requireAuth) {
        this.list = list;
        this.files = files;
        this.auth = new AgentAuth(enrollment);
        this.requireAuth = requireAuth;
    }

    void head(Context ctx) throws SQLException {
        CurrentHead current = current(ctx);
        send(ctx, current.body(), current.sha256(), "public, max-age=5", false);
    }

    void headSignature(Context ctx) throws SQLException {
        CurrentHead current = current(ctx);
        byte[] text = current.signature().getBytes(StandardCharsets.UTF_8);
        send(ctx, text, Digests.sha256(text), "public, max-age=5", false);
    }

    void file(Context ctx) throws SQLException {
        checkAccess(ctx);
        String directory = ctx.pathParam("directory");
        String name = ctx.pathParam("name");
        if (!("snapshots".equals(directory) || "changes".equals(directory)) || !FILE.matcher(name).matches()) {
            throw new HttpProblem(404, "no such file");
        }
        boolean signature = name.endsWith(".minisig");
        String path = directory + "/" + (signature ? name.substring(0, name.length() - ".minisig".length()) : name);
        PublishedFile file = cached(path);
        String immutableCache = "public, max-age=31536000, immutable";
        if (signature) {
            byte[] text = file.signature().getBytes(StandardCharsets.UTF_8);
            send(ctx, text, Digests.sha256(text), immutableCache, false);
        } else if (acceptsGzip(ctx)) {
            send(ctx, file.bodyGzip(), file.sha256(), immutableCache, true);
        } else {
            send(ctx, file.body(), file.sha256(), immutableCache, false);
        }
    }

    private CurrentHead current(Context ctx) throws SQLException {
        checkRequestedList(ctx);
        checkAccess(ctx);
        HeadEntry entry = head;
        if (entry == null || System.nanoTime() - entry.readAt > HEAD_REFRESH_NANOS) {
            entry = new HeadEntry(files.head(list), System.nanoTime());
            head = entry;
        }
        return entry.head.orElseThrow(() -> new HttpProblem(404, "list " + list + " has not been published yet"));
    }

    private PublishedFile cached(String path) throws SQLException {
        synchronized (immutable) {
            PublishedFile file = immutable.get(path);
            if (file != null) {
                return file;
            }
        }
        PublishedFile file = files.file(list, path).orElseThrow(() -> new HttpProblem(404, "no such file: " + path));
        synchronized (immutable) {
            if (immutable.put(path, file) == null) {
                cachedBytes += file.bodyGzip().length;
            }
            var oldest = immutable.entrySet().iterator();
            while (cachedBytes > CACHE_BYTES && oldest.hasNext()) {
                cachedBytes -= oldest.next().getValue().bodyGzip().length;
                oldest.remove();
            }
        }
        return file;
    }

    private void checkRequestedList(Context ctx) {
        if (!list.equals(ctx.pathParam("list"))) {
            throw new HttpProblem(404, "this hub publishes list " + list + ", not " + ctx.pathParam("list"));
        }
    }

    private void checkAccess(Context ctx) throws SQLException {
        checkRequestedList(ctx);
        if (requireAuth) {
            auth.require(ctx);
        }
    }

    private static boolean acceptsGzip(Context ctx) {
        String accept = ctx.header("Accept-Encoding");
        return accept != null && accept.toLowerCase().contains("gzip");
    }

    private static void send(Context ctx, byte[] body, String sha256, String cacheControl, boolean gzipped) {
        String etag = "\"" + sha256 + (gzipped ? "-gz" : "") + "\"";
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", cacheControl);
        ctx.header("Vary", "Accept-Encoding");
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.strip().equals("*"))) {
            ctx.status(304);
            return;
        }
        if (gzipped) {
            ctx.header("Content-Encoding", "gzip");
        }
        ctx.contentType(ctx.path().endsWith(".minisig") ? "text/plain; charset=utf-8" : "application/json");
        ctx.result(body);
    }
}
