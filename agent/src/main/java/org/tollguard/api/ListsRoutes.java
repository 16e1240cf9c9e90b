package org.tollguard.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tollguard.blacklist.Blacklist;
import org.tollguard.blacklist.ReportOutbox;

/**
 * {@code GET /v1/lists}: every community list source (size, last success, last error, next run, a sync in
 * progress) and the report outbox's counts. {@code POST /v1/lists/sync} with {@code {"source": NAME}} (or no
 * source: all) asks for a sync now and answers, per source, the run number to wait for; with
 * {@code "acceptShrink": true} and {@code "by"} that sync may apply a list that shrank more than max-shrink.
 */
public final class ListsRoutes implements Route {
    private final Blacklist blacklist;
    private final ReportOutbox reports;

    public ListsRoutes(Blacklist blacklist, ReportOutbox reports) {
        this.blacklist = blacklist;
        this.reports = reports;
    }

    /**
     * What {@code tollguard sync} sends: {@code source} null for every enabled source; {@code acceptShrink} lets
     * that source's next sync shrink the list once, recorded as accepted by {@code by} (the Unix user).
     */
    public record SyncRequest(String source, boolean acceptShrink, String by) {}

    @Override
    public Object handle(ApiRequest r) {
        if (r.rest().isEmpty() && r.method().equals("GET")) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sources", blacklist.status());
            out.put("reports", reports.counts());
            return out;
        }
        if (r.rest().equals("sync") && r.method().equals("POST")) {
            SyncRequest request = r.body().length > 0 ? r.bodyAs(SyncRequest.class) : new SyncRequest(null, false, null);
            if (request.acceptShrink()) {
                if (request.source() == null) {
                    throw new ApiException(400, "acceptShrink needs a source: a shrink is accepted for one list");
                }
                blacklist.acceptShrinkOnce(request.source(), ApiRequest.operator(request.by()));
            }
            try {
                return Map.of("awaited", blacklist.requestSync(request.source()));
            } catch (org.quartz.SchedulerException e) {
                throw new ApiException(503, "cannot start a sync: " + e.getMessage());
            }
        }
        if (r.rest().isEmpty() || r.rest().equals("sync")) {
            throw ApiException.methodNotAllowed(r);
        }
        throw new ApiException(404, "no such route: /v1/lists/" + r.rest());
    }
}
