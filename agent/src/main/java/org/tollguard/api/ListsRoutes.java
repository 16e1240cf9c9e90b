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
public final class ListsRoutes implements AdminApi.Route {
    private final Blacklist blacklist;
    private final ReportOutbox reports;

    public ListsRoutes(Blacklist blacklist, ReportOutbox reports) {
        this.blacklist = blacklist;
        this.reports = reports;
    }

    @Override
    public AdminApi.Response handle(String method, String rest, byte[] body) throws Exception {
        if (rest.isEmpty() && method.equals("GET")) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sources", blacklist.status());
            out.put("reports", reports.counts());
            return new AdminApi.Response(200, out);
        }
        if (rest.equals("sync") && method.equals("POST")) {
            String source = null;
            if (body.length > 0) {
                JsonNode request = AdminApi.JSON.readTree(body);
                source = request.path("source").isTextual() ? request.path("source").asText() : null;
            }
            return new AdminApi.Response(202, Map.of("awaited", blacklist.requestSync(source)));
        }
        if (rest.isEmpty() || rest.equals("sync")) {
            return new AdminApi.Response(405, Map.of("error", "method not allowed"));
        }
        return new AdminApi.Response(404, Map.of("error", "no such route: /v1/lists/" + rest));
    }
}
