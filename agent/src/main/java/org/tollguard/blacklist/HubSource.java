package org.tollguard.blacklist;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tollguard.yamlconfig.Secret;

/**
 * The tollguard hub protocol, version 1 (docs/hub-protocol.md): a snapshot with an ETag, then changes since a
 * cursor; a 410 for the cursor sends us back to the snapshot. Bodies are read as a stream, so a 400,000-entry
 * snapshot never sits in memory as text or as a tree.
 */
final class HubSource implements ListSource {
    static final int PROTOCOL = 1;
    /** A hub pages changes; this many pages in one sync means something is wrong. */
    private static final int MAX_PAGES = 1000;
    private static final JsonFactory JSON = new JsonFactory();

    private final ListHttp http;
    private final String base;
    private final Secret token;

    HubSource(ListHttp http, String url, Secret token) {
        this.http = http;
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
    }

    @Override
    public Result fetch(Validators since, Intake intake, SyncProgress progress, Deadline deadline)
            throws IOException, ListException {
        if (since.cursor() != null) {
            Result changes = changes(since, intake, progress, deadline);
            if (changes != null) {
                return changes;
            }
            // the hub no longer knows our cursor: start again from a snapshot
            return snapshot(Validators.NONE, intake, progress, deadline);
        }
        return snapshot(since, intake, progress, deadline);
    }

    private Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "application/json");
        if (token != null && !token.isEmpty()) {
            h.put("Authorization", "Bearer " + token.value());
        }
        return h;
    }

    private Result snapshot(Validators since, Intake intake, SyncProgress progress, Deadline deadline)
            throws IOException, ListException {
        Map<String, String> headers = headers();
        if (since.etag() != null) {
            headers.put("If-None-Match", since.etag());
        }
        URI uri = URI.create(base + "/v1/blocklist");
        return http.get(uri, headers, deadline.remaining(), response -> {
            int status = response.getCode();
            if (status == 304) {
                return new NotModified();
            }
            checkStatus(status, uri, response);
            try (InputStream body = ListSource.body(response, progress)) {
                Page page = parse(body, intake, progress, false);
                if (page.cursor == null) {
                    throw new ListException("the hub's snapshot has no cursor");
                }
                NetList list = intake.build();
                return new Full(list, new Validators(ListHttp.header(response, "ETag"), page.cursor));
            }
        });
    }

    /** Null if the hub answered 410 (cursor unknown or too old). */
    private Result changes(Validators since, Intake intake, SyncProgress progress, Deadline deadline)
            throws IOException, ListException {
        List<NetList.Change> all = new ArrayList<>();
        String cursor = since.cursor();
        for (int page = 0; page < MAX_PAGES; page++) {
            URI uri = URI.create(base + "/v1/blocklist/changes?since=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Page p = http.get(uri, headers(), deadline.remaining(), response -> {
                int status = response.getCode();
                if (status == 304) {
                    return new Page(null, false, true, List.of());
                }
                if (status == 410) {
                    return null;
                }
                checkStatus(status, uri, response);
                try (InputStream body = ListSource.body(response, progress)) {
                    return parse(body, intake, progress, true);
                }
            });
            if (p == null) {
                return null;
            }
            if (p.notModified) {
                return all.isEmpty() ? new NotModified() : new Changes(all, new Validators(since.etag(), cursor));
            }
            if (p.cursor == null) {
                throw new ListException("the hub's changes have no cursor");
            }
            all.addAll(p.changes);
            cursor = p.cursor;
            if (!p.more) {
                return new Changes(all, new Validators(since.etag(), cursor));
            }
        }
        throw new ListException("the hub sent more than " + MAX_PAGES + " pages of changes in one sync");
    }

    private static void checkStatus(int status, URI uri, org.apache.hc.core5.http.ClassicHttpResponse response)
            throws ListException {
        if (status == 401 || status == 403) {
            throw new ListException("the hub refused our token (HTTP " + status + ")" + ListSource.snippet(response));
        }
        if (status != 200) {
            throw new ListException("HTTP " + status + " from " + uri + ListSource.snippet(response));
        }
    }

    private record Page(String cursor, boolean more, boolean notModified, List<NetList.Change> changes) {}

    /**
     * Reads a snapshot ({@code entries}, each added to the intake) or a page of changes ({@code changes}, checked
     * by the intake and returned). The body must be one whole JSON object: a truncated one is an error.
     */
    private static Page parse(InputStream body, Intake intake, SyncProgress progress, boolean changes)
            throws IOException, ListException {
        String cursor = null;
        boolean more = false;
        long count = -1;
        int elements = 0;
        List<NetList.Change> out = new ArrayList<>();
        NetParser net = new NetParser();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ListException("the hub's answer is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "protocol" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || p.getIntValue() != PROTOCOL) {
                            throw new ListException("the hub speaks protocol " + p.getText() + ", we speak " + PROTOCOL);
                        }
                    }
                    case "cursor" -> cursor = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "more" -> more = value == JsonToken.VALUE_TRUE;
                    case "count" -> count = p.getValueAsLong(-1);
                    case "entries", "changes" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new ListException("'" + field + "' is not an array");
                        }
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (p.currentToken() == null) {
                                throw new ListException("the hub's answer ends in the middle");
                            }
                            elements++;
                            element(p, net, intake, changes, out);
                            if ((elements & 0x3fff) == 0) {
                                progress.entries(elements);
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new ListException("the hub's answer is not one whole JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new ListException("the hub's answer is not valid JSON (truncated?): " + e.getOriginalMessage(), e);
        }
        progress.entries(elements);
        if (count >= 0 && count != elements) {
            throw new ListException("the hub's answer is incomplete: it announces " + count + " entries and holds "
                    + elements);
        }
        return new Page(cursor, more, false, out);
    }

    private static void element(JsonParser p, NetParser net, Intake intake, boolean changes, List<NetList.Change> out)
            throws IOException, ListException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            intake.malformed(p.getText());
            return;
        }
        String network = null;
        String reason = null;
        String expires = null;
        String op = "add";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "network" -> network = p.getValueAsString();
                case "reason" -> reason = p.getValueAsString();
                case "expires" -> expires = p.getValueAsString();
                case "op" -> op = p.getValueAsString();
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
        if (!changes) {
            intake.add(net, expiresAt, reason);
        } else if ("remove".equals(op)) {
            out.add(new NetList.Change(false, net.toNet(), 0, reason));
        } else if ("add".equals(op)) {
            Net n = intake.check(net, expiresAt);
            if (n != null) {
                out.add(new NetList.Change(true, n, expiresAt, reason));
            }
        } else {
            intake.malformed(op + " " + network);
        }
    }
}
