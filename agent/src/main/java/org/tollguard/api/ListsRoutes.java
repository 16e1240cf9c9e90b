package org.tollguard.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tollguard.blacklist.Blacklist;
import org.tollguard.blacklist.ReportOutbox;

/**
 * {@code GET /v1/lists}: every community list source (size, last success, last error, next run, a sync in
 * progress) and the report outbox's counts. {@code POST /v1/lists/sync} with {@code {"source": NAME}} (or no
 * source: all) asks for a sync now and answers, per source, the run number to wait for.
 */
public final class ListsRoutes implements Route {
    private final Blacklist blacklist;
    private final ReportOutbox reports;

    public ListsRoutes(Blacklist blacklist, ReportOutbox reports) {
        this.blacklist = blacklist;
        this.reports = reports;
    }

    @Override
    public Object handle(ApiRequest r) {
        if (r.rest().isEmpty() && r.method().equals("GET")) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sources", blacklist.status());
            out.put("reports", reports.counts());
            return out;
        }
        if (r.rest().equals("sync") && r.method().equals("POST")) {
            String source = null;
            if (r.body().length > 0) {
                JsonNode request = r.bodyAs(JsonNode.class);
                source = request.path("source").isTextual() ? request.path("source").asText() : null;
            }
            try {
                return Map.of("awaited", blacklist.requestSync(source));
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
